/**
 * Python's printf-style `%` formatting, shared by message arguments (`log.info('%s', x)`) and the
 * `%`-style formatter (`%(levelname)-8s`).
 */
import { inspect } from 'node:util';

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

function pad(body: string, spec: ConversionSpec, numeric: boolean): string {
  if (spec.width <= body.length) return body;
  if (spec.flags.includes('-')) return body.padEnd(spec.width);
  if (numeric && spec.flags.includes('0')) {
    // Zeros go after the sign and the 0x/0o prefix, as in C ('%#06x' % 255 is '0x00ff').
    const prefix = /^[-+ ]?(0[xXo])?/.exec(body)![0];
    return prefix + body.slice(prefix.length).padStart(spec.width - prefix.length, '0');
  }
  return body.padStart(spec.width);
}

function signed(body: string, negative: boolean, flags: string): string {
  if (negative) return '-' + body;
  if (flags.includes('+')) return '+' + body;
  if (flags.includes(' ')) return ' ' + body;
  return body;
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint' || typeof value === 'boolean') return Number(value);
  return Number.NaN;
}

function fixedNotation(abs: number, precision: number): string {
  if (!Number.isFinite(abs)) return Number.isNaN(abs) ? 'nan' : 'inf';
  const p = Math.min(precision, 99);
  if (abs >= 1e21) return abs.toFixed(p);
  // JavaScript rounds exact ties up; Python rounds them to even (1.25 → '1.2'). A tie needs the
  // exact decimal expansion to end with a 5 right after the last kept digit.
  const exact = abs.toFixed(100);
  const point = exact.indexOf('.');
  const cut = point + 1 + p;
  if (exact[cut] === '5' && /^0*$/.test(exact.slice(cut + 1))) {
    const truncated = exact.slice(0, p === 0 ? point : cut);
    const lastDigit = truncated.charCodeAt(truncated.length - 1) - 48;
    if (lastDigit % 2 === 0) return truncated;
  }
  return abs.toFixed(p);
}

function expNotation(abs: number, precision: number, upper: boolean): string {
  if (!Number.isFinite(abs)) return Number.isNaN(abs) ? 'nan' : 'inf';
  const [mantissa, exponent] = abs.toExponential(Math.min(precision, 100)).split('e');
  const exp = Number(exponent);
  const text = `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return upper ? text.toUpperCase() : text;
}

function generalNotation(abs: number, precision: number, alternate: boolean, upper: boolean): string {
  if (!Number.isFinite(abs)) return Number.isNaN(abs) ? 'nan' : 'inf';
  const p = precision === 0 ? 1 : precision;
  const exp = abs === 0 ? 0 : Math.floor(Math.log10(Number(abs.toExponential(p - 1))));
  let text: string;
  if (exp < -4 || exp >= p) {
    text = expNotation(abs, p - 1, upper);
    if (!alternate) text = text.replace(/\.?0+(?=[eE])/, '');
  } else {
    text = abs.toFixed(Math.max(0, p - 1 - exp));
    if (!alternate && text.includes('.')) text = text.replace(/\.?0+$/, '');
  }
  return text;
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
      return pad(signed(digits, int < 0, flags), spec, true);
    }
    case 'f':
    case 'F': {
      const n = toNumber(value);
      const text = fixedNotation(Math.abs(n), precision >= 0 ? precision : 6);
      return pad(signed(type === 'F' ? text.toUpperCase() : text, n < 0, flags), spec, Number.isFinite(n));
    }
    case 'e':
    case 'E': {
      const n = toNumber(value);
      const text = expNotation(Math.abs(n), precision >= 0 ? precision : 6, type === 'E');
      return pad(signed(text, n < 0, flags), spec, Number.isFinite(n));
    }
    case 'g':
    case 'G': {
      const n = toNumber(value);
      const text = generalNotation(Math.abs(n), precision >= 0 ? precision : 6, flags.includes('#'), type === 'G');
      return pad(signed(text, n < 0, flags), spec, Number.isFinite(n));
    }
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
      return pad(signed(digits, n < 0, flags), spec, true);
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
