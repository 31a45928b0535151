/**
 * Python's `str()`, `repr()` and `ascii()` of the values a JavaScript program logs, and text
 * measured in code points (Python's string length) rather than UTF-16 units.
 *
 * The value model, one rule per JavaScript type (also the mapping the differential test against
 * CPython uses): a string is a `str`; an integral number is an `int` with the double's exact value
 * (`1e21` prints `1000000000000000000000`); any other number, `-0`, `NaN` and `±Infinity` is a
 * `float` (`1.5`, `-0.0`, `nan`, `inf`); a bigint is an `int`; a boolean is a `bool`; `null` and
 * `undefined` are `None`; an array is a `list`; a plain object is a `dict`. Under `str()` (`%s`),
 * `null`, `undefined`, booleans and objects keep JavaScript's text (`null`, `true`, `{ a: 1 }`),
 * which is what a JavaScript reader expects; under `repr()` they are Python's (`None`, `True`,
 * `{'a': 1}`).
 */
const { inspect } = process.getBuiltinModule('node:util');
import { pyFloatRepr } from './py-number.js';

const inspectOptions = { depth: 4, breakLength: Infinity } as const;

/** Containers deeper than this print as `[...]` / `{...}` in a repr (also what a cycle prints). */
const MAX_REPR_DEPTH = 8;

/** Python's `str(int)` / `repr(float)` of a number under the value model above. */
export function pyNumberText(value: number): string {
  if (Number.isSafeInteger(value) && (value !== 0 || 1 / value > 0)) return String(value);
  if (Number.isInteger(value) && value !== 0) return BigInt(value).toString();
  return pyFloatRepr(value);
}

/** Python's type name for a value, for error messages (`str`, `NoneType`, `float`, …). */
export function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  switch (typeof value) {
    case 'string':
      return 'str';
    case 'number':
      return Number.isInteger(value) && (value !== 0 || 1 / value > 0) ? 'int' : 'float';
    case 'bigint':
      return 'int';
    case 'boolean':
      return 'bool';
    case 'function':
      return 'function';
    default:
      if (Array.isArray(value)) return 'list';
      if (value instanceof Error) return value.name;
      return 'dict';
  }
}

// Python's str.isprintable() is false for these categories (space excepted), and repr escapes them.
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function hexEscape(code: number): string {
  if (code <= 0xff) return '\\x' + code.toString(16).padStart(2, '0');
  if (code <= 0xffff) return '\\u' + code.toString(16).padStart(4, '0');
  return '\\U' + code.toString(16).padStart(8, '0');
}

/** Python's `repr(str)`: quotes as Python picks them, non-printable characters escaped. */
export function pyStringRepr(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (code >= 0x20 && code < 0x7f) {
      if (ch === '\\') out += '\\\\';
      else if (ch === quote) out += '\\' + quote;
      else out += ch;
    } else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0xa0 || NOT_PRINTABLE.test(ch)) out += hexEscape(code);
    else out += ch;
  }
  return out + quote;
}

/** Python's `ascii()` applied to a repr: every non-ASCII character escaped. */
export function asciiEscape(repr: string): string {
  let out = '';
  for (const ch of repr) {
    const code = ch.codePointAt(0)!;
    out += code < 0x80 ? ch : hexEscape(code);
  }
  return out;
}

/** Python's repr of a list (array) or dict (plain object), with cycles and depth bounded. */
function containerRepr(value: object, seen: object[]): string {
  const isArray = Array.isArray(value);
  if (seen.includes(value) || seen.length >= MAX_REPR_DEPTH) return isArray ? '[...]' : '{...}';
  seen.push(value);
  let out: string;
  if (isArray) {
    const items: string[] = [];
    for (let i = 0; i < value.length; i++) items.push(reprIn(value[i], seen));
    out = `[${items.join(', ')}]`;
  } else {
    const items: string[] = [];
    for (const key of Object.keys(value))
      items.push(`${pyStringRepr(key)}: ${reprIn((value as Record<string, unknown>)[key], seen)}`);
    out = `{${items.join(', ')}}`;
  }
  seen.pop();
  return out;
}

function isContainer(value: object): boolean {
  if (Array.isArray(value)) return true;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function reprIn(value: unknown, seen: object[]): string {
  switch (typeof value) {
    case 'string':
      return pyStringRepr(value);
    case 'number':
      return pyNumberText(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'True' : 'False';
    case 'undefined':
      return 'None';
    case 'object':
      if (value === null) return 'None';
      // As Python's repr of an exception (`ValueError('boom')`): one line; the stack belongs to exc_text.
      if (value instanceof Error) return `${value.name}(${pyStringRepr(value.message)})`;
      if (isContainer(value)) return containerRepr(value, seen);
      return inspect(value, inspectOptions);
    default:
      return inspect(value, inspectOptions);
  }
}

/** Python's `repr` for the values a JavaScript program logs (see the value model above). */
export function pyRepr(value: unknown): string {
  return reprIn(value, []);
}

/** Python's `str` under the value model above; objects are inspected as Node does. */
export function pyStr(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return pyNumberText(value);
    case 'bigint':
    case 'boolean':
    case 'symbol':
      return String(value);
    case 'undefined':
      return 'undefined';
    case 'function':
      return inspect(value);
    default:
      if (value === null) return 'null';
      if (value instanceof Error) return value.stack ?? String(value);
      return inspect(value, inspectOptions);
  }
}

/** Python's `len()` of a string: code points, a surrogate pair counting once. */
export function codePointLength(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code < 0xdc00) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next < 0xe000) {
        length--;
        i++;
      }
    }
  }
  return length;
}

/** Python's `text[:count]`: the first `count` code points. */
export function sliceCodePoints(text: string, count: number): string {
  if (count >= text.length) return text;
  let end = 0;
  for (let n = 0; n < count && end < text.length; n++) {
    const code = text.charCodeAt(end);
    const next = text.charCodeAt(end + 1);
    end += code >= 0xd800 && code < 0xdc00 && next >= 0xdc00 && next < 0xe000 ? 2 : 1;
  }
  return text.slice(0, end);
}
