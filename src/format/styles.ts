/**
 * The three format styles of Python's `logging` (`%`, `{`, `$`): validation at construction with
 * CPython's rules and messages, and compilation of a format string into literal text and one
 * closure per field, so formatting a record is a loop of property reads and concatenations.
 * Nothing in a format is ever evaluated as code.
 */
import { parseSpec, pyRepr } from '../core/printf.js';
import type { LogRecord } from '../core/record.js';
import { FormatError } from './errors.js';
import { type BraceField, convert, parseBraceFormat, parseFieldName, step, validateBrace } from './brace-syntax.js';
import { type FieldKind, type FieldReader, fieldReader, pyValueStr } from './fields.js';
import { type FormatSpec, applyFormatSpec, parseFormatSpec } from './format-spec.js';
import { PERCENT_TYPES, percentConversion } from './percent-conversion.js';

/** `%` (printf), `{` (str.format) or `$` (string.Template), as Python's `style=`. */
export type FormatStyle = '%' | '{' | '$';

/** Renders one field of a record. */
export type FieldPart = (record: LogRecord) => string;

/** A format compiled for one style: `literals[0] + parts[0](r) + literals[1] + … + literals[n]`. */
export interface CompiledFormat {
  readonly literals: readonly string[];
  readonly parts: readonly FieldPart[];
  /** Top-level field names the format reads, in order of first use. */
  readonly fields: readonly string[];
}

/** Python's default format per style. */
export const DEFAULT_FORMATS: Readonly<Record<FormatStyle, string>> = {
  '%': '%(message)s',
  '{': '{message}',
  $: '${message}',
};

type Defaults = Readonly<Record<string, unknown>> | undefined;

/** Collects literals and parts while a format is compiled. */
class Builder {
  readonly literals: string[] = [''];
  readonly parts: FieldPart[] = [];
  readonly fields: string[] = [];
  private readers = new Map<string, FieldReader>();

  constructor(private readonly defaults: Defaults) {}

  text(text: string): void {
    this.literals[this.literals.length - 1] += text;
  }

  part(part: FieldPart): void {
    this.parts.push(part);
    this.literals.push('');
  }

  reader(name: string): FieldReader {
    let reader = this.readers.get(name);
    if (!reader) {
      reader = fieldReader(name, this.defaults);
      this.readers.set(name, reader);
      this.fields.push(name);
    }
    return reader;
  }

  /** A part that fails every time, as Python fails at format time for errors validation let through. */
  failing(error: FormatError): void {
    this.part(() => {
      throw error;
    });
  }

  done(): CompiledFormat {
    return { literals: this.literals, parts: this.parts, fields: this.fields };
  }
}

/** Python's `str()` of a field, as the cheapest closure for its kind. */
function strPart(reader: FieldReader): FieldPart {
  const { read, kind } = reader;
  if (kind === 'string') return read as FieldPart;
  if (kind === 'int') return (record) => String(read(record));
  return (record) => pyValueStr(read(record), kind);
}

// ---------------------------------------------------------------------------------------------
// % style

