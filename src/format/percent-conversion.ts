/**
 * One `%(name)…` conversion of a `%`-style format, with Python's rules (`fmt % record.__dict__`):
 * flags `#0- +`, width, precision and the types `diouxXeEfFgGcrsa`. Numbers use the exactly
 * rounded digits of `py-number.ts`; wrong types raise Python's TypeError messages.
 */
import { type ConversionSpec, padConversion, withSign } from '../core/printf.js';
import { FormatError } from './errors.js';
import { type FieldKind, pyTypeName, pyValueAscii, pyValueRepr, pyValueStr } from './fields.js';
import { exponentDigits, fixedDigits, generalDigits } from '../core/py-number.js';

/** Conversion types Python's `%` operator accepts after a key (`%%` alone is a literal percent). */
export const PERCENT_TYPES = 'diouxXeEfFgGcrsa';

const pad = padConversion;

function numberOf(value: unknown, type: string): number | bigint {
  if (typeof value === 'number' || typeof value === 'bigint') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const typeName = pyTypeName(value);
  if ('diu'.includes(type)) throw new FormatError(`%${type} format: a real number is required, not ${typeName}`);
  if ('xXo'.includes(type)) throw new FormatError(`%${type} format: an integer is required, not ${typeName}`);
  throw new FormatError(`must be real number, not ${typeName}`);
}

function integerConversion(spec: ConversionSpec, value: unknown): string {
  const { flags, precision, type } = spec;
  const n = numberOf(value, type);
  if (typeof n === 'number' && Number.isSafeInteger(n)) {
    // Fast path for the usual case (%(lineno)d, %(msecs)03d is a float field but integral).
    const negative = n < 0;
    const radix = type === 'o' ? 8 : type === 'x' || type === 'X' ? 16 : 10;
    let digits = (negative ? -n : n).toString(radix);
    if (type === 'X') digits = digits.toUpperCase();
    if (precision >= 0) digits = digits.padStart(precision, '0');
    if (flags.includes('#') && radix !== 10) digits = (type === 'o' ? '0o' : type === 'x' ? '0x' : '0X') + digits;
    return pad(withSign(digits, negative, flags), spec, true);
  }
  let int: bigint;
  if (typeof n === 'bigint') int = n;
  else if (!Number.isFinite(n)) {
    if ('xXo'.includes(type)) throw new FormatError(`%${type} format: an integer is required, not float`);
    throw new FormatError(Number.isNaN(n) ? 'cannot convert float NaN to integer' : 'cannot convert float infinity to integer');
  } else {
    if ('xXo'.includes(type) && !Number.isInteger(n)) throw new FormatError(`%${type} format: an integer is required, not float`);
    int = BigInt(Math.trunc(n));
  }
  const negative = int < 0n;
  const abs = negative ? -int : int;
  const radix = type === 'o' ? 8 : type === 'x' || type === 'X' ? 16 : 10;
  let digits = abs.toString(radix);
  if (type === 'X') digits = digits.toUpperCase();
  if (precision >= 0) digits = digits.padStart(precision, '0');
  if (flags.includes('#') && radix !== 10) digits = (type === 'o' ? '0o' : type === 'x' ? '0x' : '0X') + digits;
  return pad(withSign(digits, negative, flags), spec, true);
}

function floatConversion(spec: ConversionSpec, value: unknown): string {
  const { flags, type } = spec;
  const n = Number(numberOf(value, type));
  const precision = spec.precision >= 0 ? spec.precision : 6;
  const upper = type === 'E' || type === 'F' || type === 'G';
  const abs = Math.abs(n);
  const negative = n < 0 || Object.is(n, -0);
  let body: string;
  if (!Number.isFinite(n)) body = Number.isNaN(n) ? 'nan' : 'inf';
  else if (type === 'f' || type === 'F') body = fixedDigits(abs, precision);
  else if (type === 'e' || type === 'E') body = exponentDigits(abs, precision, flags.includes('#'));
  else body = generalDigits(abs, precision, flags.includes('#'));
  if (upper) body = body.toUpperCase();
  return pad(withSign(body, negative && !Number.isNaN(n), flags), spec, Number.isFinite(n));
}

function charConversion(spec: ConversionSpec, value: unknown): string {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0x10ffff) return pad(String.fromCodePoint(value), spec, false);
  if (typeof value === 'string' && [...value].length === 1) return pad(value, spec, false);
  throw new FormatError('%c requires int or char');
}

/** Renders `value` (of a field of `kind`) under one parsed `%` conversion. */
export function percentConversion(spec: ConversionSpec, value: unknown, kind: FieldKind): string {
  switch (spec.type) {
    case 's':
    case 'r':
    case 'a': {
      let text = spec.type === 's' ? pyValueStr(value, kind) : spec.type === 'r' ? pyValueRepr(value, kind) : pyValueAscii(value, kind);
      if (spec.precision >= 0) text = text.slice(0, spec.precision);
      return pad(text, spec, false);
    }
    case 'd':
    case 'i':
    case 'u':
    case 'o':
    case 'x':
    case 'X':
      return integerConversion(spec, value);
    case 'c':
      return charConversion(spec, value);
    default:
      return floatConversion(spec, value);
  }
}
