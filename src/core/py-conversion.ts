/**
 * Python's `%` conversions (`%[flags][width][.precision]type`), one code path for message
 * arguments (`log.info('%5.1f', x)`) and `%`-style format fields (`%(msecs)03d`).
 *
 * Width and precision count code points, as Python's string length does. A numeric conversion
 * returns `null` for a value Python's `%` operator rejects (a string under `%d`, `NaN` under `%d`,
 * a float under `%x`); the caller decides: a format field raises Python's error text
 * ({@link conversionError}), a message renders the value marked ({@link wrongTypeMark}).
 */
import { exponentDigits, fixedDigits, generalDigits } from './py-number.js';
import { codePointLength, pyStr, pyTypeName } from './py-text.js';

/** A parsed conversion specification: `%[flags][width][.precision]type`. */
export interface ConversionSpec {
  flags: string;
  width: number;
  precision: number; // -1 when absent
  type: string;
}

/** Pads a converted value to the spec's width: left with `-`, zeros after any sign and 0x/0o prefix with `0` (as C; '%#06x' % 255 is '0x00ff'). */
export function padConversion(body: string, spec: ConversionSpec, zeroAllowed: boolean): string {
  const width = spec.width;
  if (width <= 0) return body;
  const length = codePointLength(body);
  if (width <= length) return body;
  const room = width - length;
  if (spec.flags.includes('-')) return body + ' '.repeat(room);
  if (zeroAllowed && spec.flags.includes('0')) {
    const prefix = /^[-+ ]?(0[xXo])?/.exec(body)![0];
    return prefix + '0'.repeat(room) + body.slice(prefix.length);
  }
  return ' '.repeat(room) + body;
}

/** Puts the sign in front: `-` for negatives, else `+` or a space when the flags ask for one. */
export function withSign(body: string, negative: boolean, flags: string): string {
  if (negative) return '-' + body;
  if (flags.includes('+')) return '+' + body;
  if (flags.includes(' ')) return ' ' + body;
  return body;
}

const RADIX_PREFIX: Readonly<Record<string, string>> = { o: '0o', x: '0x', X: '0X' };

/** `%d %i %u %o %x %X`: any int (bigints exactly, booleans as 0/1); floats truncate under `%d` only. */
function integerConversion(spec: ConversionSpec, value: unknown): string | null {
  const { flags, precision, type } = spec;
  const radix = type === 'o' ? 8 : type === 'x' || type === 'X' ? 16 : 10;
  let negative: boolean;
  let digits: string;
  if (typeof value === 'number') {
    // Under %o %x %X a float is rejected, -0.0 included.
    if (!Number.isFinite(value) || (radix !== 10 && (!Number.isInteger(value) || 1 / value === -Infinity))) return null;
    const int = Math.trunc(value);
    negative = int < 0;
    const abs = negative ? -int : int;
    digits = abs <= Number.MAX_SAFE_INTEGER ? abs.toString(radix) : BigInt(abs).toString(radix);
  } else if (typeof value === 'bigint') {
    negative = value < 0n;
    digits = (negative ? -value : value).toString(radix);
  } else if (typeof value === 'boolean') {
    negative = false;
    digits = value ? '1' : '0';
  } else return null;
  if (type === 'X') digits = digits.toUpperCase();
  if (precision > digits.length) digits = digits.padStart(precision, '0');
  if (radix !== 10 && flags.includes('#')) digits = RADIX_PREFIX[type] + digits;
  return padConversion(withSign(digits, negative, flags), spec, true);
}

/** `%f %F %e %E %g %G` with Python's exactly rounded digits; `-0.0` keeps its sign. */
function floatConversion(spec: ConversionSpec, value: unknown): string | null {
  const { flags, type } = spec;
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'bigint') n = Number(value);
  else if (typeof value === 'boolean') n = value ? 1 : 0;
  else return null;
  const precision = spec.precision >= 0 ? spec.precision : 6;
  const alternate = flags.includes('#');
  const abs = Math.abs(n);
  let body: string;
  if (!Number.isFinite(n)) body = Number.isNaN(n) ? 'nan' : 'inf';
  else if (type === 'f' || type === 'F')
    body = alternate && precision === 0 ? fixedDigits(abs, 0) + '.' : fixedDigits(abs, precision);
  else if (type === 'e' || type === 'E') body = exponentDigits(abs, precision, alternate);
  else body = generalDigits(abs, precision, alternate);
  if (type === 'F' || type === 'E' || type === 'G') body = body.toUpperCase();
  const negative = n < 0 || (n === 0 && 1 / n < 0);
  // Python zero-pads inf and nan too ('%05f' % inf is '00inf').
  return padConversion(withSign(body, negative, flags), spec, true);
}

/** `%c`: an int in range(0x110000) (booleans too) or a one-character string. */
function charConversion(spec: ConversionSpec, value: unknown): string | null {
  let text: string;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    const code = Number(value);
    if (
      !Number.isInteger(code) ||
      code < 0 ||
      code > 0x10ffff ||
      (code === 0 && typeof value === 'number' && 1 / value < 0)
    )
      return null;
    text = String.fromCodePoint(code);
  } else if (typeof value === 'string' && value.length > 0 && codePointLength(value) === 1) text = value;
  else return null;
  return padConversion(text, spec, false);
}

/** Renders `value` under a numeric conversion (`diouxXeEfFgGc`); `null` when Python would raise. */
export function numericConversion(spec: ConversionSpec, value: unknown): string | null {
  switch (spec.type) {
    case 'c':
      return charConversion(spec, value);
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
      return floatConversion(spec, value);
    default:
      return integerConversion(spec, value);
  }
}

/** Python's error text for a value {@link numericConversion} rejected (`%d format: a real number is required, not str`). */
export function conversionError(type: string, value: unknown, typeName = pyTypeName(value)): string {
  const isNumber = typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean';
  if (type === 'c') return isNumber && typeName === 'int' ? '%c arg not in range(0x110000)' : '%c requires int or char';
  if ('xXo'.includes(type)) return `%${type} format: an integer is required, not ${typeName}`;
  if ('diu'.includes(type)) {
    if (typeof value === 'number' && !Number.isFinite(value))
      return Number.isNaN(value) ? 'cannot convert float NaN to integer' : 'cannot convert float infinity to integer';
    return `%${type} format: a real number is required, not ${typeName}`;
  }
  return `must be real number, not ${typeName}`;
}

/**
 * How a message shows an argument its conversion cannot take, where Python would drop the whole
 * record: the conversion and the value's Python type, then the value as `%s` renders it, in Go's
 * notation (`%!d(str=abc)`), so the line is kept and the mistake can be searched for. An Error
 * shows as `TypeError: message`, not its stack, so the mark stays on one line.
 */
export function wrongTypeMark(type: string, value: unknown): string {
  return `%!${type}(${pyTypeName(value)}=${value instanceof Error ? String(value) : pyStr(value)})`;
}
