/**
 * Python's printf-style `%` formatting, shared by message arguments (`log.info('%s', x)`) and the
 * `%`-style formatter (`%(levelname)-8s`).
 */
import { inspect } from 'node:util';
import { exponentDigits, fixedDigits, generalDigits } from './py-number.js';

/** A parsed conversion specification: `%[flags][width][.precision]type`. */
export interface ConversionSpec {
  flags: string;
  width: number;
  precision: number; // -1 when absent
  type: string;
}

const inspectOptions = { depth: 4, breakLength: Infinity } as const;

/** Python's `repr` for the values a JavaScript program logs. */
export function pyRepr(value: unknown): string {
  if (typeof value === 'string') {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    let out = quote;
    for (const ch of value) {
      const code = ch.codePointAt(0)!;
      if (ch === '\\') out += '\\\\';
      else if (ch === quote) out += '\\' + quote;
      else if (ch === '\n') out += '\\n';
      else if (ch === '\r') out += '\\r';
      else if (ch === '\t') out += '\\t';
      else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
      else out += ch;
    }
    return out + quote;
  }
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return pyStr(value);
  // As Python's repr of an exception (`ValueError('boom')`): one line; the stack belongs to exc_text.
  if (value instanceof Error) return `${value.name}(${pyRepr(value.message)})`;
  return inspect(value, inspectOptions);
}

/** Python's `str` for the values a JavaScript program logs; objects are inspected like Node does. */
export function pyStr(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      if (Number.isInteger(value) || !Number.isFinite(value)) {
        if (value === Infinity) return 'inf';
        if (value === -Infinity) return '-inf';
        if (Number.isNaN(value)) return 'nan';
      }
      return String(value);
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

/** Pads a converted value to the spec's width: left with `-`, zeros after any sign and 0x/0o prefix with `0` (as C; '%#06x' % 255 is '0x00ff'). */
export function padConversion(body: string, spec: ConversionSpec, zeroAllowed: boolean): string {
  if (spec.width <= body.length) return body;
  if (spec.flags.includes('-')) return body.padEnd(spec.width);
  if (zeroAllowed && spec.flags.includes('0')) {
    const prefix = /^[-+ ]?(0[xXo])?/.exec(body)![0];
    return prefix + body.slice(prefix.length).padStart(spec.width - prefix.length, '0');
  }
  return body.padStart(spec.width);
}

/** Puts the sign in front: `-` for negatives, else `+` or a space when the flags ask for one. */
export function withSign(body: string, negative: boolean, flags: string): string {
  if (negative) return '-' + body;
  if (flags.includes('+')) return '+' + body;
  if (flags.includes(' ')) return ' ' + body;
  return body;
}

const pad = padConversion;

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint' || typeof value === 'boolean') return Number(value);
  return Number.NaN;
}

/** `%f %e %g` (and upper-case forms) with Python's exactly rounded digits; NaN for non-numbers. */
function floatConversion(spec: ConversionSpec, value: unknown): string {
  const n = toNumber(value);
  const precision = spec.precision >= 0 ? spec.precision : 6;
  const abs = Math.abs(n);
  let body: string;
  if (!Number.isFinite(n)) body = Number.isNaN(n) ? 'nan' : 'inf';
  else if (spec.type === 'f' || spec.type === 'F') body = fixedDigits(abs, precision);
  else if (spec.type === 'e' || spec.type === 'E') body = exponentDigits(abs, precision, spec.flags.includes('#'));
  else body = generalDigits(abs, precision, spec.flags.includes('#'));
  if (spec.type === 'F' || spec.type === 'E' || spec.type === 'G') body = body.toUpperCase();
  return pad(withSign(body, n < 0, spec.flags), spec, Number.isFinite(n));
}

