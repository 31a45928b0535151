/**
 * Loggers: a dotted hierarchy under a root, with the effective level cached on every logger so
 * that a call below it returns after one comparison.
 */
import {
  MethodFamily,
  dropMark,
  familyOfLevel,
  nextReceiverId,
  provideReceiverId,
  takeMark,
} from './call-site-marks.js';
import { type CallerInfo, type EntryPoint, captureCallSite, describeCallSite } from './caller.js';
import { BoundLogger, type ChildOptions } from './child.js';
import { exceptionArguments } from './exception-args.js';
import { Filterer } from './filter.js';
import { levelsChanged } from './level-events.js';
import { CRITICAL, DEBUG, ERROR, INFO, NOTSET, TRACE, WARNING, checkLevel, levelName } from './levels.js';
import { LogRecord } from './record.js';
import {
  deliverToTaps,
  type RecordTap,
  registerTap,
  tapCount,
  tapLevelFor,
  tapsWantCaller,
  unregisterTap,
} from './taps.js';

/** What a logger needs from a handler; the handlers layer implements it. */
export interface RecordHandler {
  /** Records below this level are skipped. */
  level: number;
  /** Filters and emits the record. */
  handle(record: LogRecord): unknown;
  /** True when the handler's formatter uses caller fields (module, funcName, lineno, …). */
  readonly usesCaller?: boolean;
  readonly name?: string | null;
}

/** A threshold above every level: used for disabled loggers. */
const NEVER = Number.MAX_SAFE_INTEGER;

type LevelMethodName = 'trace' | 'debug' | 'info' | 'warning' | 'warn' | 'error' | 'critical' | 'fatal';

/** The level methods swapped by {@link Logger.installLevelMethods}, with the level each logs at. */
const LEVEL_METHODS: ReadonlyArray<readonly [name: LevelMethodName, level: number]> = [
  ['trace', TRACE],
  ['debug', DEBUG],
  ['info', INFO],
  ['warning', WARNING],
  ['warn', WARNING],
  ['error', ERROR],
  ['critical', CRITICAL],
  ['fatal', CRITICAL],
];

/** Emits records that found no handler: message only, to stderr, at WARNING and above (Python's `lastResort`). */
let lastResort: RecordHandler | null = {
  level: WARNING,
  handle(record: LogRecord) {
    process.stderr.write(record.getMessage() + '\n');
  },
};

/** Replaces the handler used when a record finds no handler (`null` drops such records). */
export function setLastResort(handler: RecordHandler | null): void {
  lastResort = handler;
}

/** Options of a single log call. */
export interface LogCallOptions {
  /** Error whose stack is appended, like Python's `exc_info`. */
  exc?: Error;
  /** Structured fields. */
  fields?: Record<string, unknown>;
  /** How many frames above the log call the caller is (Python's `stacklevel`). */
  stacklevel?: number;
}

/** A named logger. Obtain one with {@link getLogger}; never construct directly. */
/** What `Function.prototype.bind` takes and returns. */
type AnyFunction = (...args: unknown[]) => unknown;

export class Logger extends Filterer {
  /** Dotted name; `''` for the root. */
  readonly name: string;
  /** Nearest existing ancestor (`null` for the root); set by the hierarchy only. */
  parent: Logger | null = null;
  /** @internal The loggers whose `parent` is this one: a level change refreshes this subtree only. */
  readonly children = new Set<Logger>();
  /** Whether records go on to the ancestors' handlers. */
  propagate = true;
  /** Attached handlers; change them with {@link addHandler} / {@link removeHandler} only. */
  readonly handlers: RecordHandler[] = [];
  /** @internal Cached effective level, merged with `disabled` and `disable()`; the only field the fast path reads. */
  threshold: number = WARNING;
  /** @internal The threshold the configuration alone gives: records below it reach taps only (core/taps.ts). */
  outputThreshold: number = WARNING;
  private ownLevel: number = NOTSET;
  private isDisabled = false;
  /** Pairs this logger's calls with call-site marks (core/call-site-marks.ts). */
  readonly #markId = nextReceiverId();

  /**
   * @internal The call-site mark id of `value`: a logger's own, 0 for anything else. A private-name
   * test, so a proxy's traps never see it.
   */
  static markIdOf(this: void, value: unknown): number {
    return typeof value === 'object' && value !== null && #markId in value ? value.#markId : 0;
  }

