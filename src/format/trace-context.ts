/**
 * The active OpenTelemetry span's ids for a record: `trace_id`, `span_id`, `trace_flags` (as
 * `01`), the names OpenTelemetry's log data model and its pino instrumentation use.
 *
 * `@opentelemetry/api` is an optional peer dependency: it is looked for once, the first time a
 * formatter asks, and never when no formatter uses trace ids. Absent, each later ask costs one
 * comparison. The API keeps its state on a process-wide global, so the copy found here sees the
 * spans the application's SDK starts. Records are formatted in the log call, inside the caller's
 * context; a record formatted later (a MemoryHandler's flush) carries the flush's span.
 */
import { createRequire } from 'node:module';
import type { LogRecord } from '../core/record.js';

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
let lastRecord: LogRecord | null = null;
let lastIds: TraceIds | undefined;

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

/** The active span's ids, or `undefined` (no span, or no OpenTelemetry). Kept for the record being formatted. */
export function traceIdsOf(record: LogRecord): TraceIds | undefined {
  if (api === null) return undefined;
  if (record === lastRecord) return lastIds;
  api ??= loadApi();
  if (api === null) return undefined;
  const span = api.trace.getSpanContext(api.context.active());
  lastRecord = record;
  lastIds =
    span !== undefined && api.isSpanContextValid(span)
      ? {
          trace_id: span.traceId,
          span_id: span.spanId,
          trace_flags: (span.traceFlags < 16 ? '0' : '') + span.traceFlags.toString(16),
        }
      : undefined;
  return lastIds;
}

/**
 * Turns the lookup off (`false`: records carry no span ids even with OpenTelemetry installed) or
 * back on (`true`: looked for again at the next record).
 */
export function setTraceContext(enabled: boolean): void {
  api = enabled ? undefined : null;
  lastRecord = null;
  lastIds = undefined;
}
