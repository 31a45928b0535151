/**
 * Call-site marks: caller fields without a stack capture per log call.
 *
 * A stack capture costs about a microsecond in V8 (bench/caller-cost.ts), more than the rest of a
 * text log line. When the application runs with `node --import logdial/callsites`, every
 * `x.info(…, last)` in its source is loaded as
 * `__logdialSite(code,(x)).info(…, __logdialArm(code,(last)))` (see `src/callsites/transform.ts`):
 * before the arguments, the site notes its code and its receiver; after them, it arms the note.
 * The logger takes an armed note made for itself, captures the stack only the first time a site
 * logs, and reuses that site's caller fields afterwards.
 *
 * Why a note can be trusted: between arming and the call's entry no code runs, so an armed note
 * is met first by the call it was made for. A logging call made while the arguments are evaluated
 * sees the note unarmed (or its own), and a site arms only a note that is still its own. A note
 * names the receiver's logger id (0 for anything but a logger), the method and the argument count,
 * and only an entry point that matches all three takes it. A marked call that reaches a disabled
 * level leaves its note behind, but the only calls that could match it — the same method of the
 * same logger — are disabled as well, until a level changes, which drops it ({@link dropMark}).
 * Not covered: a level method the application replaced on a logger that returns without calling
 * logdial's (docs/callsites.md, Limits).
 */

/** The state transformed code writes to; shared through `globalThis` so two copies of logdial agree. */
export interface PendingMark {
  /**
   * The site code ({@link siteCode}): negative while noted (the arguments are being
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
type GlobalWithMark = typeof globalThis & { [STATE_KEY]?: PendingMark };

/** The process-wide pending mark (created on first use). */
export const pendingMark: PendingMark = ((globalThis as GlobalWithMark)[STATE_KEY] ??= {
  code: 0,
  receiver: 0,
  lastId: 0,
});

/** A new logger id for {@link PendingMark.receiver}. */
export function nextReceiverId(): number {
  return ++pendingMark.lastId;
}

/** The names of the global functions that transformed code calls. */
export const SITE_FUNCTION_NAME = '__logdialSite';
export const ARM_FUNCTION_NAME = '__logdialArm';

/**
 * The logger methods whose calls are marked, each with its family: the family is what a code
 * carries, by level, because a disabled level's calls all share one no-op (aliases such as
 * `warn`/`warning` are one family). The level methods' family is their level divided by 10,
 * rounded down (TRACE, 5, is 0).
 */
export const MethodFamily = {
  trace: 0,
  debug: 1,
  info: 2,
  warning: 3,
  warn: 3,
  error: 4,
  critical: 5,
  fatal: 5,
  exception: 6,
  log: 7,
} as const;
export type MarkedMethod = keyof typeof MethodFamily;

/** The family of the level methods (`trace` … `critical`) from their level (5, 10 … 50). */
export function familyOfLevel(level: number): number {
  return (level / 10) | 0;
}

/** Calls with more arguments than this are not marked (the count has 4 bits of the code). */
export const MAX_MARKED_ARGUMENTS = 15;
const COUNT_BITS = 4;
const FAMILY_BITS = 3;
const CALL_BITS = COUNT_BITS + FAMILY_BITS;
const CALL_MASK = (1 << CALL_BITS) - 1;

/** Largest site number a code can carry and stay a small integer in V8 (also negated). */
export const MAX_SITE = (1 << (30 - CALL_BITS)) - 1;

/** The code of a marked call: site number, method family and argument count in one small integer. */
export function siteCode(site: number, method: MarkedMethod, argumentCount: number): number {
  return site * (1 << CALL_BITS) + ((MethodFamily[method] << COUNT_BITS) | argumentCount);
}

const RECEIVER_ID_KEY = Symbol.for('logdial.callSiteReceiverId');
const PROVISIONAL_KEY = Symbol.for('logdial.callSiteMarksProvisional');
type GlobalWithInstaller = typeof globalThis & {
  [RECEIVER_ID_KEY]?: (value: unknown) => number;
  [PROVISIONAL_KEY]?: boolean;
};

/** Before any logger class has loaded, nothing is a logger. */
function noLogger(): number {
  return 0;
}

/**
 * Installs `__logdialSite(code, receiver)` and `__logdialArm(code, value)` (`logdial/callsites`).
 * The receiver test is the logger class's ({@link provideReceiverId}); until that class loads, the
 * functions are provisional and call every receiver "not a logger".
 *
 * Perf (start-up): the loader does not load the logger module (a few MiB) to get its test; the
 * logger module upgrades the functions when it loads.
 */
export function installMarkFunctions(): void {
  if (typeof (globalThis as Record<string, unknown>)[SITE_FUNCTION_NAME] === 'function') return;
  const receiverId = (globalThis as GlobalWithInstaller)[RECEIVER_ID_KEY];
  defineMarkFunctions(receiverId ?? noLogger, receiverId === undefined);
}

/**
 * Called once by the logger module as it loads: `receiverId` gives a logger's id and 0 for
 * anything else, without touching a non-logger's properties (proxies see nothing). The first copy
 * of logdial to load provides it; provisional mark functions are replaced.
 */
export function provideReceiverId(receiverId: (value: unknown) => number): void {
  const g = globalThis as GlobalWithInstaller;
  g[RECEIVER_ID_KEY] ??= receiverId;
  if (g[PROVISIONAL_KEY] === true) defineMarkFunctions(g[RECEIVER_ID_KEY], false);
}

function defineMarkFunctions(receiverId: (value: unknown) => number, provisional: boolean): void {
  const state = pendingMark;
  // Perf: `receiverId` is the private-name test itself, not a wrapper (~8 ns per marked call).
  const site = function __logdialSite<T>(code: number, receiver: T): T {
    state.code = -code;
    state.receiver = receiverId(receiver);
    return receiver;
  };
  const arm = function __logdialArm<T>(code: number, value: T): T {
    // Arms the site's own note only: while its arguments were evaluated (across an `await` or a
    // `yield`, other tasks included), another site may have noted, armed or taken one.
    state.code = state.code === -code ? code : 0;
    return value;
  };
  for (const [name, value] of [
    [SITE_FUNCTION_NAME, site],
    [ARM_FUNCTION_NAME, arm],
  ] as const) {
    // Provisional functions stay configurable, so that the logger module can replace them.
    Object.defineProperty(globalThis, name, { value, writable: false, enumerable: false, configurable: provisional });
  }
  (globalThis as GlobalWithInstaller)[PROVISIONAL_KEY] = provisional;
}

/**
 * Takes the armed mark for a call to method `family` on the logger with id `receiver` with
 * `argumentCount` arguments: its site code when the mark was made for this call, 0 otherwise.
 * Always clears an armed mark.
 */
export function takeMark(receiver: number, family: number, argumentCount: number): number {
  const state = pendingMark;
  const code = state.code;
  // Unarmed: a call made while a marked call's arguments are evaluated; the note stays for it.
  if (code <= 0) return 0;
  state.code = 0;
  return state.receiver === receiver && (code & CALL_MASK) === ((family << COUNT_BITS) | argumentCount) ? code : 0;
}

/** Drops an armed mark: threshold returns, which reach no {@link takeMark}, and level changes. */
export function dropMark(): void {
  pendingMark.code = 0;
}
