/**
 * One JSON object per record, for production log pipelines. The default shape: time, level,
 * logger, message, pid, process name, the structured fields, and the error's stack when there
 * is one; or a preset other tools read as their own (`pino`, `ecs`, `otel`; json-presets.ts).
 *
 * The line is assembled by hand from keys serialised at construction; values go through
 * serialize.ts (strings through `JSON.stringify`, so escaping is always right; cycles, BigInt,
 * Maps and errors rendered so nothing is lost). Fields are read through the process's redaction
 * (redaction.ts), so a redacted value never reaches the line.
 */
const { inspect } = process.getBuiltinModule('node:util');
import { CALLER_FIELDS, type LogRecord } from '../core/record.js';
import { fieldReader, isRecordField } from './fields.js';
import { parseBraceFormat } from './brace-syntax.js';
import {
  DEFAULT_SHAPE,
  type ErrorStyle,
  type JsonPreset,
  type JsonShape,
  type JsonTimeFormat,
  SPECIAL_SOURCES,
  type TraceKeys,
  hostName,
  otelSeverity,
  pinoLevel,
  presetShape,
} from './json-presets.js';
import { visibleFields } from './redaction.js';
import { errorType, jsonValue, messageWithCauses, stackWithCauses } from './serialize.js';
import { traceIdsOf, wantTraceIds } from './trace-context.js';
import type { FormatContext, RecordFormatter } from './types.js';

export type { JsonPreset, JsonTimeFormat } from './json-presets.js';

/** Options of {@link JsonFormatter}. */
export interface JsonFormatterOptions {
  /** A shape other tools read as their own: `pino`, `ecs` or `otel` (default: logdial's own). */
  preset?: JsonPreset;
  /**
   * Renames keys: source → key in the line. Every other key of the shape stays; a source the
   * shape lacks (`funcName`, `lineno`, a field name) is added; `null` drops a key. A source is
   * `time`, `message`, `hostname`, `error`, `level.pino`, `level.lower`, `level.otel`, `scope`,
   * or any Python record field name (`levelname`, `funcName`, `lineno`, …).
   */
  keys?: Readonly<Record<string, string | null>>;
  /**
   * Structured fields: `true` merges them into the top level; a string nests them under that key;
   * `false` leaves them out. A merged field whose key the line already has is written as
   * `_<key>`, so nothing is lost or duplicated. Default: the shape's (`true`; `otel`: `attributes`).
   */
  fields?: boolean | string;
  /** How the time is written (default: the shape's; `iso`, `pino`: `millis`). */
  time?: JsonTimeFormat;
  /** Constant keys added to every line (service name, environment, …). */
  static?: Readonly<Record<string, unknown>>;
  /** The active OpenTelemetry span's ids (default `true`; written only when a span is active). */
  trace?: boolean;
}

/** The default keys: `{"time","level","logger","message","pid","processName",…fields,"error"}`. */
export const DEFAULT_JSON_KEYS: Readonly<Record<string, string>> = DEFAULT_SHAPE.head;

const PERCENT_FIELD = /%\(([^)]+)\)/g;
const DOLLAR_FIELD = /\$\{?([_a-z][_a-z0-9]*)\}?/gi;

