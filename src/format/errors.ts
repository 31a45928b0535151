/**
 * The one error type of the format layer. Messages are CPython's (`Invalid format 'hello' for '%'
 * style`, `Formatting field not found in record: 'foo'`), so users and tests can compare them with
 * what Python says for the same format.
 */

/** A bad format string (thrown at construction) or a record the format cannot render (thrown by `format()`). */
export class FormatError extends Error {
  override name = 'FormatError';
}
