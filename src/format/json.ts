/**
 * One JSON object per record, for production log pipelines: time, level, logger, message, pid,
 * process name, the structured fields, and the error's stack when there is one.
 *
 * The line is assembled by hand from pre-serialised keys; values go through `JSON.stringify`
 * (strings included, so escaping is always right). Objects that JSON cannot express (cycles,
 * BigInt) are rendered safely instead of failing the line.
 */
import { inspect } from 'node:util';
import { CALLER_FIELDS, type LogRecord } from '../core/record.js';
import { fieldReader, isRecordField } from './fields.js';
import { parseBraceFormat } from './brace-syntax.js';
import type { FormatContext, RecordFormatter } from './types.js';

/** Where the time comes from: ISO 8601 in UTC (`2020-10-15T18:47:04.825Z`), epoch seconds or epoch milliseconds. */
export type JsonTimeFormat = 'iso' | 'epoch' | 'millis';

/** Options of {@link JsonFormatter}. */
export interface JsonFormatterOptions {
  /**
   * Output keys, in order: source → key in the line. A source is `time` (or `asctime`), `error` (the stack, only
   * when the record has an error) or any Python record field name (`levelname`, `funcName`,
   * `lineno`, `threadName`, …). Default: {@link DEFAULT_JSON_KEYS}.
   */
  keys?: Readonly<Record<string, string>>;
  /**
   * Structured fields: `true` (default) merges them into the top level; a string nests them under
   * that key; `false` leaves them out. A merged field whose key the line already has is written
   * as `_<key>`, so nothing is lost or duplicated.
   */
  fields?: boolean | string;
  /** How `time` is written (default `iso`). */
  time?: JsonTimeFormat;
  /** Constant keys added to every line (service name, environment, …). */
  static?: Readonly<Record<string, unknown>>;
}

/** The default keys: `{"time","level","logger","message","pid","processName",…fields,"error"}`. */
export const DEFAULT_JSON_KEYS: Readonly<Record<string, string>> = Object.freeze({
  time: 'time',
  levelname: 'level',
  name: 'logger',
  message: 'message',
  process: 'pid',
  processName: 'processName',
  error: 'error',
});

const PERCENT_FIELD = /%\(([^)]+)\)/g;
const DOLLAR_FIELD = /\$\{?([_a-z][_a-z0-9]*)\}?/gi;

/** The fields a Python format names, as keys (what python-json-logger does with `format=`). */
function keysFromFormat(fmt: string): Record<string, string> {
  const names = new Set<string>();
  for (const m of fmt.matchAll(PERCENT_FIELD)) names.add(m[1]!);
  if (names.size === 0 && fmt.includes('{')) {
    try {
      for (const item of parseBraceFormat(fmt)) if (typeof item !== 'string' && item.name) names.add(item.name.split(/[.[]/)[0]!);
    } catch {
      // not a brace format
    }
  }
  if (names.size === 0) for (const m of fmt.matchAll(DOLLAR_FIELD)) names.add(m[1]!);
  const keys: Record<string, string> = {};
  for (const name of names) keys[name] = name;
  if (!('error' in keys)) keys['error'] = 'error';
  return keys;
}

/** `JSON.stringify`, but never throws: cycles and BigInt become text. */
function jsonValue(value: unknown): string | undefined {
  // Perf (bench/, object scenario): a replacer function takes V8 off its fast JSON serialiser for
  // every field. Primitives are written directly and objects try the plain JSON.stringify first;
  // only when that throws (a BigInt or a cycle) does the BigInt-aware path below run. Same output:
  // the replacer changes nothing but BigInts.
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'object':
      if (value === null) return 'null';
      try {
        return JSON.stringify(value);
      } catch {
        // BigInt inside, or a cycle: the slow path decides.
      }
  }
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  } catch {
    return JSON.stringify(inspect(value, { depth: 4, breakLength: Infinity }));
  }
}

type Writer = (record: LogRecord) => string | undefined;

/**
 * Formats each record as one line of JSON.
 *
 * ```ts
 * new JsonFormatter();                                   // {"time":"…","level":"INFO","logger":"app",…}
 * new JsonFormatter({ keys: { time: 'ts', levelname: 'lvl', message: 'msg' }, fields: 'ctx' });
 * new JsonFormatter('%(asctime)s %(levelname)s %(message)s'); // keys named after the fields
 * ```
 *
 * A string argument (as the config layer passes Python's `format=`) selects the fields it names.
 */
export class JsonFormatter implements RecordFormatter {
  readonly usesCaller: boolean;
  private readonly writers: Array<{ prefix: string; write: Writer }> = [];
  private readonly fieldsMode: boolean | string;
  private readonly takenKeys: Set<string>;
  /** Structured fields some key already writes (`%(request_id)s`): not merged a second time. */
  private readonly writtenFields = new Set<string>();
  private readonly staticText: string;
  private readonly timeFormat: JsonTimeFormat;
  /** `"error":` when errors are written (always last, after the structured fields). */
  private readonly errorPrefix: string | undefined;
  private cachedSecond = Number.NaN;
  private cachedIsoPrefix = '';
  /** Perf (bench/): `"key":` of structured fields already seen (bounded), instead of stringify + lookup per line. */
  private readonly fieldKeyTexts = new Map<string, string>();