  /** @internal */
  constructor(name: string, level: number = NOTSET) {
    super();
    this.name = name;
    this.ownLevel = level;
    if (level !== NOTSET) byState.withLevel.add(this);
    byState.enabled.add(this);
    // Own properties from the start, so every logger keeps one shape (see disabledMethod).
    this.installLevelMethods();
  }

  /** The level set on this logger (NOTSET means: ask the parent). */
  get level(): number {
    return this.ownLevel;
  }
  set level(level: number) {
    this.setLevel(level);
  }

  /** A disabled logger drops every record (set by configuration, as Python's `disabled`). */
  get disabled(): boolean {
    return this.isDisabled;
  }
  set disabled(value: boolean) {
    if (this.isDisabled === Boolean(value)) return;
    this.isDisabled = Boolean(value);
    (this.isDisabled ? byState.enabled : byState.disabled).delete(this);
    (this.isDisabled ? byState.disabled : byState.enabled).add(this);
    refreshThresholds(this);
  }

  /** Sets this logger's level: a number or a registered name (`'DEBUG'`). */
  setLevel(level: number | string): void {
    const value = checkLevel(level);
    if (value === this.ownLevel) return;
    this.ownLevel = value;
    if (value === NOTSET) byState.withLevel.delete(this);
    else byState.withLevel.add(this);
    refreshThresholds(this);
  }

  /** The first level set on this logger or an ancestor (root's when none). */
  getEffectiveLevel(): number {
    let logger: Logger | null = this;
    while (logger) {
      if (logger.ownLevel !== NOTSET) return logger.ownLevel;
      logger = logger.parent;
    }
    return NOTSET;
  }

  /** True when a record at `level` would be processed by this logger. */
  isEnabledFor(level: number): boolean {
    return level >= this.threshold;
  }

  /** The logger `<this name>.<suffix>`. */
  getChild(suffix: string): Logger {
    return getLogger(this.name === '' ? suffix : `${this.name}.${suffix}`);
  }

  /**
   * A child logger with `bindings` on every record (pino's `child`): same name, handlers and
   * level as this logger, live changes included; not registered, so it is garbage-collected
   * with whatever holds it. `options.level` gives the child a level of its own.
   */
  child(bindings: Readonly<Record<string, unknown>>, options?: ChildOptions): BoundLogger {
    return new BoundLogger(this, bindings, options);
  }

  /** Logs at TRACE (5), below DEBUG (arguments as {@link debug}). */
  trace(msg: unknown, ...args: unknown[]): void {
    if (TRACE < this.threshold) return dropMark();
    this.emitCall(TRACE, msg, args, this.trace, undefined);
  }

  /**
   * Logs at DEBUG. `msg` is a printf-style format (`%s %d %r %j …`) applied to `args` only when a
   * handler emits the record; an `Error` argument becomes the record's error (its stack is shown
   * after the message), a plain object argument becomes structured fields.
   */
  debug(msg: unknown, ...args: unknown[]): void {
    if (DEBUG < this.threshold) return dropMark();
    this.emitCall(DEBUG, msg, args, this.debug, undefined);
  }

  /** Logs at INFO (arguments as {@link debug}). */
  info(msg: unknown, ...args: unknown[]): void {
    if (INFO < this.threshold) return dropMark();
    this.emitCall(INFO, msg, args, this.info, undefined);
  }

  /** Logs at WARNING (arguments as {@link debug}). */
  warning(msg: unknown, ...args: unknown[]): void {
    if (WARNING < this.threshold) return dropMark();
    this.emitCall(WARNING, msg, args, this.warning, undefined);
  }

  /** Alias of {@link warning}. */
  warn(msg: unknown, ...args: unknown[]): void {
    if (WARNING < this.threshold) return dropMark();
    this.emitCall(WARNING, msg, args, this.warn, undefined);
  }

  /** Logs at ERROR (arguments as {@link debug}). */
  error(msg: unknown, ...args: unknown[]): void {
    if (ERROR < this.threshold) return dropMark();
    this.emitCall(ERROR, msg, args, this.error, undefined);
  }

  /** Logs at CRITICAL (arguments as {@link debug}). */
  critical(msg: unknown, ...args: unknown[]): void {
    if (CRITICAL < this.threshold) return dropMark();
    this.emitCall(CRITICAL, msg, args, this.critical, undefined);
  }

  /** Alias of {@link critical}. */
  fatal(msg: unknown, ...args: unknown[]): void {
    if (CRITICAL < this.threshold) return dropMark();
    this.emitCall(CRITICAL, msg, args, this.fatal, undefined);
  }

