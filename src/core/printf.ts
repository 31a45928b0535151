/**
 * Python's printf-style `%` formatting, shared by message arguments (`log.info('%s', x)`) and the
 * `%`-style formatter (`%(levelname)-8s`).
 */
const { inspect } = process.getBuiltinModule('node:util');
import { type ConversionSpec, numericConversion, padConversion, wrongTypeMark } from './py-conversion.js';
import { asciiEscape, pyRepr, pyStr, sliceCodePoints } from './py-text.js';

export { type ConversionSpec, padConversion, withSign } from './py-conversion.js';
export { pyRepr, pyStr } from './py-text.js';

const inspectOptions = { depth: 4, breakLength: Infinity } as const;

/** Renders one message argument under a conversion spec, following Python's `%` operator. */
export function formatValue(spec: ConversionSpec, value: unknown): string {
  const { precision, type } = spec;
  switch (type) {
    case 's':
    case 'r':
    case 'a': {
      const text = type === 's' ? pyStr(value) : type === 'r' ? pyRepr(value) : asciiEscape(pyRepr(value));
      return padConversion(precision >= 0 ? sliceCodePoints(text, precision) : text, spec, false);
    }
    case 'j': {
      let text: string;
      try {
        text = JSON.stringify(value) ?? 'undefined';
      } catch {
        text = '[Circular]';
      }
      return padConversion(text, spec, false);
    }
    case 'O':
      return padConversion(inspect(value, inspectOptions), spec, false);
  }
  return numericConversion(spec, value) ?? wrongTypeMark(type, value);
}

const SPEC_TYPES = 'diouxXeEfFgGcrsajO%';

/** Reads flags, width and precision after a `%` (or `%(key)`); returns the spec and next index. */
export function parseSpec(text: string, start: number): { spec: ConversionSpec; end: number } | null {
  let i = start;
  let flags = '';
  while (i < text.length && '#0- +'.includes(text.charAt(i))) flags += text[i++];
  let width = 0;
  while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57)
    width = width * 10 + text.charCodeAt(i++) - 48;
  let precision = -1;
  if (text[i] === '.') {
    i++;
    precision = 0;
    while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57)
      precision = precision * 10 + text.charCodeAt(i++) - 48;
  }
  // Python accepts (and ignores) a length modifier.
  if (text[i] === 'l' || text[i] === 'h' || text[i] === 'L') i++;
  const type = text[i];
  if (type === undefined || !SPEC_TYPES.includes(type)) return null;
  return { spec: { flags, width, precision, type }, end: i + 1 };
}

/**
 * A message format whose placeholders are all bare `%s`, `%d` or `%i` (and `%%`): the literal
 * texts around them and each placeholder's type, so a call joins them with its arguments.
 */
export interface BareFormat {
  /** The text before each placeholder, and after the last one (`%%` already a `%`). */
  readonly literals: readonly string[];
  /** One character per placeholder: `s`, `d` or `i`. */
  readonly types: string;
}

/*
 * Perf (bench/ printf scenario): the formats a program logs with are few and are string literals,
 * so each is split once and found again by the string itself. Bounded: at most BARE_CACHE_SIZE
 * formats of at most BARE_MAX_LENGTH characters (the cache starts over when full), so formats
 * built at run time cannot grow it.
 */
const BARE_CACHE_SIZE = 256;
const BARE_MAX_LENGTH = 256;
const bareFormats = new Map<string, BareFormat | null>();

/** `format` split at its placeholders when they are all bare `%s`/`%d`/`%i`; null otherwise. */
export function bareFormatOf(format: string): BareFormat | null {
  if (format.length > BARE_MAX_LENGTH) return null;
  const known = bareFormats.get(format);
  if (known !== undefined) return known;
  const parsed = splitBare(format);
  if (bareFormats.size >= BARE_CACHE_SIZE) bareFormats.clear();
  bareFormats.set(format, parsed);
  return parsed;
}

function splitBare(format: string): BareFormat | null {
  const literals: string[] = [];
  let types = '';
  let literal = '';
  let i = 0;
  for (let next = format.indexOf('%'); next >= 0; next = format.indexOf('%', i)) {
    literal += format.slice(i, next);
    const type = format[next + 1];
    if (type === '%') literal += '%';
    else if (type === 's' || type === 'd' || type === 'i') {
      literals.push(literal);
      literal = '';
      types += type;
    } else return null;
    i = next + 2;
  }
  literals.push(literal + format.slice(i));
  return { literals, types };
}

/**
 * `format` applied to `args` when every placeholder has an argument of the bare path (`%s`:
 * anything; `%d`/`%i`: a safe integer): the same text as {@link printf}, which consumes one
 * argument per placeholder. `undefined` when printf must do it.
 */
export function renderBare(format: BareFormat, args: readonly unknown[]): string | undefined {
  const { literals, types } = format;
  if (args.length < types.length) return undefined;
  let out = literals[0]!;
  for (let k = 0; k < types.length; k++) {
    const value = args[k];
    if (types.charCodeAt(k) === 115 /* s */) out += typeof value === 'string' ? value : pyStr(value);
    else if (typeof value === 'number' && Number.isSafeInteger(value)) out += String(value);
    else return undefined;
    out += literals[k + 1]!;
  }
  return out;
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
  const first = format.indexOf('%');
  if (first < 0) return { text: format, consumed: 0 };
  let out = format.slice(0, first);
  let argIndex = 0;
  let i = first;
  const mapping =
    args.length > 0 && typeof args[0] === 'object' && args[0] !== null
      ? (args[0] as Record<string, unknown>)
      : undefined;
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
    if ((type === 115 /* s */ || type === 100 /* d */ || type === 105) /* i */ && argIndex < args.length) {
      const value = args[argIndex];
      if (type === 115) {
        out += typeof value === 'string' ? value : pyStr(value);
        argIndex++;
        i = next + 2;
        continue;
      }
      if (typeof value === 'number' && Number.isSafeInteger(value)) {
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
    if (parsed.spec.type === '%') {
      out += '%'; // `%5%` is a literal percent in Python and takes no argument
    } else if (key !== undefined) {
      usedMapping = true;
      out += formatValue(parsed.spec, mapping![key]);
    } else {
      out += formatValue(parsed.spec, args[argIndex++]);
    }
    i = parsed.end;
  }
  return { text: out, consumed: usedMapping ? Math.max(argIndex, 1) : argIndex };
}
