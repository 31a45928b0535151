/**
 * Child loggers: a logger with bindings, as pino's `logger.child({ reqId })`, winston's `child`
 * and Python's `LoggerAdapter(logger, extra)`.
 *
 * A child is a view of a named logger, not a logger of its own: it has the logger's name,
 * handlers, filters and level, so a live change to `app.db` reaches every child of `app.db` at
 * its next call. It is never registered anywhere, so it costs a reconfiguration nothing and is
 * garbage-collected with whatever holds it (a request).
 *
 * Invariants: the bindings are copied at creation (children of children merge once, there), so
 * a later change to the caller's object never changes the lines, and read-only from then on
 * (frozen when read through `bindings`; records hold the same object); a call below the level reads two fields and returns; an enabled call passes the
 * bindings object to the record as it is, so it allocates nothing but the record. A child may
 * have its own level (pino's `child(bindings, { level })`, Fastify's route `logLevel`); without
 * one it follows its logger.
 */
import type { EntryPoint } from './caller.js';
import { MethodFamily, dropMark, takeMark } from './call-site-marks.js';
import { exceptionArguments } from './exception-args.js';
import { CRITICAL, DEBUG, ERROR, INFO, NOTSET, TRACE, WARNING, checkLevel, levelName } from './levels.js';
import { type LogCallOptions, Logger, levelFloor } from './logger.js';

/** Fields a child adds to each of its records. */
export type Bindings = Readonly<Record<string, unknown>>;

/** Options of {@link Logger.child}. */
export interface ChildOptions {
  /** The child's own level (any case, or a number); unset, it follows its logger's. */
  level?: string | number;
}

/**
 * Call-site marks (core/call-site-marks.ts): a mark noted on a child names receiver 0 (children
 * are not loggers to `Logger.markIdOf`, which must stay a bare private-name test for speed), and
 * no note ever names -1, so a child takes and clears an armed mark but never uses one: its caller
 * fields come from a stack capture, when a formatter wants them.
 */
const CHILD_MARK_ID = -1;

/** A logger with bindings; obtain one with `logger.child(bindings)` or `new LoggerAdapter(logger, extra)`. */
export class BoundLogger {
  /** The named logger whose handlers, filters and level this child uses. */
  readonly logger: Logger;
  /** Fields every record of this child carries: a copy, frozen when first read from outside. */
  readonly #bindings: Record<string, unknown>;
  #own: number = NOTSET;

  constructor(logger: Logger | BoundLogger, bindings: Readonly<Record<string, unknown>> = {}, options?: ChildOptions) {
    if (typeof bindings !== 'object' || bindings === null)
      throw new TypeError('child(bindings): bindings must be an object');
    let level = options?.level;
    if (logger instanceof BoundLogger) {
      this.logger = logger.logger;
      this.#bindings = { ...logger.#bindings, ...bindings };
      level ??= logger.#own;
    } else {
      if (!(logger instanceof Logger)) throw new TypeError('child: the parent must be a logdial Logger');
      this.logger = logger;
      this.#bindings = { ...bindings };
    }
    if (level !== undefined && level !== NOTSET) this.#setOwn(level);
  }

  /**
   * Fields every record of this child carries (frozen). Perf: frozen here, on first read, not at
   * creation: `Object.freeze` costs several times the copy (microseconds for a spread copy, in
   * V8 12), and a child made per request is rarely read this way.
   */
  get bindings(): Bindings {
    const bindings = this.#bindings;
    return Object.isFrozen(bindings) ? bindings : Object.freeze(bindings);
  }

  /** The logger's dotted name. */
  get name(): string {
    return this.logger.name;
  }

  /** The child's own level (NOTSET: it follows its logger). */
  get level(): number {
    return this.#own;
  }
  set level(level: number | string) {
    this.setLevel(level);
  }

  /** Gives the child its own level (a number or a name in any case); NOTSET follows the logger again. */
  setLevel(level: number | string): void {
    this.#setOwn(level);
  }

