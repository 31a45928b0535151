/**
 * The JavaScript ↔ Python value mapping of the differential test, and how values travel to the
 * Python peer as JSON (the peer decodes the same tags, see test/fixtures/parity-peer.py).
 *
 * | JavaScript                              | Python                         | tag    |
 * |-----------------------------------------|--------------------------------|--------|
 * | string                                  | str                            | `s`    |
 * | integral number (not -0)                | int, the double's exact value  | `n`    |
 * | other number, -0, NaN, ±Infinity        | float                          | `n`    |
 * | bigint                                  | int                            | `big`  |
 * | boolean                                 | bool                           | `bool` |
 * | null, undefined                         | None                           | `null`, `undef` |
 * | array                                   | list                           | `list` |
 * | plain object                            | dict                           | `dict` |
 *
 * The one documented difference in this model: under `%s` in a message, `null`, `undefined`,
 * booleans, arrays and objects print JavaScript's way (`null`, `true`, `{ a: 1 }`), see
 * {@link jsText}.
 */
import { inspect } from 'node:util';

export type Encoded =
  | { t: 's'; v: string }
  | { t: 'n'; v: string }
  | { t: 'big'; v: string }
  | { t: 'bool'; v: boolean }
  | { t: 'null' }
  | { t: 'undef' }
  | { t: 'list'; v: Encoded[] }
  | { t: 'dict'; v: Array<[string, Encoded]> };

/** A number's exact text for the peer (`String()` round-trips; `-0` needs its own spelling). */
function numberText(n: number): string {
  return n === 0 && 1 / n < 0 ? '-0' : String(n);
}

export function encode(value: unknown): Encoded {
  switch (typeof value) {
    case 'string':
      return { t: 's', v: value };
    case 'number':
      return { t: 'n', v: numberText(value) };
    case 'bigint':
      return { t: 'big', v: value.toString() };
    case 'boolean':
      return { t: 'bool', v: value };
    case 'undefined':
      return { t: 'undef' };
    default:
      if (value === null) return { t: 'null' };
      if (Array.isArray(value)) return { t: 'list', v: value.map(encode) };
      return { t: 'dict', v: Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, encode(v)]) };
  }
}

export function decode(e: Encoded): unknown {
  switch (e.t) {
    case 's':
      return e.v;
    case 'n':
      return Number(e.v);
    case 'big':
      return BigInt(e.v);
    case 'bool':
      return e.v;
    case 'null':
      return null;
    case 'undef':
      return undefined;
    case 'list':
      return e.v.map(decode);
    case 'dict':
      return Object.fromEntries(e.v.map(([k, v]) => [k, decode(v)]));
  }
}

/**
 * JavaScript's own text for a value the model lets print JavaScript's way under `%s` (written
 * here with String/inspect, not with the library's code, so the test does not grade itself);
 * `undefined` for values that print as Python's `str()`.
 */
export function jsText(value: unknown): string | undefined {
  if (value === null || value === undefined || typeof value === 'boolean') return String(value);
  if (typeof value === 'object') return inspect(value, { depth: 4, breakLength: Infinity });
  return undefined;
}
