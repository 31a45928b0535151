/**
 * How `exception()` reads its arguments, like Python's `exception()`: `exception(err)`,
 * `exception(err, 'while %s', what)` or `exception('failed', err)`. Shared by loggers and child
 * loggers.
 */
import type { EntryPoint } from './caller.js';

/** The message, its arguments and the error to show for `exception(errorOrMsg, ...args)`. */
export function exceptionArguments(
  errorOrMsg: unknown,
  args: unknown[],
  entry: EntryPoint,
): [msg: unknown, args: unknown[], err: Error] {
  if (errorOrMsg instanceof Error) {
    if (typeof args[0] === 'string') return [args[0], args.slice(1), errorOrMsg];
    return [errorOrMsg.message, args, errorOrMsg];
  }
  let err = args.find((a): a is Error => a instanceof Error);
  if (err === undefined) {
    // No error to show (Python would print `NoneType: None`): the stack of the call, from the caller on.
    err = new Error(String(errorOrMsg));
    Error.captureStackTrace(err, entry);
  }
  return [errorOrMsg, args, err];
}
