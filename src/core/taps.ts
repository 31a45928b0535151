/**
 * Record taps: temporary readers of the records at a logger (and below it) from a level on, apart
 * from the handlers. A tap may lower a logger's threshold so records are made for it, but
 * records below what the configuration enables reach only the taps, never the handlers: what the
 * process writes to its own outputs does not change while it is tapped (a trigger's tap is the
 * exception by design: it emits the records it kept before an error, core/triggers.ts). With no
 * tap, the cost on the logging path is one comparison of a counter.
 *
 * A record made for the taps alone skips the caller capture (a stack trace, about a microsecond)
 * unless a tap reads caller fields: a tail never does, a trigger's tap may (it hands its records
 * to handlers later).
 */
import type { LogRecord } from './record.js';

/** A reader of records; `deliver` must not throw and must not block (it buffers or drops). */
export interface RecordTap {
  /** Dotted logger name; `''` for every logger. */
  readonly logger: string;
  readonly level: number;
  /** True when the tap never reads caller fields (module, lineno, …): records made for such taps alone skip the stack capture. */
  readonly withoutCaller?: boolean;
  /** `output` is true when the record also goes to the handlers (false: made for the taps alone). */
  deliver(record: LogRecord, output: boolean): void;
}

const taps = new Set<RecordTap>();

/** How many taps are attached (the logging path checks this first). */
export let tapCount = 0;

/** True when an attached tap may read caller fields (see {@link RecordTap.withoutCaller}). */
export let tapsWantCaller = false;

function recount(): void {
  tapCount = taps.size;
  tapsWantCaller = false;
  for (const tap of taps) if (!tap.withoutCaller) tapsWantCaller = true;
}

/** True when `name` is the tap's logger or below it. */
function covers(tap: RecordTap, name: string): boolean {
  return (
    tap.logger === '' ||
    name === tap.logger ||
    (name.startsWith(tap.logger) && name.charCodeAt(tap.logger.length) === 46)
  );
}

/** The lowest level any tap wants from the logger `name` (Infinity when none). */
export function tapLevelFor(name: string): number {
  let level = Infinity;
  for (const tap of taps) if (tap.level < level && covers(tap, name)) level = tap.level;
  return level;
}

/** Hands a record of the logger `name` to every tap that wants it. */
export function deliverToTaps(name: string, record: LogRecord, output: boolean): void {
  for (const tap of taps) {
    if (record.levelno >= tap.level && covers(tap, name)) {
      try {
        tap.deliver(record, output);
      } catch {
        // A tap never breaks the application's logging call.
      }
    }
  }
}

/** @internal Registers a tap (use `addRecordTap` from the logger module, which refreshes thresholds). */
export function registerTap(tap: RecordTap): boolean {
  if (taps.has(tap)) return false;
  taps.add(tap);
  recount();
  return true;
}

/** @internal Removes a tap; false when it was not there. */
export function unregisterTap(tap: RecordTap): boolean {
  const removed = taps.delete(tap);
  recount();
  return removed;
}
