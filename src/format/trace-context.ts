/**
 * The active OpenTelemetry span's ids for a record: `trace_id`, `span_id`, `trace_flags` (as
 * `01`), the names OpenTelemetry's log data model and its pino instrumentation use.
 *
 * `@opentelemetry/api` is an optional peer dependency: it is looked for once, the first time a
 * formatter asks, and never when no formatter uses trace ids. Absent, each later ask costs one
 * comparison. The API keeps its state on a process-wide global, so the copy found here sees the
 * spans the application's SDK starts. The ids are captured when a record is created, inside the
 * caller's context (only once a formatter that writes them exists): a record formatted later (a
 * MemoryHandler's flush) carries the span of its log call.
 */
const { createRequire } = process.getBuiltinModule('node:module');
import { type LogRecord, capturedTrace, setTraceCapture } from '../core/record.js';

/** The span ids a record carries. */
export interface TraceIds {
  readonly trace_id: string;
  readonly span_id: string;
  /** Two hex digits, `01` when sampled. */
  readonly trace_flags: string;
}

/** The part of `@opentelemetry/api` read here. */
interface OtelApi {
  trace: { getSpanContext(context: unknown): { traceId: string; spanId: string; traceFlags: number } | undefined };
  context: { active(): unknown };
  isSpanContextValid(spanContext: { traceId: string; spanId: string }): boolean;
}

/** `undefined`: not looked for yet; `null`: not installed (or turned off). */
let api: OtelApi | null | undefined;
/** True once a formatter asked for span ids: records capture them from then on. */
let wanted = false;

function loadApi(): OtelApi | null {
  try {
    const loaded = createRequire(import.meta.url)('@opentelemetry/api') as Partial<OtelApi>;
    return typeof loaded.trace?.getSpanContext === 'function' && typeof loaded.context?.active === 'function'
      ? (loaded as OtelApi)
      : null;
  } catch {
    return null;
  }
}

/** The ids of the span active now, or `null` (no span, or no OpenTelemetry). */
function activeIds(): TraceIds | null {
  if (api === null) return null;
  api ??= loadApi();
  if (api === null) return null;
  const span = api.trace.getSpanContext(api.context.active());
  if (span === undefined || !api.isSpanContextValid(span)) return null;
  return {
    trace_id: span.traceId,
    span_id: span.spanId,
    trace_flags: (span.traceFlags < 16 ? '0' : '') + span.traceFlags.toString(16),
  };
}

/**
 * Called by a formatter that writes span ids, when it is built: from then on every record
 * captures the active span's ids when it is created (the API itself is looked for at the first
 * record). Before any such formatter, records capture nothing.
 */
export function wantTraceIds(): void {
  if (wanted) return;
  wanted = true;
  setTraceCapture(activeIds);
}

/**
 * The span ids active at the log call that made `record`, or `undefined` (no span, or no
 * OpenTelemetry). A record made before any formatter asked captured none: the ids active now.
 */
export function traceIdsOf(record: LogRecord): TraceIds | undefined {
  if (api === null) return undefined;
  const captured = capturedTrace(record);
  return ((captured === undefined ? activeIds() : captured) as TraceIds | null) ?? undefined;
}

/**
 * Turns the lookup off (`false`: records carry no span ids even with OpenTelemetry installed) or
 * back on (`true`: looked for again at the next record).
 */
export function setTraceContext(enabled: boolean): void {
  api = enabled ? undefined : null;
}