/** The fields a Python format names, as keys (what python-json-logger does with `format=`). */
function keysFromFormat(fmt: string): Record<string, string> {
  const names = new Set<string>();
  // The patterns' group 1 is not optional: a match has it.
  for (const m of fmt.matchAll(PERCENT_FIELD)) names.add(m[1]!);
  if (names.size === 0 && fmt.includes('{')) {
    try {
      for (const item of parseBraceFormat(fmt))
        if (typeof item !== 'string' && item.name) names.add(item.name.split(/[.[]/)[0]!);
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

/** The shape an options object asks for: the preset's, keys renamed or added, options applied. */
export function resolveShape(opts: JsonFormatterOptions): JsonShape {
  const base = opts.preset === undefined ? DEFAULT_SHAPE : presetShape(opts.preset);
  const head: Record<string, string> = { ...base.head };
  const tail: Record<string, string> = { ...base.tail };
  for (const [source, key] of Object.entries(opts.keys ?? {})) {
    const where = Object.hasOwn(tail, source) ? tail : head;
    if (key === null || key === undefined) delete where[source];
    else if (typeof key !== 'string' || key === '')
      throw new TypeError(
        `JsonFormatter keys.${source}: expected a key name (a non-empty string) or null, not ${JSON.stringify(key)}`,
      );
    else where[source] = key;
  }
  return {
    head,
    tail,
    fields: opts.fields ?? base.fields,
    time: opts.time ?? base.time,
    errorStyle: base.errorStyle,
    trace: opts.trace === false ? {} : base.trace,
    static: opts.static ?? base.static,
  };
}

type Writer = (record: LogRecord) => string | undefined;
type Keyed = { readonly prefix: string; readonly write: Writer };

function isErrorValue(value: unknown): value is Error {
  return value instanceof Error;
}

/**
 * Formats each record as one line of JSON.
 *
 * ```ts
 * new JsonFormatter();                                   // {"time":"…","level":"INFO","logger":"app",…}
 * new JsonFormatter({ preset: 'pino' });                 // {"level":30,"time":1700000000000,"pid":…,"hostname":…,"msg":"…"}
 * new JsonFormatter({ keys: { time: 'ts', message: 'msg' }, fields: 'ctx' }); // renamed; every other key kept
 * new JsonFormatter('%(asctime)s %(levelname)s %(message)s'); // only the keys the format names
 * ```
 *
 * A string argument (as the config layer passes Python's `format=`) selects the fields it names.
 */
export class JsonFormatter implements RecordFormatter {
  readonly usesCaller: boolean;
  /** The preset this formatter was built with (`undefined`: the default shape). */
  readonly preset: JsonPreset | undefined;
  private readonly head: Keyed[] = [];
  private readonly tail: Keyed[] = [];
  private readonly fieldsMode: boolean | string;
  /** `"attributes":` when fields are nested. */
  private readonly nestPrefix: string | undefined;
  private readonly takenKeys: Set<string>;
  /** Structured fields some key already writes (`%(request_id)s`): not merged a second time. */
  private readonly writtenFields = new Set<string>();
  private readonly staticText: string;
  private readonly timeFormat: JsonTimeFormat;
  private readonly errorStyle: ErrorStyle;
  /** The error's key (`error`, `err`; for `otel` the prefix of `exception.type`, …), `undefined`: not written. */
  private readonly errorKey: string | undefined;
  private readonly errorPrefix: string;
  /** `"trace_id":` and which id it writes. */
  private readonly traceWriters: Array<readonly [prefix: string, key: string, id: keyof TraceKeys]> = [];
  private cachedSecond = Number.NaN;
  private cachedIsoPrefix = '';
  /** Perf (bench/): `"key":` of structured fields already seen (bounded), instead of stringify + lookup per line. */
  private readonly fieldKeyTexts = new Map<string, string>();
  private readonly nestedKeyTexts = new Map<string, string>();
  /** Level texts by level number (the level mappings are pure; levels are small integers). */
  private readonly levelTexts = new Map<string, string>();

  constructor(options?: JsonFormatterOptions | string | null) {
    const shape: JsonShape =
      typeof options === 'string' ? { ...DEFAULT_SHAPE, head: keysFromFormat(options) } : resolveShape(options ?? {});
    this.preset = typeof options === 'object' && options !== null ? options.preset : undefined;
    this.fieldsMode = shape.fields;
    this.timeFormat = shape.time;
    this.errorStyle = shape.errorStyle;
    const keyed = { ...shape.head, ...shape.tail };
    this.takenKeys = new Set(Object.values(keyed));
    let staticText = '';
    for (const [key, value] of Object.entries(shape.static)) {
      const json = jsonValue(value);
      if (json === undefined) continue;
      staticText += `${JSON.stringify(key)}:${json},`;
      this.takenKeys.add(key);
    }
    this.staticText = staticText;
    this.nestPrefix = typeof this.fieldsMode === 'string' ? `${JSON.stringify(this.fieldsMode)}:` : undefined;
    if (typeof this.fieldsMode === 'string') this.takenKeys.add(this.fieldsMode);
    let usesCaller = false;
    let errorKey: string | undefined;
    for (const [source, key] of Object.entries(keyed)) {
      if (!SPECIAL_SOURCES.has(source) && !isRecordField(source)) this.writtenFields.add(source);
      if (CALLER_FIELDS.has(source)) usesCaller = true;
      if (source === 'error') errorKey = key;
      else
        (Object.hasOwn(shape.tail, source) ? this.tail : this.head).push({
          prefix: `${JSON.stringify(key)}:`,
          write: this.writerFor(source),
        });
    }
    if (this.errorStyle === 'otel' && errorKey !== undefined) this.takenKeys.delete(errorKey);
    this.errorKey = errorKey;
    this.errorPrefix = errorKey === undefined ? '' : `${JSON.stringify(errorKey)}:`;
    for (const id of ['trace_id', 'span_id', 'trace_flags'] as const) {
      const key = shape.trace[id];
      if (key !== undefined) this.traceWriters.push([`${JSON.stringify(key)}:`, key, id]);
    }
    if (this.traceWriters.length > 0) wantTraceIds();
    this.usesCaller = usesCaller;
  }

  private writerFor(source: string): Writer {
    switch (source) {
      case 'time':
      case 'asctime': // how a Python format names the time
        return (record) => this.timeOf(record);
      case 'message':
        return (record) => JSON.stringify(record.getMessage());
      case 'hostname': {
        const text = JSON.stringify(hostName());
        return () => text;
      }
      case 'level.pino':
        return (record) => this.levelText(record, 'p', pinoLevel);
      case 'level.otel':
        return (record) => this.levelText(record, 'o', otelSeverity);
      case 'level.lower':
        return (record) => this.levelText(record, 'l', () => JSON.stringify(record.levelname.toLowerCase()));
      case 'scope':
        return (record) => `{"name":${JSON.stringify(record.name)}}`;
    }
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

  /** A level's text through a pure mapping, kept per level name (a renamed level gets its own entry). */
  private levelText(record: LogRecord, kind: string, map: (levelno: number) => number | string): string {
    const cacheKey = kind + record.levelno + record.levelname;
    let text = this.levelTexts.get(cacheKey);
    if (text === undefined) {
      text = String(map(record.levelno));
      if (this.levelTexts.size < 256) this.levelTexts.set(cacheKey, text);
    }
    return text;
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

  /** `"key":` for a field nested under the fields key. */
  private nestedKeyText(key: string): string {
    let text = this.nestedKeyTexts.get(key);
    if (text === undefined) {
      text = `${JSON.stringify(key)}:`;
      if (this.nestedKeyTexts.size < 1024) this.nestedKeyTexts.set(key, text);
    }
    return text;
  }

  /** `"k":v,` for each field a key does not already write (`err` left out when it is the record's error). */
  private fieldsText(fields: Record<string, unknown>, merged: boolean, skipErr: boolean): string {
    let out = '';
    for (const key in fields) {
      if (!Object.hasOwn(fields, key) || this.writtenFields.has(key) || (skipErr && key === 'err')) continue;
      const json = jsonValue(fields[key]);
      if (json === undefined) continue;
      out += (merged ? this.fieldKeyText(key) : this.nestedKeyText(key)) + json + ',';
    }
    return out;
  }

  /** The error's members with trailing commas, in the shape's style. */
  private errorText(record: LogRecord, err: Error): string {
    switch (this.errorStyle) {
      case 'text':
        if (record.exc !== err) return '';
        record.exc_text ??= inspect(err, { depth: 3, colors: false });
        return this.errorPrefix + JSON.stringify(record.exc_text) + ',';
      case 'pino':
        return this.errorPrefix + jsonValue(err) + ',';
      case 'ecs': {
        const code: unknown = (err as { code?: unknown }).code;
        const codeText =
          typeof code === 'string' || typeof code === 'number' ? `,"code":${JSON.stringify(String(code))}` : '';
        return `${this.errorPrefix}{"type":${JSON.stringify(errorType(err))},"message":${JSON.stringify(messageWithCauses(err))},"stack_trace":${JSON.stringify(stackWithCauses(err))}${codeText}},`;
      }
      case 'otel': {
        const p = this.errorKey!;
        return `${JSON.stringify(p + '.type')}:${JSON.stringify(errorType(err))},${JSON.stringify(p + '.message')}:${JSON.stringify(messageWithCauses(err))},${JSON.stringify(p + '.stacktrace')}:${JSON.stringify(stackWithCauses(err))},`;
      }
    }
  }

  /** One JSON object, without the trailing newline. */
  format(record: LogRecord, _context?: FormatContext): string {
    record.getMessage(); // resolves structured fields and the error from the arguments
    let out = '{' + this.staticText;
    // Written only on a record a trigger emitted late, so every other line keeps its shape.
    if (record.backfill === true) out += '"backfill":true,';
    for (const { prefix, write } of this.head) {
      const json = write(record);
      if (json !== undefined) out += prefix + json + ',';
    }
    const fields = visibleFields(record);
    let err = record.exc;
    // pino's convention `log.error({ err }, 'failed')`: the field is the record's error.
    const promoted =
      err === undefined && this.errorStyle !== 'text' && fields !== undefined && isErrorValue(fields['err']);
    if (promoted) err = fields['err'] as Error;
    const errorText = err !== undefined && this.errorKey !== undefined ? this.errorText(record, err) : '';
    if (this.nestPrefix !== undefined) {
      let inner = fields !== undefined ? this.fieldsText(fields, false, promoted) : '';
      if (this.errorStyle === 'otel') inner += errorText;
      if (inner.length > 0) out += this.nestPrefix + '{' + inner.slice(0, -1) + '},';
      if (this.errorStyle !== 'otel') out += errorText;
    } else {
      if (fields !== undefined && this.fieldsMode !== false) out += this.fieldsText(fields, true, promoted);
      out += errorText;
    }
    if (this.traceWriters.length > 0) {
      const ids = traceIdsOf(record);
      if (ids !== undefined) {
        for (const [prefix, key, id] of this.traceWriters)
          if (fields === undefined || !Object.hasOwn(fields, key)) out += `${prefix}"${ids[id]}",`;
      }
    }
    for (const { prefix, write } of this.tail) {
      const json = write(record);
      if (json !== undefined) out += prefix + json + ',';
    }
    return out.length > 1 ? out.slice(0, -1) + '}' : '{}';
  }
}