  constructor(options?: JsonFormatterOptions | string | null) {
    const opts: JsonFormatterOptions = typeof options === 'string' ? { keys: keysFromFormat(options) } : (options ?? {});
    const keys = opts.keys ?? DEFAULT_JSON_KEYS;
    this.fieldsMode = opts.fields ?? true;
    this.timeFormat = opts.time ?? 'iso';
    this.takenKeys = new Set(Object.values(keys));
    let staticText = '';
    for (const [key, value] of Object.entries(opts.static ?? {})) {
      const json = jsonValue(value);
      if (json === undefined) continue;
      staticText += `${JSON.stringify(key)}:${json},`;
      this.takenKeys.add(key);
    }
    this.staticText = staticText;
    if (typeof this.fieldsMode === 'string') this.takenKeys.add(this.fieldsMode);
    let usesCaller = false;
    let errorPrefix: string | undefined;
    for (const [source, key] of Object.entries(keys)) {
      if (source !== 'time' && source !== 'error' && !isRecordField(source)) this.writtenFields.add(source);
      if (CALLER_FIELDS.has(source)) usesCaller = true;
      if (source === 'error') errorPrefix = `${JSON.stringify(key)}:`;
      else this.writers.push({ prefix: `${JSON.stringify(key)}:`, write: this.writerFor(source) });
    }
    this.errorPrefix = errorPrefix;
    this.usesCaller = usesCaller;
  }

  private writerFor(source: string): Writer {
    // `asctime` is how a Python format names the time.
    if (source === 'time' || source === 'asctime') return (record) => this.timeOf(record);
    if (source === 'message') return (record) => JSON.stringify(record.getMessage());
    // A field the record lacks reads as undefined and is left out.
    const reader = fieldReader(source, undefined, true);
    return (record) => {
      let value: unknown;
      try {
        value = reader.read(record);
      } catch {
        return undefined; // a getter that throws: left out too
      }
      if (value === undefined) return undefined;
      if (typeof value === 'string') return JSON.stringify(value);
      if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
      if (value instanceof Error) return JSON.stringify(value.message);
      return jsonValue(value);
    };
  }

  private errorText(record: LogRecord): string {
    const exc = record.exc!;
    if (!record.exc_text) record.exc_text = inspect(exc, { depth: 3, colors: false });
    return record.exc_text;
  }

  private timeOf(record: LogRecord): string {
    const millis = Math.round(record.created * 1000);
    if (this.timeFormat === 'millis') return String(millis);
    if (this.timeFormat === 'epoch') return String(record.created);
    const second = Math.floor(millis / 1000);
    if (second !== this.cachedSecond) {
      this.cachedSecond = second;
      this.cachedIsoPrefix = new Date(second * 1000).toISOString().slice(0, 20); // up to "…:04."
    }
    const ms = millis - second * 1000;
    return `"${this.cachedIsoPrefix}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z"`;
  }

  /** `"key":` for a merged structured field (`"_key":` when the line already has that key). */
  private fieldKeyText(key: string): string {
    let text = this.fieldKeyTexts.get(key);
    if (text === undefined) {
      text = `${JSON.stringify(this.takenKeys.has(key) ? '_' + key : key)}:`;
      if (this.fieldKeyTexts.size < 1024) this.fieldKeyTexts.set(key, text);
    }
    return text;
  }

  /** One JSON object, without the trailing newline. */
  format(record: LogRecord, _context?: FormatContext): string {
    record.getMessage(); // resolves structured fields and the error from the arguments
    let out = '{' + this.staticText;
    for (const { prefix, write } of this.writers) {
      const json = write(record);
      if (json !== undefined) out += prefix + json + ',';
    }
    const fields = record.fields;
    if (fields !== undefined && this.fieldsMode !== false) {
      if (typeof this.fieldsMode === 'string') {
        const json = jsonValue(fields);
        if (json !== undefined) out += `${JSON.stringify(this.fieldsMode)}:${json},`;
      } else {
        for (const key in fields) {
          if (!Object.prototype.hasOwnProperty.call(fields, key) || this.writtenFields.has(key)) continue;
          const json = jsonValue(fields[key]);
          if (json === undefined) continue;
          out += this.fieldKeyText(key) + json + ',';
        }
      }
    }
    if (this.errorPrefix !== undefined && record.exc) out += this.errorPrefix + JSON.stringify(this.errorText(record)) + ',';
    return out.length > 1 ? out.slice(0, -1) + '}' : '{}';
  }
}
