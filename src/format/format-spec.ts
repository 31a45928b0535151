/**
 * Python's format-spec mini-language (`format(value, spec)`, the part after `:` in a `{`-style
 * field): `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`, for strings, integers
 * and floats, with Python's error messages.
 */
import { FormatError } from './errors.js';
import { type FieldKind, pyValueStr } from './fields.js';
import { exponentDigits, fixedDigits, generalDigits, pyFloatRepr } from '../core/py-number.js';

/** A parsed format spec. */
export interface FormatSpec {
  readonly source: string;
  readonly fill: string;
  /** True when the spec names its fill character (the `0` flag then does not replace it). */
  readonly fillGiven: boolean;
  /** `<`, `>`, `^`, `=` or `''` (the type's default). */
  readonly align: string;
  readonly sign: string;
  readonly zeroNegative: boolean;
  readonly alternate: boolean;
  /** The `0` flag (zero padding, sign-aware for numbers). */
  readonly zero: boolean;
  readonly width: number;
  readonly grouping: string;
  /** -1 when absent. */
  readonly precision: number;
  readonly type: string;
}

const ALIGNS = '<>=^';

function isAlign(c: string | undefined): c is string {
  return c !== undefined && ALIGNS.includes(c);
}

function isDigit(c: string | undefined): c is string {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Parses a spec once; throws Python's message for a malformed one. */
export function parseFormatSpec(spec: string, typeNameForErrors = 'str'): FormatSpec {
  let i = 0;
  let fill = ' ';
  let fillGiven = false;
  let align = '';
  const chars = [...spec];
  const [first, second] = chars;
  if (first !== undefined && isAlign(second)) {
    fill = first;
    fillGiven = true;
    align = second;
    i = 2;
  } else if (isAlign(first)) {
    align = first;
    i = 1;
  }
  let sign = '';
  const signChar = chars[i];
  if (signChar !== undefined && '+- '.includes(signChar)) {
    sign = signChar;
    i++;
  }
  let zeroNegative = false;
  if (chars[i] === 'z') {
    zeroNegative = true;
    i++;
  }
  let alternate = false;
  if (chars[i] === '#') {
    alternate = true;
    i++;
  }
  let zero = false;
  if (chars[i] === '0') {
    zero = true;
    i++;
  }
  let width = 0;
  while (isDigit(chars[i])) width = width * 10 + Number(chars[i++]);
  let grouping = '';
  const groupChar = chars[i];
  if (groupChar === ',' || groupChar === '_') {
    grouping = groupChar;
    i++;
    if (chars[i] === ',' || chars[i] === '_') throw new FormatError("Cannot specify both ',' and '_'.");
  }
  let precision = -1;
  if (chars[i] === '.') {
    i++;
    const start = i;
    precision = 0;
    while (isDigit(chars[i])) precision = precision * 10 + Number(chars[i++]);
    if (i === start) throw new FormatError('Format specifier missing precision');
  }
  if (chars.length - i > 1)
    throw new FormatError(`Invalid format specifier '${spec}' for object of type '${typeNameForErrors}'`);
  const type = chars[i] ?? '';
  return {
    source: spec,
    fill,
    fillGiven,
    align,
    sign,
    zeroNegative,
    alternate,
    zero,
    width,
    grouping,
    precision,
    type,
  };
}

function align(body: string, spec: FormatSpec, defaultAlign: string, signLength = 0): string {
  const length = [...body].length;
  if (spec.width <= length) return body;
  let fill = spec.fill;
  let how = spec.align || defaultAlign;
  if (spec.zero) {
    if (!spec.fillGiven) fill = '0';
    if (!spec.align && defaultAlign === '>') how = '=';
  }
  const room = spec.width - length;
  switch (how) {
    case '<':
      return body + fill.repeat(room);
    case '^': {
      const left = Math.floor(room / 2);
      return fill.repeat(left) + body + fill.repeat(room - left);
    }
    case '=':
      return body.slice(0, signLength) + fill.repeat(room) + body.slice(signLength);
    default:
      return fill.repeat(room) + body;
  }
}

/**
 * Python checks a grouping against the type while it parses the spec, before anything else, with
 * the value's default type (`s` for str, `d` for int, none for float) when the spec has none.
 */
function checkGrouping(spec: FormatSpec, defaultType: string): void {
  if (!spec.grouping) return;
  const type = spec.type || defaultType;
  if (type === '' || 'defgEG%F'.includes(type) || (spec.grouping === '_' && 'boxX'.includes(type))) return;
  throw new FormatError(`Cannot specify '${spec.grouping}' with '${type}'.`);
}

function formatString(text: string, spec: FormatSpec): string {
  checkGrouping(spec, 's');
  if (spec.type !== '' && spec.type !== 's')
    throw new FormatError(`Unknown format code '${spec.type}' for object of type 'str'`);
  if (spec.sign)
    throw new FormatError(
      spec.sign === ' '
        ? 'Space not allowed in string format specifier'
        : 'Sign not allowed in string format specifier',
    );
  if (spec.alternate) throw new FormatError('Alternate form (#) not allowed in string format specifier');
  if (spec.align === '=') throw new FormatError("'=' alignment not allowed in string format specifier");
  const truncated = spec.precision >= 0 ? [...text].slice(0, spec.precision).join('') : text;
  return align(truncated, spec, '<');
}

function group(digits: string, separator: string, size: number): string {
  if (!separator) return digits;
  let out = '';
  for (let end = digits.length; end > 0; end -= size) {
    const start = Math.max(0, end - size);
    out = digits.slice(start, end) + (out ? separator + out : '');
  }
  return out;
}

/** Sign, prefix and grouped digits, zero-filled to the width inside the grouping as Python does. */
function assembleNumber(
  negative: boolean,
  prefix: string,
  intDigits: string,
  rest: string,
  spec: FormatSpec,
  groupSize: number,
): string {
  const signText = negative ? '-' : spec.sign === '+' ? '+' : spec.sign === ' ' ? ' ' : '';
  const head = signText + prefix;
  let grouped = group(intDigits, spec.grouping, groupSize);
  // Python fills inside the grouping whenever the padding is '0' after the sign (`0=` or the `0` flag).
  const zeroFill = spec.zero
    ? !spec.align || (spec.align === '=' && (!spec.fillGiven || spec.fill === '0'))
    : spec.align === '=' && spec.fill === '0';
  if (zeroFill && spec.grouping) {
    let digits = intDigits;
    while (head.length + grouped.length + rest.length < spec.width) {
      digits = '0' + digits;
      grouped = group(digits, spec.grouping, groupSize);
    }
  }
  return align(head + grouped + rest, spec, '>', head.length);
}

function formatInteger(value: bigint, spec: FormatSpec): string {
  const type = spec.type || 'd';
  if (spec.precision >= 0) throw new FormatError('Precision not allowed in integer format specifier');
  if (type === 'c') {
    if (spec.sign) throw new FormatError("Sign not allowed with integer format specifier 'c'");
    if (spec.alternate) throw new FormatError("Alternate form (#) not allowed with integer format specifier 'c'");
    if (value < -(2n ** 63n) || value >= 2n ** 63n) throw new FormatError('Python int too large to convert to C long');
    if (value < 0n || value > 0x10ffffn) throw new FormatError('%c arg not in range(0x110000)');
    return align(String.fromCodePoint(Number(value)), spec, '>');
  }
  const negative = value < 0n;
  const abs = negative ? -value : value;
  let radix = 10;
  let prefix = '';
  if (type === 'b') [radix, prefix] = [2, '0b'];
  else if (type === 'o') [radix, prefix] = [8, '0o'];
  else if (type === 'x') [radix, prefix] = [16, '0x'];
  else if (type === 'X') [radix, prefix] = [16, '0X'];
  let digits = abs.toString(radix);
  if (type === 'X') digits = digits.toUpperCase();
  return assembleNumber(negative, spec.alternate ? prefix : '', digits, '', spec, radix === 10 ? 3 : 4);
}

function formatFloat(value: number, spec: FormatSpec): string {
  const type = spec.type;
  const negative = value < 0 || (Object.is(value, -0) && !spec.zeroNegative);
  let abs = Math.abs(value);
  let body: string;
  let suffix = '';
  if (!Number.isFinite(value)) {
    body = Number.isNaN(value) ? 'nan' : 'inf';
    if (type === 'E' || type === 'F' || type === 'G') body = body.toUpperCase();
    if (type === '%') suffix = '%';
  } else {
    const precision = spec.precision >= 0 ? spec.precision : 6;
    switch (type) {
      case 'f':
      case 'F':
        body = fixedDigits(abs, precision);
        break;
      case '%':
        abs *= 100;
        body = Number.isFinite(abs) ? fixedDigits(abs, precision) : 'inf';
        suffix = '%';
        break;
      case 'e':
      case 'E':
        body = exponentDigits(abs, precision, spec.alternate);
        break;
      case 'g':
      case 'G':
      case 'n':
        body = generalDigits(abs, precision, spec.alternate);
        break;
      default:
        // No type: repr without a precision, else `g` that keeps a `.0`.
        body = spec.precision >= 0 ? generalDigits(abs, spec.precision, spec.alternate, true) : pyFloatRepr(abs);
    }
    if (type === 'E' || type === 'G') body = body.toUpperCase();
    // `#` keeps the point when no decimals follow (`{x:#.0f}` is `5.`).
    if (spec.alternate && precision === 0 && 'fF%'.includes(type) && type !== '' && /^\d+$/.test(body)) body += '.';
  }
  // Grouping applies to the integer digits only.
  const intDigits = /^\d*/.exec(body)?.[0] ?? ''; // the pattern matches every string
  const rest = body.slice(intDigits.length) + suffix;
  return assembleNumber(negative && !Number.isNaN(value), '', intDigits, rest, spec, 3);
}

const INTEGER_TYPES = 'bcdoxXn';
const FLOAT_TYPES = 'eEfFgG%';

/**
 * Python's `format(value, spec)` for a field value. `kind` says whether a JavaScript number is a
 * float field (`created`, `msecs`) or an integer; other numbers are integers when integral.
 */
export function applyFormatSpec(value: unknown, spec: FormatSpec, kind: FieldKind): string {
  if (typeof value === 'string') return formatString(value, spec);
  if (spec.source === '') return pyValueStr(value, kind);
  if (typeof value === 'bigint' || typeof value === 'boolean') {
    // bool is an int in Python: `format(True, '.1f')` is `1.0`.
    const int = typeof value === 'bigint' ? value : value ? 1n : 0n;
    checkGrouping(spec, 'd');
    if (FLOAT_TYPES.includes(spec.type) && spec.type !== '') return formatFloat(Number(int), spec);
    if (spec.type && !INTEGER_TYPES.includes(spec.type))
      throw new FormatError(
        `Unknown format code '${spec.type}' for object of type '${typeof value === 'boolean' ? 'bool' : 'int'}'`,
      );
    return formatInteger(int, spec);
  }
  if (typeof value === 'number') {
    const isFloat = kind === 'float' || !Number.isInteger(value) || (value === 0 && 1 / value < 0);
    checkGrouping(spec, isFloat ? '' : 'd');
    if (!isFloat && (spec.type === '' || INTEGER_TYPES.includes(spec.type))) return formatInteger(BigInt(value), spec);
    if (spec.type !== '' && !FLOAT_TYPES.includes(spec.type) && spec.type !== 'n') {
      throw new FormatError(`Unknown format code '${spec.type}' for object of type '${isFloat ? 'float' : 'int'}'`);
    }
    return formatFloat(value, spec);
  }
  if (value === null || value === undefined)
    throw new FormatError('unsupported format string passed to NoneType.__format__');
  // `args` is a tuple (or a dict), which have no format spec in Python.
  if (kind === 'tuple')
    throw new FormatError(`unsupported format string passed to ${Array.isArray(value) ? 'tuple' : 'dict'}.__format__`);
  // Objects have no format spec in Python (TypeError); here they format as their str().
  return formatString(pyValueStr(value, kind), spec);
}