const PERCENT_VALIDATION = /%\([\p{L}\p{N}\p{Mn}\p{Pc}]+\)[#0+ -]*(\*|\d+)?(\.(\*|\d+))?[diouxefgcrsa%]/iu;

function compilePercent(fmt: string, builder: Builder): void {
  let i = 0;
  while (i < fmt.length) {
    const next = fmt.indexOf('%', i);
    if (next < 0) {
      builder.text(fmt.slice(i));
      return;
    }
    builder.text(fmt.slice(i, next));
    if (fmt[next + 1] === '%') {
      builder.text('%');
      i = next + 2;
      continue;
    }
    let j = next + 1;
    let key: string | undefined;
    if (fmt[j] === '(') {
      // Python counts nested parentheses in the key.
      let depth = 1;
      let k = j + 1;
      while (k < fmt.length && depth > 0) {
        if (fmt[k] === '(') depth++;
        else if (fmt[k] === ')') depth--;
        k++;
      }
      if (depth > 0) return builder.failing(new FormatError('incomplete format key'));
      key = fmt.slice(j + 1, k - 1);
      j = k;
    }
    const flagsEnd = /^[-+ #0]*(\*|\d+)?(\.(\*|\d+)?)?[hlL]?/.exec(fmt.slice(j))![0]; // every part optional: it always matches
    // `*` takes the width from the next positional argument, which a mapping does not have.
    if (flagsEnd.includes('*')) return builder.failing(new FormatError('not enough arguments for format string'));
    const typeIndex = j + flagsEnd.length;
    if (typeIndex >= fmt.length) return builder.failing(new FormatError('incomplete format'));
    const type = fmt.charAt(typeIndex);
    // Python fetches the next positional argument before it looks at the type; there is none.
    if (key === undefined) return builder.failing(new FormatError('not enough arguments for format string'));
    if (!PERCENT_TYPES.includes(type)) {
      const code = type.charCodeAt(0);
      return builder.failing(
        new FormatError(
          `unsupported format character ${pyRepr(String.fromCodePoint(code))} (0x${code.toString(16)}) at index ${typeIndex}`,
        ),
      );
    }
    const parsed = parseSpec(fmt, j) ?? { spec: { flags: '', width: 0, precision: -1, type }, end: typeIndex + 1 };
    const spec = parsed.spec;
    const reader = builder.reader(key);
    if (type === 's' && spec.flags === '' && spec.width === 0 && spec.precision < 0) builder.part(strPart(reader));
    else {
      const { read, kind } = reader;
      builder.part((record) => percentConversion(spec, read(record), kind));
    }
    i = typeIndex + 1;
  }
}

// ---------------------------------------------------------------------------------------------
// { style

const specCache = new Map<string, FormatSpec>();

function cachedSpec(spec: string): FormatSpec {
  let parsed = specCache.get(spec);
  if (!parsed) {
    parsed = parseFormatSpec(spec);
    if (specCache.size > 512) specCache.clear();
    specCache.set(spec, parsed);
  }
  return parsed;
}

function braceFieldPart(field: BraceField, builder: Builder): FieldPart {
  const { first, steps } = parseFieldName(field.name);
  if (first === '' || /^\d+$/.test(first)) {
    const index = first === '' ? 0 : Number(first);
    throw new FormatError(`Replacement index ${index} out of range for positional args tuple`);
  }
  const reader = builder.reader(first);
  const { read } = reader;
  const kind: FieldKind = steps.length > 0 ? 'any' : reader.kind;
  const value =
    steps.length === 0
      ? read
      : (record: LogRecord) => {
          let v = read(record);
          for (const s of steps) v = step(v, s);
          return v;
        };
  const { conversion } = field;
  if (field.spec.includes('{')) {
    // A nested spec (`{message:{width}}`) is rendered per record, then parsed.
    const specFormat = compileBraceInto(field.spec, builder);
    return (record) => {
      const spec = render(specFormat, record);
      return applyFormatSpec(convert(value(record), conversion, kind), cachedSpec(spec), conversion ? 'string' : kind);
    };
  }
  if (field.spec === '' && conversion === undefined && steps.length === 0) return strPart(reader);
  const spec = parseFormatSpec(field.spec);
  if (conversion === undefined) return (record) => applyFormatSpec(value(record), spec, kind);
  return (record) => applyFormatSpec(convert(value(record), conversion, kind), spec, 'string');
}

function compileBraceInto(fmt: string, builder: Builder): CompiledFormat {
  const inner = new Builder(undefined);
  // Nested fields read through the outer builder so they count as used fields.
  for (const item of parseBraceFormat(fmt)) {
    if (typeof item === 'string') inner.text(item);
    else inner.part(braceFieldPart(item, builder));
  }
  return inner.done();
}

function compileBrace(fmt: string, builder: Builder): void {
  let items: Array<string | BraceField>;
  try {
    items = parseBraceFormat(fmt);
  } catch (error) {
    return builder.failing(error as FormatError);
  }
  for (const item of items) {
    if (typeof item === 'string') builder.text(item);
    else {
      try {
        builder.part(braceFieldPart(item, builder));
      } catch (error) {
        builder.failing(error as FormatError);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// $ style

/** `string.Template.pattern` (identifiers are ASCII, case-insensitive). */
const TEMPLATE_PATTERN = /\$(?:(\$)|([_a-z][_a-z0-9]*)|\{([_a-z][_a-z0-9]*)\}|())/gi;

function validateDollar(fmt: string): void {
  let fields = 0;
  for (const match of fmt.matchAll(TEMPLATE_PATTERN)) {
    if (match[2] || match[3]) fields++;
    else if (match[1] === undefined) throw new FormatError("invalid format: bare '$' not allowed");
  }
  if (fields === 0) throw new FormatError('invalid format: no fields');
}

function compileDollar(fmt: string, builder: Builder): void {
  let last = 0;
  for (const match of fmt.matchAll(TEMPLATE_PATTERN)) {
    builder.text(fmt.slice(last, match.index));
    last = match.index + match[0].length;
    const name = match[2] || match[3]; // `$name` or `${name}`
    if (match[1] !== undefined) builder.text('$');
    else if (name) builder.part(strPart(builder.reader(name)));
    else {
      // Template.substitute's error, with its line and column.
      const at = match.index + 1; // Python reports the position just after the `$`
      const lines = fmt.slice(0, at).split(/(?<=\n)/);
      const lineno = lines.length;
      const colno = at - lines.slice(0, -1).join('').length;
      return builder.failing(new FormatError(`Invalid placeholder in string: line ${lineno}, col ${colno}`));
    }
  }
  builder.text(fmt.slice(last));
}

// ---------------------------------------------------------------------------------------------

/** Throws {@link FormatError} with CPython's message when `fmt` is not a valid format of `style`. */
export function validateFormat(fmt: string, style: FormatStyle): void {
  if (style === '%') {
    if (!PERCENT_VALIDATION.test(fmt)) throw new FormatError(`Invalid format '${fmt}' for '%' style`);
  } else if (style === '{') validateBrace(fmt);
  else validateDollar(fmt);
}

/** Compiles `fmt`; errors that Python reports only when formatting become parts that throw. */
export function compileFormat(fmt: string, style: FormatStyle, defaults?: Defaults): CompiledFormat {
  const builder = new Builder(defaults);
  if (style === '%') compilePercent(fmt, builder);
  else if (style === '{') compileBrace(fmt, builder);
  else compileDollar(fmt, builder);
  return builder.done();
}

/** Python's `usesTime()`: whether the format mentions `asctime` (a substring test, as CPython's). */
export function formatUsesTime(fmt: string, style: FormatStyle): boolean {
  if (style === '%') return fmt.includes('%(asctime)');
  if (style === '{') return fmt.includes('{asctime');
  return fmt.includes('$asctime') || fmt.includes('${asctime}');
}

/** Renders a compiled format for a record (no exception text). */
export function render(compiled: CompiledFormat, record: LogRecord): string {
  const { literals, parts } = compiled;
  // compileFormat keeps one literal more than parts (around each part); indexed, not iterated, per call.
  let out = literals[0]!;
  for (let i = 0; i < parts.length; i++) out += parts[i]!(record) + literals[i + 1]!;
  return out;
}
