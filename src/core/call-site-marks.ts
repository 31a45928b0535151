/**
 * Call-site marks: caller fields without a stack capture per log call.
 *
 * A stack capture costs about a microsecond in V8 (bench/caller-cost.ts), more than the rest of a
 * text log line. When the application runs with `node --import logdial/callsites`, every
 * `x.info(…, last)` in its source is loaded as
 * `__logdialSite(code,(x)).info(…, __logdialArm((last)))` (see `src/callsites/transform.ts`):
 * before the arguments, the site notes its code and its receiver; after them, it arms the note.
 * The logger takes an armed note made for itself, captures the stack only the first time a site
 * logs, and reuses that site's caller fields afterwards.
 *
 * Why a note can be trusted: between arming and the call's entry no code runs, so an armed note
 * is met first by the call it was made for. A logging call made while the arguments are evaluated
 * sees the note unarmed (or its own). If the marked call reaches no logdial logger, the note's
 * receiver is not the logger that meets it next; if it reaches a disabled level, the no-op drops
 * it ({@link dropMark}). A note is also checked against the call's argument count.
 */

/** The state transformed code writes to; shared through `globalThis` so two copies of logdial agree. */
export interface PendingMark {
  /**
   * The site code (`site * 16 + argument count`): negative while noted (the arguments are being
   * evaluated), positive once armed, 0 when there is none.
   */
  code: number;
  /** Id of the logger the marked call is made on (0: not a logger). */
  receiver: number;
  /** The last logger id handed out (ids are unique across copies of logdial). */
  lastId: number;
}

/*
 * Perf (bench/ "a call below the level"): the state holds small integers only. A stored object
 * reference costs a write barrier, and V8's slow path when the state is old and the object young
 * (a new request's object, a logger that no GC has promoted yet): ~2.5 ns per call, measured.
 */

const STATE_KEY = Symbol.for('logdial.callSiteMark');
const REQUESTED_KEY = Symbol.for('logdial.callSiteMarksRequested');

type GlobalWithMark = typeof globalThis & { [STATE_KEY]?: PendingMark; [REQUESTED_KEY]?: boolean };

/** The process-wide pending mark (created on first use). */
export const pendingMark: PendingMark = ((globalThis as GlobalWithMark)[STATE_KEY] ??= { code: 0, receiver: 0, lastId: 0 });

/** A new logger id for {@link PendingMark.receiver}. */
export function nextReceiverId(): number {
  return ++pendingMark.lastId;
}

/** The names of the global functions that transformed code calls. */
export const SITE_FUNCTION_NAME = '__logdialSite';
export const ARM_FUNCTION_NAME = '__logdialArm';

/** Marks carry the call's argument count in their low bits; calls with more arguments are not marked. */
export const ARGUMENT_COUNT_BITS = 4;
export const MAX_MARKED_ARGUMENTS = (1 << ARGUMENT_COUNT_BITS) - 1;

/**
 * Says that this process marks call sites: `logdial/callsites` calls it before any logger module
 * loads, so loggers make their disabled levels drop marks.
 */
export function requestMarks(): void {
  (globalThis as GlobalWithMark)[REQUESTED_KEY] = true;
}

/** True when `logdial/callsites` runs in this process (see {@link requestMarks}). */
export function marksRequested(): boolean {
  return (globalThis as GlobalWithMark)[REQUESTED_KEY] === true;
}

/**
 * Installs `__logdialSite(code, receiver)` and `__logdialArm(value)`; `receiverId` gives a logger's
 * id and 0 for anything else (without touching its properties: proxies see nothing).
 */
export function installMarkFunctions(receiverId: (value: unknown) => number): void {
  if (typeof (globalThis as Record<string, unknown>)[SITE_FUNCTION_NAME] === 'function') return;
  const state = pendingMark;
  const site = function __logdialSite<T>(code: number, receiver: T): T {
    state.code = -code;
    state.receiver = receiverId(receiver);
    return receiver;
  };
  const arm = function __logdialArm<T>(value: T): T {
    // Arms the note; a note a nested call armed (and nothing took) is disarmed, and 0 stays 0.
    state.code = 0 - state.code;
    return value;
  };
  for (const [name, value] of [
    [SITE_FUNCTION_NAME, site],
    [ARM_FUNCTION_NAME, arm],
  ] as const) {
    Object.defineProperty(globalThis, name, { value, writable: false, enumerable: false, configurable: false });
  }
}

/**
 * Takes the armed mark for a call on the logger with id `receiver` with `argumentCount`
 * arguments: its site code when the mark was made for this call, 0 otherwise. Always clears it.
 */
export function takeMark(receiver: number, argumentCount: number): number {
  const state = pendingMark;
  const code = state.code;
  // Unarmed: a call made while a marked call's arguments are evaluated; the note stays for it.
  if (code <= 0) return 0;
  state.code = 0;
  return state.receiver === receiver && (code & MAX_MARKED_ARGUMENTS) === argumentCount ? code : 0;
}

/** Drops an armed mark: disabled levels, whose calls reach no {@link takeMark}. */
export function dropMark(): void {
  pendingMark.code = 0;
}
