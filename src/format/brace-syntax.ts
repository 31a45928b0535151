/**
 * The syntax of a `{`-style format, as Python's `str.format` reads it: splitting into literals
 * and replacement fields (`_string.formatter_parser`, with its errors), logging's validation of
 * those fields, and field expressions (`args[0]`, `user.name`) and conversions (`!r`).
 */
import { pyRepr } from '../core/printf.js';
import { FormatError } from './errors.js';
import { type FieldKind, missingField, pyTypeName, pyValueAscii, pyValueRepr, pyValueStr } from './fields.js';

/** One replacement field of a `{` format, as Python's `string.Formatter.parse` yields it. */
export interface BraceField {
  name: string;
  conversion: string | undefined;
  spec: string;
}

/** Splits a `{` format into literals and fields, with `_string.formatter_parser`'s errors. */
export function parseBraceFormat(fmt: string): Array<string | BraceField> {
  const out: Array<string | BraceField> = [];
  let literal = '';
  let i = 0;
  while (i < fmt.length) {
    const ch = fmt.charAt(i);
    if (ch === '}') {
      if (fmt[i + 1] === '}') {
        literal += '}';
        i += 2;
        continue;
      }
      throw new FormatError("Single '}' encountered in format string");
    }
    if (ch !== '{') {
      literal += ch;
      i++;
      continue;
    }
    if (fmt[i + 1] === '{') {
      literal += '{';
      i += 2;
      continue;
    }
    if (i + 1 >= fmt.length) throw new FormatError("Single '{' encountered in format string");
    // Find the matching '}', counting nested braces (specs may hold `{width}`).
    let depth = 1;
    let k = i + 1;
    while (k < fmt.length) {
      if (fmt[k] === '{') depth++;
      else if (fmt[k] === '}' && --depth === 0) break;
      k++;
    }
    if (depth > 0) throw new FormatError("expected '}' before end of string");
    if (literal) out.push(literal);
    literal = '';
    out.push(parseBraceField(fmt.slice(i + 1, k)));
    i = k + 1;
  }
  if (literal) out.push(literal);
  return out;
}

function parseBraceField(body: string): BraceField {
  let i = 0;
  while (i < body.length) {
    const c = body.charAt(i);
    if (c === '{') throw new FormatError("unexpected '{' in field name");
    if (c === '[') {
      while (i < body.length && body[i] !== ']') i++;
      if (i < body.length) i++;
      continue;
    }
    if (c === '}' || c === ':' || c === '!') break;
    i++;
  }
  const name = body.slice(0, i);
  let conversion: string | undefined;
  let spec = '';
  if (body[i] === '!') {
    if (i + 1 >= body.length) throw new FormatError('end of string while looking for conversion specifier');
    conversion = body[i + 1];
    i += 2;
    if (i < body.length && body[i] !== ':') throw new FormatError("expected ':' after conversion specifier");
  }
  if (body[i] === ':') spec = body.slice(i + 1);
  return { name, conversion, spec };
}

const BRACE_FIELD_SPEC = /^(\d+|[\p{L}\p{N}\p{Mn}\p{Pc}]+)(\.[\p{L}\p{N}\p{Mn}\p{Pc}]+|\[[^\]]+\])*$/u;
// `u`: the fill is one code point, as in Python (`🚀<8`).
const BRACE_FORMAT_SPEC = /^(.?[<>=^])?[+ -]?#?0?(\d+|\{\w+\})?[,_]?(\.(\d+|\{\w+\}))?[bcdefgnosx%]?$/iu;

export function validateBrace(fmt: string): void {
  let fields = 0;
  try {
    for (const item of parseBraceFormat(fmt)) {
      if (typeof item === 'string') continue;
      if (item.name) {
        if (!BRACE_FIELD_SPEC.test(item.name))
          throw new FormatError(`invalid field name/expression: ${pyRepr(item.name)}`);
        fields++;
      }
      if (item.conversion && !'rsa'.includes(item.conversion))
        throw new FormatError(`invalid conversion: ${pyRepr(item.conversion)}`);
      if (item.spec && !BRACE_FORMAT_SPEC.test(item.spec)) throw new FormatError(`bad specifier: ${pyRepr(item.spec)}`);
    }
  } catch (error) {
    throw new FormatError(`invalid format: ${(error as Error).message}`);
  }
  if (fields === 0) throw new FormatError('invalid format: no fields');
}

export type Step = { attribute: string } | { key: string | number };

/** Splits `args[0].name` into the first name and the attribute/index steps after it. */
export function parseFieldName(name: string): { first: string; steps: Step[] } {
  const firstEnd = name.search(/[.[]/);
  const first = firstEnd < 0 ? name : name.slice(0, firstEnd);
  const steps: Step[] = [];
  let i = firstEnd < 0 ? name.length : firstEnd;
  while (i < name.length) {
    if (name[i] === '.') {
      const end = name.slice(i + 1).search(/[.[]/);
      const attribute = end < 0 ? name.slice(i + 1) : name.slice(i + 1, i + 1 + end);
      if (!attribute) throw new FormatError('Empty attribute in format string');
      steps.push({ attribute });
      i += 1 + attribute.length;
    } else if (name[i] === '[') {
      const close = name.indexOf(']', i);
      if (close < 0) throw new FormatError("Missing ']' in format string");
      const key = name.slice(i + 1, close);
      if (!key) throw new FormatError('Empty attribute in format string');
      steps.push({ key: /^\d+$/.test(key) ? Number(key) : key });
      i = close + 1;
    } else {
      throw new FormatError("Only '.' or '[' may follow ']' in format field specifier");
    }
  }
  return { first, steps };
}

export function step(value: unknown, s: Step): unknown {
  if ('attribute' in s) {
    if (typeof value === 'object' && value !== null && s.attribute in value)
      return (value as Record<string, unknown>)[s.attribute];
    throw new FormatError(`'${pyTypeName(value)}' object has no attribute '${s.attribute}'`);
  }
  if (typeof value === 'string' || Array.isArray(value)) {
    if (typeof s.key !== 'number')
      throw new FormatError(`${Array.isArray(value) ? 'list' : 'string'} indices must be integers`);
    if (s.key >= value.length) throw new FormatError(`${Array.isArray(value) ? 'list' : 'string'} index out of range`);
    return value[s.key];
  }
  if (typeof value === 'object' && value !== null && Object.prototype.hasOwnProperty.call(value, s.key))
    return (value as Record<string, unknown>)[s.key];
  if (typeof value === 'object' && value !== null) throw missingField(String(s.key));
  throw new FormatError(`'${pyTypeName(value)}' object is not subscriptable`);
}

export function convert(value: unknown, conversion: string | undefined, kind: FieldKind): unknown {
  switch (conversion) {
    case undefined:
      return value;
    case 's':
      return pyValueStr(value, kind);
    case 'r':
      return pyValueRepr(value, kind);
    case 'a':
      return pyValueAscii(value, kind);
    default:
      throw new FormatError(`Unknown conversion specifier ${conversion}`);
  }
}
