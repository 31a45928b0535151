/**
 * JSON log lines — logdial's JsonFormatter, pino, bunyan, winston, ECS — recognised and turned
 * into readable lines (`time LEVEL logger: message key=value…`) whose fields can be filtered:
 * `level>=warn`, `logger=app.db`, `reqId=42`, `res.statusCode>=500`. Pure functions: parsing and
 * matching are tested without a terminal.
 */
import { LEVEL_RANKS } from './filters.js';

/** A parsed JSON line: the common fields, and the object itself for any other field. */
export interface JsonFields {
  /** A JSON line (shown in its readable form) or a line parsed by its logging format (shown as is). */
  kind: 'json' | 'format';
  time: string;
  level: string;
  rank: number;
  logger: string;
  message: string;
  object: Record<string, unknown>;
}

/** Finds a line's fields (null: it has none). */
export type LineParser = (plain: string) => JsonFields | null;

/** JSON lines, then the first of `parsers` (a logging format, a parser file) that parses the line. */
export function lineParser(...parsers: Array<{ parse: LineParser } | null>): LineParser {
  const others = parsers.filter((p): p is { parse: LineParser } => p !== null);
  if (others.length === 0) return parseJsonLine;
  return (plain) => {
    const json = parseJsonLine(plain);
    if (json) return json;
    for (const parser of others) {
      const fields = parser.parse(plain);
      if (fields) return fields;
    }
    return null;
  };
}

/** pino and bunyan numeric levels. */
const NUMERIC_LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const SHOWN_APART = new Set([
  'time',
  'timestamp',
  '@timestamp',
  'level',
  'levelname',
  'log.level',
  'log',
  'logger',
  'name',
  'msg',
  'message',
  'v',
  'hostname',
  'pid',
  'ecs',
  'ecs.version',
]);

/** A field's value as text: strings as they are, objects and arrays as JSON (not `[object Object]`). */
export function fieldText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value) ?? typeof value;
}

function pick(object: Record<string, unknown>, ...keys: string[]): unknown {
  for (const key of keys) {
    const value = key.includes('.') ? path(object, key) : object[key];
    if (value !== undefined && value !== null && value !== '') return value;
  }
  return undefined;
}

/** The value at a dotted path (`res.statusCode`), or a key that itself has dots (ECS flat keys). */
export function path(object: Record<string, unknown>, dotted: string): unknown {
  if (dotted in object) return object[dotted];
  let value: unknown = object;
  for (const part of dotted.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** The fields of a JSON log line, or null when the line is not a JSON object. */
export function parseJsonLine(plain: string): JsonFields | null {
  if (plain.charCodeAt(0) !== 123 || plain.charCodeAt(plain.length - 1) !== 125) return null;
  let object: unknown;
  try {
    object = JSON.parse(plain);
  } catch {
    return null;
  }
  if (typeof object !== 'object' || object === null || Array.isArray(object)) return null;
  const o = object as Record<string, unknown>;
  const rawLevel = pick(o, 'level', 'levelname', 'log.level', 'severity');
  const level =
    typeof rawLevel === 'number'
      ? (NUMERIC_LEVELS[rawLevel] ?? String(rawLevel))
      : fieldText(rawLevel ?? '').toUpperCase();
  const rawTime = pick(o, 'time', 'timestamp', '@timestamp');
  const time = typeof rawTime === 'number' ? new Date(rawTime).toISOString() : fieldText(rawTime ?? '');
  return {
    kind: 'json',
    time,
    level,
    rank: LEVEL_RANKS[level] ?? 0,
    logger: fieldText(pick(o, 'logger', 'log.logger', 'name') ?? ''),
    message: fieldText(pick(o, 'msg', 'message') ?? ''),
    object: o,
  };
}

/** The readable line for parsed fields: `time LEVEL logger: message key=value…`. */
export function readableLine(fields: JsonFields): string {
  const extra: string[] = [];
  for (const [key, value] of Object.entries(fields.object)) {
    if (SHOWN_APART.has(key)) continue;
    extra.push(`${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  const head = [fields.time, fields.level, fields.logger ? `${fields.logger}:` : ''].filter(Boolean).join(' ');
  return [head, fields.message, ...extra].filter(Boolean).join(' ');
}

/** A field condition: `field op value`. */
export interface FieldCondition {
  field: string;
  op: '=' | '!=' | '>=' | '<=' | '>' | '<' | '~';
  value: string;
  source: string;
  /** For `~`: the value as a case-insensitive regex, compiled once. */
  regex?: RegExp;
}

/** Parses `level>=warn`, `logger=app.db`, `msg~timeout`; throws with what was expected. */
export function parseCondition(text: string): FieldCondition {
  const match = /^\s*([\w.@-]+)\s*(>=|<=|!=|=|>|<|~)\s*(.*?)\s*$/.exec(text);
  if (!match || match[3] === '')
    throw new Error(
      `'${text}': expected FIELD OP VALUE with OP one of = != >= <= > < ~ (e.g. level>=warn, logger=app.db)`,
    );
  // Groups 1 and 3 are not optional: a match has them.
  const condition: FieldCondition = {
    field: match[1]!,
    op: match[2] as FieldCondition['op'],
    value: match[3]!,
    source: text.trim(),
  };
  if (condition.op === '~') {
    try {
      condition.regex = new RegExp(condition.value, 'i');
    } catch (error) {
      throw new Error(`'${text}': invalid regular expression: ${(error as Error).message}`);
    }
  }
  return condition;
}

/** The value a condition compares: the common fields by name, any other by its dotted path. */
function valueOf(fields: JsonFields, name: string): unknown {
  if (name === 'level') return fields.rank;
  if (name === 'logger') return fields.logger;
  if (name === 'msg' || name === 'message') return fields.message;
  return path(fields.object, name);
}

/** True when the parsed line meets the condition (a line without the field does not). */
export function meets(fields: JsonFields, condition: FieldCondition): boolean {
  const actual = valueOf(fields, condition.field);
  if (actual === undefined || actual === null) return false;
  if (condition.regex) return condition.regex.test(fieldText(actual));
  const wanted =
    condition.field === 'level'
      ? (LEVEL_RANKS[condition.value.toUpperCase()] ?? Number(condition.value))
      : condition.value;
  const numeric =
    typeof actual === 'number' || (typeof actual === 'string' && actual.trim() !== '' && !Number.isNaN(Number(actual)));
  const a = numeric && !Number.isNaN(Number(wanted)) ? Number(actual) : fieldText(actual);
  const b = typeof a === 'number' ? Number(wanted) : String(wanted);
  switch (condition.op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '>=':
      return a >= b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a < b;
  }
}
