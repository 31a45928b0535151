/**
 * The shapes of {@link JsonFormatter}'s lines: logdial's default, and the presets other tools read
 * as their own — `pino` (pino-pretty, pino transports), `ecs` (Elastic Common Schema) and `otel`
 * (the OpenTelemetry log data model). Pure data and pure level mappings, resolved once when a
 * formatter is built.
 */
const { hostname } = process.getBuiltinModule('node:os');

/** Where the time comes from: ISO 8601 in UTC (`2020-10-15T18:47:04.825Z`), epoch seconds or epoch milliseconds. */
export type JsonTimeFormat = 'iso' | 'epoch' | 'millis';

/** A named JSON shape. */
export type JsonPreset = 'pino' | 'ecs' | 'otel';

/**
 * How the record's error is written: `text` (its inspected stack under the error key), `pino`
 * (pino's `err` object), `ecs` (`error.type`/`error.message`/`error.stack_trace`), `otel`
 * (`exception.type`/`exception.message`/`exception.stacktrace` among the attributes).
 */
export type ErrorStyle = 'text' | 'pino' | 'ecs' | 'otel';

/** Keys of the active span's ids; a key left out is not written. */
export interface TraceKeys {
  trace_id?: string;
  span_id?: string;
  trace_flags?: string;
}

/** Everything a shape decides. */
export interface JsonShape {
  /** source → key, written first, in this order. */
  readonly head: Readonly<Record<string, string>>;
  /** source → key, written after the fields and the error. */
  readonly tail: Readonly<Record<string, string>>;
  readonly fields: boolean | string;
  readonly time: JsonTimeFormat;
  readonly errorStyle: ErrorStyle;
  readonly trace: TraceKeys;
  readonly static: Readonly<Record<string, unknown>>;
}

/**
 * Sources a key can name besides record fields: `time` (`asctime` too), `message`, `hostname`,
 * `error`, `level.pino` (pino's numbers), `level.lower` (`info`), `level.otel` (OTel's
 * severity number) and `scope` (`{"name": logger}`).
 */
export const SPECIAL_SOURCES: ReadonlySet<string> = new Set([
  'time',
  'asctime',
  'message',
  'hostname',
  'error',
  'level.pino',
  'level.lower',
  'level.otel',
  'scope',
]);

const OTEL_TRACE: TraceKeys = Object.freeze({ trace_id: 'trace_id', span_id: 'span_id', trace_flags: 'trace_flags' });

/** `{"time","level","logger","message","pid","processName",…fields,"error"}`. */
export const DEFAULT_SHAPE: JsonShape = Object.freeze({
  head: Object.freeze({
    time: 'time',
    levelname: 'level',
    name: 'logger',
    message: 'message',
    process: 'pid',
    processName: 'processName',
    error: 'error',
  }),
  tail: Object.freeze({}),
  fields: true,
  time: 'iso',
  errorStyle: 'text',
  trace: OTEL_TRACE,
  static: Object.freeze({}),
});

let host: string | undefined;
/** The machine's name, read once. */
export function hostName(): string {
  return (host ??= hostname());
}

/** The ECS version the `ecs` preset's lines follow. */
export const ECS_VERSION = '8.11.0';

/** The presets, built on first use (the host name is read then). */
export function presetShape(preset: JsonPreset): JsonShape {
  switch (preset) {
    case 'pino':
      // pino's own order: level, time, pid, hostname, name, bindings and fields, err, msg.
      return {
        head: { 'level.pino': 'level', time: 'time', process: 'pid', hostname: 'hostname', name: 'name', error: 'err' },
        tail: { message: 'msg' },
        fields: true,
        time: 'millis',
        errorStyle: 'pino',
        trace: OTEL_TRACE,
        static: {},
      };
    case 'ecs':
      return {
        head: {
          time: '@timestamp',
          'level.lower': 'log.level',
          message: 'message',
          name: 'log.logger',
          process: 'process.pid',
          hostname: 'host.hostname',
          error: 'error',
        },
        tail: {},
        fields: true,
        time: 'iso',
        errorStyle: 'ecs',
        trace: { trace_id: 'trace.id', span_id: 'span.id' },
        static: { 'ecs.version': ECS_VERSION },
      };
    case 'otel':
      return {
        head: {
          time: 'timestamp',
          levelname: 'severity_text',
          'level.otel': 'severity_number',
          message: 'body',
          scope: 'instrumentation_scope',
          error: 'exception',
        },
        tail: {},
        fields: 'attributes',
        time: 'iso',
        errorStyle: 'otel',
        trace: OTEL_TRACE,
        static: { resource: { 'process.pid': process.pid, 'host.name': hostName() } },
      };
    default:
      throw new TypeError(`Unknown JSON preset ${JSON.stringify(preset)}: expected 'pino', 'ecs' or 'otel'`);
  }
}

/** True for the names {@link presetShape} accepts. */
export function isJsonPreset(value: unknown): value is JsonPreset {
  return value === 'pino' || value === 'ecs' || value === 'otel';
}

/** pino's level numbers (trace 10 … fatal 60) for logdial's levels; a custom level takes the one below it. */
export function pinoLevel(levelno: number): number {
  if (levelno >= 50) return 60;
  if (levelno >= 40) return 50;
  if (levelno >= 30) return 40;
  if (levelno >= 20) return 30;
  if (levelno >= 10) return 20;
  return 10;
}

/** OpenTelemetry's severity numbers (TRACE 1, DEBUG 5, INFO 9, WARN 13, ERROR 17, FATAL 21). */
export function otelSeverity(levelno: number): number {
  return (pinoLevel(levelno) / 10 - 1) * 4 + 1;
}
