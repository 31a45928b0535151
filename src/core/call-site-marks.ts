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
  /** The armed site code (`site * 16 + argument count`), 0 when none is armed. */
  code: number;
  /** The site code noted before the arguments, armed after them. */
  next: number;
  /** The object the marked call is made on. */
  receiver: unknown;
}

const STATE_KEY = Symbol.for('logdial.callSiteMark');

type GlobalWithMark = typeof globalThis & { [STATE_KEY]?: PendingMark };

/** The process-wide pending mark (created on first use). */
export const pendingMark: PendingMark = ((globalThis as GlobalWithMark)[STATE_KEY] ??= { code: 0, next: 0, receiver: undefined });

/** The names of the global functions that transformed code calls. */
export const SITE_FUNCTION_NAME = '__logdialSite';
export const ARM_FUNCTION_NAME = '__logdialArm';

/** Marks carry the call's argument count in their low bits; calls with more arguments are not marked. */
export const ARGUMENT_COUNT_BITS = 4;
export const MAX_MARKED_ARGUMENTS = (1 << ARGUMENT_COUNT_BITS) - 1;

/** True when `logdial/callsites` installed the mark functions (the process was started with it). */
export function marksActive(): boolean {
  return typeof (globalThis as Record<string, unknown>)[SITE_FUNCTION_NAME] === 'function';
}

/** Installs `__logdialSite(code, receiver)` and `__logdialArm(value)`; called by `logdial/callsites` first. */
export function installMarkFunctions(): void {
  if (marksActive()) return;
  const state = pendingMark;
  const site = function __logdialSite<T>(code: number, receiver: T): T {
    state.next = code;
    state.receiver = receiver;
    state.code = 0;
    return receiver;
  };
  const arm = function __logdialArm<T>(value: T): T {
    state.code = state.next;
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
 * Takes the armed mark for a call on `receiver` with `argumentCount` arguments: its site code
 * when the mark was made for this call, 0 otherwise. Always clears it.
 */
export function takeMark(receiver: unknown, argumentCount: number): number {
  const state = pendingMark;
  const code = state.code;
  if (code === 0) return 0;
  const madeFor = state.receiver;
  state.code = 0;
  state.next = 0;
  state.receiver = undefined;
  return madeFor === receiver && (code & MAX_MARKED_ARGUMENTS) === argumentCount ? code : 0;
}

/** Drops an armed mark: disabled levels, whose calls reach no {@link takeMark}. */
export function dropMark(): void {
  pendingMark.code = 0;
}