/** Renders one value under a conversion spec, following Python's `%` operator. */
export function formatValue(spec: ConversionSpec, value: unknown): string {
  const { flags, precision, type } = spec;
  switch (type) {
    case 's': {
      const text = pyStr(value);
      return pad(precision >= 0 ? text.slice(0, precision) : text, spec, false);
    }
    case 'r':
    case 'a': {
      const text = pyRepr(value);
      return pad(precision >= 0 ? text.slice(0, precision) : text, spec, false);
    }
    case 'd':
    case 'i':
    case 'u': {
      const n = toNumber(value);
      if (!Number.isFinite(n)) return pad(Number.isNaN(n) ? 'NaN' : n > 0 ? 'inf' : '-inf', spec, false);
      const int = Math.trunc(n);
      let digits = String(Math.abs(int));
      if (precision >= 0) digits = digits.padStart(precision, '0');
      return pad(withSign(digits, int < 0, flags), spec, true);
    }
    case 'f':
    case 'F':
    case 'e':
    case 'E':
    case 'g':
    case 'G':
      return floatConversion(spec, value);
    case 'x':
    case 'X':
    case 'o': {
      if (type === 'o' && typeof value !== 'number' && typeof value !== 'bigint') {
        // Node's %o: an object inspected with hidden details.
        return pad(inspect(value, { showHidden: true, depth: 4, breakLength: Infinity }), spec, false);
      }
      const n = Math.trunc(toNumber(value));
      let digits = Math.abs(n).toString(type === 'o' ? 8 : 16);
      if (type === 'X') digits = digits.toUpperCase();
      if (precision >= 0) digits = digits.padStart(precision, '0');
      if (flags.includes('#')) digits = (type === 'o' ? '0o' : type === 'x' ? '0x' : '0X') + digits;
      return pad(withSign(digits, n < 0, flags), spec, true);
    }
    case 'c': {
      const text = typeof value === 'number' ? String.fromCodePoint(value) : String(value).slice(0, 1);
      return pad(text, spec, false);
    }
    case 'j': {
      let text: string;
      try {
        text = JSON.stringify(value) ?? 'undefined';
      } catch {
        text = '[Circular]';
      }
      return pad(text, spec, false);
    }
    case 'O':
      return pad(inspect(value, inspectOptions), spec, false);
    default:
      return pad(pyStr(value), spec, false);
  }
}

const SPEC_TYPES = 'diouxXeEfFgGcrsajO%';

/** Reads flags, width and precision after a `%` (or `%(key)`); returns the spec and next index. */
export function parseSpec(text: string, start: number): { spec: ConversionSpec; end: number } | null {
  let i = start;
  let flags = '';
  while (i < text.length && '#0- +'.includes(text[i]!)) flags += text[i++];
  let width = 0;
  while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) width = width * 10 + text.charCodeAt(i++) - 48;
  let precision = -1;
  if (text[i] === '.') {
    i++;
    precision = 0;
    while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) precision = precision * 10 + text.charCodeAt(i++) - 48;
  }
  // Python accepts (and ignores) a length modifier.
  if (text[i] === 'l' || text[i] === 'h' || text[i] === 'L') i++;
  const type = text[i];
  if (type === undefined || !SPEC_TYPES.includes(type)) return null;
  return { spec: { flags, width, precision, type }, end: i + 1 };
}

/** The result of applying message arguments: text plus the arguments no placeholder consumed. */
export interface PrintfResult {
  text: string;
  /** Index of the first argument not consumed by a placeholder. */
  consumed: number;
}

/**
 * Python's `msg % args` for log messages. A mapping format (`%(key)s`) reads from the first
 * argument when it is an object. Placeholders without an argument are left as they are.
 */
export function printf(format: string, args: readonly unknown[]): PrintfResult {
  let first = format.indexOf('%');
  if (first < 0) return { text: format, consumed: 0 };
  let out = format.slice(0, first);
  let argIndex = 0;
  let i = first;
  const mapping = args.length > 0 && typeof args[0] === 'object' && args[0] !== null ? (args[0] as Record<string, unknown>) : undefined;
  let usedMapping = false;
  while (i < format.length) {
    const next = format.indexOf('%', i);
    if (next < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, next);
    if (format[next + 1] === '%') {
      out += '%';
      i = next + 2;
      continue;
    }
    // Perf: a bare `%s`, `%d` or `%i` (nearly every placeholder) skips the spec parser and its
    // allocations; the result is the same as formatValue's for these.
    const type = format.charCodeAt(next + 1);
    if ((type === 115 /* s */ || type === 100 /* d */ || type === 105 /* i */) && argIndex < args.length) {
      const value = args[argIndex];
      if (type === 115) {
        out += typeof value === 'string' ? value : pyStr(value);
        argIndex++;
        i = next + 2;
        continue;
      }
      if (typeof value === 'number' && Number.isInteger(value)) {
        out += String(value); // String(-0) is '0', as Python's '%d' % -0.0
        argIndex++;
        i = next + 2;
        continue;
      }
    }
    let key: string | undefined;
    let specStart = next + 1;
    if (format[specStart] === '(' && mapping) {
      const close = format.indexOf(')', specStart);
      if (close > 0) {
        key = format.slice(specStart + 1, close);
        specStart = close + 1;
      }
    }
    const parsed = parseSpec(format, specStart);
    if (!parsed || (key === undefined && argIndex >= args.length)) {
      out += '%';
      i = next + 1;
      continue;
    }
    if (key !== undefined) {
      usedMapping = true;
      out += formatValue(parsed.spec, mapping![key]);
    } else {
      out += formatValue(parsed.spec, args[argIndex++]);
    }
    i = parsed.end;
  }
  return { text: out, consumed: usedMapping ? Math.max(argIndex, 1) : argIndex };
}
