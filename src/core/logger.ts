/**
 * Loggers: a dotted hierarchy under a root, with the effective level cached on every logger so
 * that a call below it returns after one comparison.
 */
import { MethodFamily, dropMark, familyOfLevel, nextReceiverId, takeMark } from './call-site-marks.js';
import { type CallerInfo, captureCallSite, describeCallSite } from './caller.js';
import { Filterer } from './filter.js';
import { CRITICAL, DEBUG, ERROR, INFO, NOTSET, WARNING, checkLevel, levelName } from './levels.js';
import { LogRecord } from './record.js';
import { deliverToTaps, type RecordTap, registerTap, tapCount, tapLevelFor, unregisterTap } from './taps.js';

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

type LevelMethodName = 'debug' | 'info' | 'warning' | 'warn' | 'error' | 'critical' | 'fatal';

/** The level methods swapped by {@link Logger.installLevelMethods}, with the level each logs at. */
const LEVEL_METHODS: ReadonlyArray<readonly [name: LevelMethodName, level: number]> = [
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
export class Logger extends Filterer {
  /** Dotted name; `''` for the root. */
  readonly name: string;
  /** Nearest existing ancestor (`null` for the root). */
  parent: Logger | null = null;
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
  static markIdOf(value: unknown): number {
    return typeof value === 'object' && value !== null && #markId in value ? (value as Logger).#markId : 0;
  }

  /** @internal */
  constructor(name: string, level: number = NOTSET) {
    super();
    this.name = name;
    this.ownLevel = level;
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
    refreshThresholds();
  }

  /** Sets this logger's level: a number or a registered name (`'DEBUG'`). */
  setLevel(level: number | string): void {
    const value = checkLevel(level);
    if (value === this.ownLevel) return;
    this.ownLevel = value;
    refreshThresholds();
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
    if (errorOrMsg instanceof Error) {
      if (typeof args[0] === 'string') this.emitCall(ERROR, args[0], args.slice(1), this.exception, errorOrMsg, mark);
      else this.emitCall(ERROR, errorOrMsg.message, args, this.exception, errorOrMsg, mark);
      return;
    }
    let err = args.find((a): a is Error => a instanceof Error);
    if (err === undefined) {
      // No error to show (Python would print `NoneType: None`): the stack of the call, from the caller on.
      err = new Error(String(errorOrMsg));
      Error.captureStackTrace(err, this.exception);
    }
    this.emitCall(ERROR, errorOrMsg, args, this.exception, err, mark);
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
    const record = new LogRecord(this.name, level, msg, args, options.exc, options.fields);
    if (callerWanted()) record.callSite = captureCallSite(this.logWith, options.stacklevel ?? 1);
    if (level < this.outputThreshold) return this.tapOnly(record);
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
      value(this: Function, thisArg: unknown, ...bound: unknown[]): Function {
        if (!(thisArg instanceof Logger)) return Function.prototype.bind.call(this, thisArg, ...bound);
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
    Object.fromEntries(LEVEL_METHODS.map(([name, level]) => [name, Logger.disabledMethod(name, level)])) as Record<LevelMethodName, (...args: unknown[]) => void>,
  );

  /**
   * `mark` is the call-site mark of this call (see core/call-site-marks.ts): taken here for the
   * level methods, whose call is `(msg, ...args)`; the other entry points take their own.
   */
  private emitCall(
    level: number,
    msg: unknown,
    args: unknown[],
    entry: Function,
    exc: Error | undefined,
    mark: number = takeMark(this.#markId, familyOfLevel(level), args.length + 1),
  ): void {
    const record = new LogRecord(this.name, level, msg, args, exc);
    if (callerWanted()) {
      if (mark !== 0) record.useCaller(markedCaller(mark, entry));
      else record.callSite = captureCallSite(entry);
    }
    if (level < this.outputThreshold) return this.tapOnly(record);
    this.handle(record);
  }

  /** A record made only because a tap lowered the threshold: the taps get it, the handlers never. */
  private tapOnly(record: LogRecord): void {
    if (this.isDisabled) return;
    if (this.filters.length > 0 && !this.filter(record)) return;
    deliverToTaps(this.name, record);
  }

  /** Passes a record through this logger's filters and on to the handlers up the hierarchy. */
  handle(record: LogRecord): void {
    if (this.isDisabled) return;
    if (this.filters.length > 0 && !this.filter(record)) return;
    if (tapCount > 0) deliverToTaps(this.name, record);
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
        const handler = handlers[i]!;
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
    invalidateCallerNeed();
  }

  /** Detaches a handler; nothing happens if it is not attached. */
  removeHandler(handler: RecordHandler): void {
    const index = this.handlers.indexOf(handler);
    if (index < 0) return;
    this.handlers.splice(index, 1);
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

  /** @internal recomputes the cached threshold from the hierarchy. */
  refreshThreshold(): void {
    if (this.isDisabled) this.threshold = this.outputThreshold = NEVER;
    else {
      this.outputThreshold = Math.max(this.getEffectiveLevel(), disabledUpTo + 1);
      this.threshold = tapCount === 0 ? this.outputThreshold : Math.max(Math.min(this.outputThreshold, tapLevelFor(this.name)), disabledUpTo + 1);
    }
    this.installLevelMethods();
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

// ---------------------------------------------------------------------------------------------
// The hierarchy (Python's Manager): one per process (per thread, for worker threads).

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
  logger.parent = nearestAncestor(name);
  // Loggers created earlier under this name now hang from it.
  const prefix = name + '.';
  for (const other of loggers.values()) {
    if (other !== logger && other.name.startsWith(prefix) && other.parent && other.parent.name.length < name.length) {
      other.parent = logger;
    }
  }
  logger.refreshThreshold();
  return logger;
}

function nearestAncestor(name: string): Logger {
  let cut = name.lastIndexOf('.');
  while (cut > 0) {
    const found = loggers.get(name.slice(0, cut));
    if (found) return found;
    cut = name.lastIndexOf('.', cut - 1);
  }
  return root;
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
 * Recomputes every cached threshold; called on any level or disabled change (rare). Drops a
 * pending call-site mark: one left by a call that was disabled must not meet a call it now enables.
 */
export function refreshThresholds(): void {
  dropMark();
  for (const logger of loggers.values()) logger.refreshThreshold();
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

function markedCaller(mark: number, entry: Function): CallerInfo {
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
    for (const logger of loggers.values()) {
      for (const handler of logger.handlers) if (handler.usesCaller) callerNeeded = true;
    }
    callerNeedKnown = true;
  }
  return callerNeeded;
}