  #setOwn(level: number | string): void {
    this.#own = checkLevel(level);
  }

  /** The level below which calls return at once: the logger's, or the child's own. */
  get threshold(): number {
    const own = this.#own;
    if (own === NOTSET) return this.logger.threshold;
    return this.logger.disabled ? Number.MAX_SAFE_INTEGER : Math.max(own, levelFloor());
  }

  /** Records below this reach only taps (core/taps.ts): the logger's, or the child's own threshold. */
  get outputThreshold(): number {
    return this.#own === NOTSET ? this.logger.outputThreshold : this.threshold;
  }

  /** The child's own level, or its logger's effective level. */
  getEffectiveLevel(): number {
    return this.#own === NOTSET ? this.logger.getEffectiveLevel() : this.#own;
  }

  /** True when a record at `level` would be processed. */
  isEnabledFor(level: number | string): boolean {
    return (typeof level === 'number' ? level : checkLevel(level)) >= this.threshold;
  }

  /** A child of this child: the bindings merged (the new ones win), the level inherited unless given. */
  child(bindings: Readonly<Record<string, unknown>>, options?: ChildOptions): BoundLogger {
    return new BoundLogger(this, bindings, options);
  }

  /** Logs at TRACE (arguments as {@link Logger.debug}). */
  trace(msg: unknown, ...args: unknown[]): void {
    if (TRACE < this.threshold) return dropMark();
    this.emit(TRACE, msg, args, this.trace, MethodFamily.trace);
  }

  /** Logs at DEBUG (arguments as {@link Logger.debug}). */
  debug(msg: unknown, ...args: unknown[]): void {
    if (DEBUG < this.threshold) return dropMark();
    this.emit(DEBUG, msg, args, this.debug, MethodFamily.debug);
  }

  /** Logs at INFO. */
  info(msg: unknown, ...args: unknown[]): void {
    if (INFO < this.threshold) return dropMark();
    this.emit(INFO, msg, args, this.info, MethodFamily.info);
  }

  /** Logs at WARNING. */
  warning(msg: unknown, ...args: unknown[]): void {
    if (WARNING < this.threshold) return dropMark();
    this.emit(WARNING, msg, args, this.warning, MethodFamily.warning);
  }

  /** Alias of {@link warning}. */
  warn(msg: unknown, ...args: unknown[]): void {
    if (WARNING < this.threshold) return dropMark();
    this.emit(WARNING, msg, args, this.warn, MethodFamily.warn);
  }

  /** Logs at ERROR. */
  error(msg: unknown, ...args: unknown[]): void {
    if (ERROR < this.threshold) return dropMark();
    this.emit(ERROR, msg, args, this.error, MethodFamily.error);
  }

  /** Logs at CRITICAL. */
  critical(msg: unknown, ...args: unknown[]): void {
    if (CRITICAL < this.threshold) return dropMark();
    this.emit(CRITICAL, msg, args, this.critical, MethodFamily.critical);
  }

  /** Logs at CRITICAL (pino's and Fastify's name). */
  fatal(msg: unknown, ...args: unknown[]): void {
    if (CRITICAL < this.threshold) return dropMark();
    this.emit(CRITICAL, msg, args, this.fatal, MethodFamily.fatal);
  }

  /** Logs at ERROR with the error's stack (as {@link Logger.exception}). */
  exception(errorOrMsg: unknown, ...args: unknown[]): void {
    if (ERROR < this.threshold) return dropMark();
    const mark = takeMark(CHILD_MARK_ID, MethodFamily.exception, args.length + 1);
    const [msg, rest, err] = exceptionArguments(errorOrMsg, args, this.exception);
    this.logger.emitCall(ERROR, msg, rest, this.exception, err, mark, this.#bindings, this.outputThreshold);
  }

  /** Logs at any level, given as a number or a name. */
  log(level: number | string, msg: unknown, ...args: unknown[]): void {
    const mark = takeMark(CHILD_MARK_ID, MethodFamily.log, args.length + 2);
    const value = typeof level === 'number' ? level : checkLevel(level);
    if (value < this.threshold) return;
    this.logger.emitCall(value, msg, args, this.log, undefined, mark, this.#bindings, this.outputThreshold);
  }

  /** Logs with per-call options (error, fields, stacklevel); the call's fields win over the bindings. */
  logWith(level: number, options: LogCallOptions, msg: unknown, ...args: unknown[]): void {
    if (level < this.threshold) return;
    this.logger.logBound(level, options, msg, args, this.logWith, this.#bindings, this.outputThreshold);
  }

  private emit(level: number, msg: unknown, args: unknown[], entry: EntryPoint, family: number): void {
    const mark = takeMark(CHILD_MARK_ID, family, args.length + 1);
    this.logger.emitCall(level, msg, args, entry, undefined, mark, this.#bindings, this.outputThreshold);
  }

  toString(): string {
    return `<BoundLogger ${this.logger.name === '' ? 'root' : this.logger.name} (${levelName(this.getEffectiveLevel())})>`;
  }
}

/**
 * Python's `LoggerAdapter(logger, extra)`: a child logger whose `extra` fields are on every record.
 * As in Python, `setLevel` and `level` act on the underlying logger.
 */
export class LoggerAdapter extends BoundLogger {
  constructor(logger: Logger | BoundLogger, extra: Readonly<Record<string, unknown>> = {}) {
    super(logger, extra);
  }

  /** Python's `LoggerAdapter.extra`. */
  get extra(): Bindings {
    return this.bindings;
  }

  override get level(): number {
    return this.logger.level;
  }
  override set level(level: number | string) {
    this.logger.setLevel(level);
  }

  override setLevel(level: number | string): void {
    this.logger.setLevel(level);
  }
}