  /**
   * Logs at ERROR with the error's stack, like Python's `exception()`:
   * `exception(err)`, `exception(err, 'while %s', what)` or `exception('failed', err)`.
   */
  exception(errorOrMsg: unknown, ...args: unknown[]): void {
    if (ERROR < this.threshold) return dropMark();
    const mark = takeMark(this.#markId, MethodFamily.exception, args.length + 1);
    const [msg, rest, err] = exceptionArguments(errorOrMsg, args, this.exception);
    this.emitCall(ERROR, msg, rest, this.exception, err, mark);
  }

  /** Logs at any level, given as a number or a registered name. */
  log(level: number | string, msg: unknown, ...args: unknown[]): void {
    // Taken first: checkLevel may throw, and an armed mark must not outlive its call.
    const mark = takeMark(this.#markId, MethodFamily.log, args.length + 2);
    const value = typeof level === 'number' ? level : checkLevel(level);
    if (value < this.threshold) return;
    this.emitCall(value, msg, args, this.log, undefined, mark);
  }

  /** Logs with per-call options (error, fields, stacklevel). */
  logWith(level: number, options: LogCallOptions, msg: unknown, ...args: unknown[]): void {
    // Not a marked method: stacklevel above 1 names a frame that depends on who called.
    if (level < this.threshold) return;
    this.logBound(level, options, msg, args, this.logWith, undefined);
  }

  /**
   * @internal `logWith` of this logger or of a child with `bindings`; `entry` is the method called.
   * Records below `outputThreshold` (the caller's: a child may have a level of its own) reach taps only.
   */
  logBound(
    level: number,
    options: LogCallOptions,
    msg: unknown,
    args: unknown[],
    entry: EntryPoint,
    bindings: Readonly<Record<string, unknown>> | undefined,
    outputThreshold: number = this.outputThreshold,
  ): void {
    const record = new LogRecord(this.name, level, msg, args, options.exc, options.fields, bindings);
    const tapOnly = level < outputThreshold;
    if (callerWanted() && (!tapOnly || tapsWantCaller))
      record.callSite = captureCallSite(entry, options.stacklevel ?? 1);
    if (tapOnly) return this.tapOnly(record);
    this.handle(record);
  }

  /**
   * Perf (bench/ "a call below the level"): a level method that the threshold disables is
   * replaced on the instance by a no-op (pino's approach), so `log.debug(...)` on an INFO logger
   * inlines to nothing (~0.3 ns instead of ~1.2 ns for load + compare). Enabled levels get the
   * prototype's method back; the methods still check the threshold themselves.
   *
   * Levels change while the process runs (that is what logdial is for), so a method taken from a
   * disabled level must not stay a no-op: each no-op's `bind` (`log.debug.bind(log)`) returns a
   * function that checks the level at every call, like a bound prototype method. A bare
   * reference (`const f = log.debug; f.call(log, …)`) does stay a no-op: call through the logger.
   */
  private static disabledMethod(name: LevelMethodName, level: number): (...args: unknown[]) => void {
    const noop = function (): void {};
    Object.defineProperty(noop, 'bind', {
      value(this: AnyFunction, thisArg: unknown, ...bound: unknown[]): AnyFunction {
        if (!(thisArg instanceof Logger)) return Function.prototype.bind.call(this, thisArg, ...bound) as AnyFunction;
        const logger = thisArg;
        const live = (...args: unknown[]): void => {
          if (level < logger.threshold) return dropMark();
          const all = bound.length > 0 ? [...bound, ...args] : args;
          // `live` is the entry point, so caller fields name its caller, as for a bound method.
          dropMark();
          logger.emitCall(level, all[0], all.slice(1), live, undefined, 0);
        };
        Object.defineProperty(live, 'name', { value: `bound ${name}` });
        return live;
      },
    });
    return noop;
  }

  /** @internal the no-op each level method becomes while its level is disabled. */
  static readonly disabledMethods: Readonly<Record<LevelMethodName, (...args: unknown[]) => void>> = Object.freeze(
    Object.fromEntries(LEVEL_METHODS.map(([name, level]) => [name, Logger.disabledMethod(name, level)])) as Record<
      LevelMethodName,
      (...args: unknown[]) => void
    >,
  );

  /**
   * @internal `mark` is the call-site mark of this call (see core/call-site-marks.ts): taken here
   * for the level methods, whose call is `(msg, ...args)`; the other entry points (child loggers'
   * too, with their `bindings` and their own `outputThreshold`) take their own.
   */
  emitCall(
    level: number,
    msg: unknown,
    args: unknown[],
    entry: EntryPoint,
    exc: Error | undefined,
    mark: number = takeMark(this.#markId, familyOfLevel(level), args.length + 1),
    bindings?: Readonly<Record<string, unknown>>,
    outputThreshold: number = this.outputThreshold,
  ): void {
    const record = new LogRecord(this.name, level, msg, args, exc, undefined, bindings);
    // A record made for the taps alone needs its caller only when a tap reads it (core/taps.ts).
    const tapOnly = level < outputThreshold;
    if (callerWanted() && (!tapOnly || tapsWantCaller)) {
      if (mark !== 0) record.useCaller(markedCaller(mark, entry));
      else record.callSite = captureCallSite(entry);
    }
    if (tapOnly) return this.tapOnly(record);
    this.handle(record);
  }

  /** A record made only because a tap lowered the threshold: the taps get it, the handlers never. */
  private tapOnly(record: LogRecord): void {
    if (this.isDisabled) return;
    if (this.filters.length > 0 && !this.filter(record)) return;
    deliverToTaps(this.name, record, false);
  }

  /** Passes a record through this logger's filters and on to the handlers up the hierarchy. */
  handle(record: LogRecord): void {
    if (this.isDisabled) return;
    if (this.filters.length > 0 && !this.filter(record)) return;
    if (tapCount > 0) deliverToTaps(this.name, record, true);
    this.callHandlers(record);
  }

  /** Python's `callHandlers`: ancestors' levels and `disabled` flags are not consulted. */
  callHandlers(record: LogRecord): void {
    let found = 0;
    let logger: Logger | null = this;
    const level = record.levelno;
    while (logger) {
      const handlers = logger.handlers;
      for (let i = 0; i < handlers.length; i++) {
        const handler = handlers[i]!; // i < length; an indexed loop, not an iterator, on the emit path
        found++;
        if (level >= handler.level) handler.handle(record);
      }
      logger = logger.propagate ? logger.parent : null;
    }
    if (found === 0 && lastResort && level >= lastResort.level) lastResort.handle(record);
  }

  /** Attaches a handler (once); records of this logger and its descendants reach it. */
  addHandler(handler: RecordHandler): void {
    if (this.handlers.includes(handler)) return;
    this.handlers.push(handler);
    byState.withHandlers.add(this);
    invalidateCallerNeed();
  }

  /** Detaches a handler; nothing happens if it is not attached. */
  removeHandler(handler: RecordHandler): void {
    const index = this.handlers.indexOf(handler);
    if (index < 0) return;
    this.handlers.splice(index, 1);
    if (this.handlers.length === 0) byState.withHandlers.delete(this);
    invalidateCallerNeed();
  }

  /** True when this logger or an ancestor it propagates to has a handler. */
  hasHandlers(): boolean {
    let logger: Logger | null = this;
    while (logger) {
      if (logger.handlers.length > 0) return true;
      logger = logger.propagate ? logger.parent : null;
    }
    return false;
  }

  /**
   * @internal Recomputes the cached thresholds from the hierarchy (and the taps); reinstalls the
   * level methods only when `threshold` changed (they always match it). True when it changed.
   */
  refreshThreshold(): boolean {
    let next: number;
    if (this.isDisabled) next = this.outputThreshold = NEVER;
    else {
      this.outputThreshold = Math.max(this.getEffectiveLevel(), disabledUpTo + 1);
      next =
        tapCount === 0
          ? this.outputThreshold
          : Math.max(Math.min(this.outputThreshold, tapLevelFor(this.name)), disabledUpTo + 1);
    }
    if (next === this.threshold) return false;
    this.threshold = next;
    this.installLevelMethods();
    return true;
  }

  /**
   * @internal Perf: points each level method at the no-op when the threshold disables it, at the
   * prototype's method otherwise. A method the application replaced on the instance is left alone.
   */
  private installLevelMethods(): void {
    const proto = Object.getPrototypeOf(this) as Record<string, unknown>;
    const self = this as unknown as Record<string, unknown>;
    for (const [name, level] of LEVEL_METHODS) {
      const current = self[name];
      const disabled = Logger.disabledMethods[name];
      if (current !== proto[name] && current !== disabled) continue;
      const next = level < this.threshold ? disabled : proto[name];
      // Store only on change: V8 keeps a never-rewritten field constant in optimised code.
      if (current !== next || !Object.prototype.hasOwnProperty.call(this, name)) self[name] = next;
    }
  }

  override toString(): string {
    return `<Logger ${this.name === '' ? 'root' : this.name} (${levelName(this.getEffectiveLevel())})>`;
  }
}

// `logdial/callsites` installs its mark functions without loading this module: they learn here
// which receivers are loggers.
provideReceiverId(Logger.markIdOf);

// ---------------------------------------------------------------------------------------------
// The hierarchy (Python's Manager): one per process (per thread, for worker threads).

/**
 * The loggers in each state, kept by the setters and `add`/`removeHandler`, so that a
 * reconfiguration or a report visits the loggers that can be concerned, not every logger.
 */
const byState = {
  /** Loggers whose `disabled` is false / true (every logger is in exactly one). */
  enabled: new Set<Logger>(),
  disabled: new Set<Logger>(),
  /** Loggers with a level of their own (not NOTSET). */
  withLevel: new Set<Logger>(),
  /** Loggers with at least one handler attached through `addHandler`. */
  withHandlers: new Set<Logger>(),
};

/** @internal Read-only views of {@link byState}; copy before changing the loggers they hold. */
export const loggerIndex: { readonly [K in keyof typeof byState]: ReadonlySet<Logger> } = byState;

const root = new Logger('', WARNING);
const loggers = new Map<string, Logger>([['', root]]);
/** Python's `manager.disable`: records at this level or below are dropped (0 at start, so level-0 records never pass). */
let disabledUpTo = NOTSET;
let callerNeedKnown = false;
let callerNeeded = false;

/**
 * Python's `logging.disable(level)`: suppresses every record at `level` (a number or a registered
 * name) and below on every logger; `disable(NOTSET)` lifts it.
 */
export function disable(level: number | string = CRITICAL): void {
  disabledUpTo = checkLevel(level);
  refreshThresholds();
}

/** @internal the lowest level `disable()` lets through (child loggers with a level of their own use it). */
export function levelFloor(): number {
  return disabledUpTo + 1;
}

/** The root logger. */
export function getRootLogger(): Logger {
  return root;
}

/**
 * The logger with this dotted name, created on first use. `getLogger()` and `getLogger('')` give
 * the root; `getLogger('app.db')` is a child of `app`.
 */
export function getLogger(name?: string): Logger {
  if (name === undefined || name === '' || name === 'root') return root;
  let logger = loggers.get(name);
  if (logger) return logger;
  logger = new Logger(name);
  loggers.set(name, logger);
  adoptWaitingChildren(logger);
  setParent(logger, ancestorOf(logger));
  logger.refreshThreshold();
  return logger;
}

/**
 * Python's `PlaceHolder`s: for each dotted name that has no logger (yet), the loggers created
 * below it while it had none. Creating a logger then re-parents only those, so creating one costs
 * the depth of its name, not the number of loggers.
 */
const placeholders = new Map<string, Set<Logger>>();

function setParent(logger: Logger, parent: Logger): void {
  if (logger.parent === parent) return;
  logger.parent?.children.delete(logger);
  logger.parent = parent;
  parent.children.add(logger);
}

/** The nearest existing ancestor; notes `logger` under every missing name on the way (Python's `_fixupParents`). */
function ancestorOf(logger: Logger): Logger {
  const name = logger.name;
  let cut = name.lastIndexOf('.');
  while (cut > 0) {
    const prefix = name.slice(0, cut);
    const found = loggers.get(prefix);
    if (found) return found;
    const waiting = placeholders.get(prefix);
    if (waiting) waiting.add(logger);
    else placeholders.set(prefix, new Set([logger]));
    cut = name.lastIndexOf('.', cut - 1);
  }
  return root;
}

/** Loggers created earlier below this name, whose parent is above it, now hang from it (Python's `_fixupChildren`). */
function adoptWaitingChildren(logger: Logger): void {
  const waiting = placeholders.get(logger.name);
  if (!waiting) return;
  placeholders.delete(logger.name);
  const prefix = logger.name + '.';
  for (const child of waiting) {
    if (child.parent && !child.parent.name.startsWith(prefix)) setParent(child, logger);
  }
}

/**
 * @internal Every logger below `name` (`a.b` and `a.b.c` for `a`), whether or not `name` has a
 * logger itself; costs the number of loggers found.
 */
export function loggersBelow(name: string): Set<Logger> {
  const found = new Set<Logger>();
  const own = name === '' ? root : loggers.get(name);
  const pending = own ? [...own.children] : [...(placeholders.get(name) ?? [])];
  while (pending.length > 0) {
    const logger = pending.pop()!;
    if (found.has(logger)) continue;
    found.add(logger);
    for (const child of logger.children) pending.push(child);
  }
  return found;
}

/** @internal Every logger created so far (root included) in creation order: for scans that need no order. */
export function allLoggers(): IterableIterator<Logger> {
  return loggers.values();
}

/** Every logger created so far, root first, then by name. */
export function getLoggers(): Logger[] {
  return [...loggers.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** True when a logger with this name exists. */
export function hasLogger(name: string): boolean {
  return loggers.has(name === 'root' ? '' : name);
}

/**
 * The one function through which every level or disabled change takes effect. Recomputes the
 * cached thresholds of `changed` and of the loggers that inherit its level (every logger when
 * omitted, as after `disable()`), so a change costs the loggers it affects, not all loggers.
 * Drops a pending call-site mark: one left by a call that was disabled must not meet a call it
 * now enables.
 */
export function refreshThresholds(changed?: Logger): void {
  if (changed !== undefined && batched !== null) {
    batched.add(changed);
    return;
  }
  dropMark();
  if (changed === undefined) {
    for (const logger of loggers.values()) logger.refreshThreshold();
  } else refreshSubtrees([changed]);
  levelsChanged();
}

/** Loggers whose level or disabled flag changed inside {@link batchLevelChanges}, not refreshed yet. */
let batched: Set<Logger> | null = null;

/**
 * @internal Runs `change` (synchronous: no log call may see the half-changed tree, and none can,
 * on one thread) with the refresh of every level and disabled change it makes postponed to its
 * end: one walk over the union of the changed subtrees and one notification of the listeners,
 * instead of one per change. Nested calls join the outer batch.
 */
export function batchLevelChanges<T>(change: () => T): T {
  if (batched !== null) return change();
  const changed = (batched = new Set<Logger>());
  try {
    return change();
  } finally {
    batched = null;
    if (changed.size > 0) {
      dropMark();
      refreshSubtrees(changed);
      levelsChanged();
    }
  }
}

/**
 * Recomputes the thresholds of `changed` and of the loggers that inherit from them, each logger
 * once. A threshold depends only on the own levels up the ancestor chain, never on other cached
 * thresholds, so the order of the walk does not matter.
 */
function refreshSubtrees(changed: Iterable<Logger>): void {
  const seen = new Set<Logger>();
  const pending: Logger[] = [];
  for (const logger of changed) {
    if (seen.has(logger)) continue;
    seen.add(logger);
    logger.refreshThreshold();
    // Descendants inherit the effective level, not `disabled`: only those without a level of their
    // own can change, and their subtrees only through them.
    for (const child of logger.children) if (child.level === NOTSET) pending.push(child);
    while (pending.length > 0) {
      const next = pending.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      next.refreshThreshold();
      for (const child of next.children) if (child.level === NOTSET) pending.push(child);
    }
  }
}

/**
 * Attaches a record tap (see core/taps.ts) and lowers the thresholds it needs; returns the detach
 * function, which restores them.
 */
export function addRecordTap(tap: RecordTap): () => void {
  if (registerTap(tap)) refreshThresholds();
  return () => {
    if (unregisterTap(tap)) refreshThresholds();
  };
}

/** Marks the caller-field need as unknown; handlers call it when their formatter changes. */
export function invalidateCallerNeed(): void {
  callerNeedKnown = false;
}

/**
 * Caller fields of marked call sites, captured at each site's first record. Bounded by the number
 * of log calls in the loaded source; cleared when it grows past a limit (code loaded without end).
 */
const markedCallers = new Map<number, CallerInfo>();
const MARKED_CALLERS_LIMIT = 65_536;

function markedCaller(mark: number, entry: EntryPoint): CallerInfo {
  let info = markedCallers.get(mark);
  if (info === undefined) {
    info = describeCallSite(captureCallSite(entry));
    if (markedCallers.size >= MARKED_CALLERS_LIMIT) markedCallers.clear();
    markedCallers.set(mark, info);
  }
  return info;
}

function callerWanted(): boolean {
  if (!callerNeedKnown) {
    callerNeeded = false;
    for (const logger of byState.withHandlers) {
      for (const handler of logger.handlers) if (handler.usesCaller) callerNeeded = true;
    }
    callerNeedKnown = true;
  }
  return callerNeeded;
}
