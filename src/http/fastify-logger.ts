/**
 * A logdial logger as Fastify's TypeScript types want it: `Fastify({ loggerInstance:
 * fastifyLogger('app.http') })` type-checks without a cast.
 *
 * Fastify's `FastifyBaseLogger` is pino's shape: `level` is a pino level name (a string, where a
 * logdial logger's `level` is Python's number) and there is a `silent` method. This view gives
 * both, and passes every call to the logdial logger or child it wraps, so names, handlers, live
 * levels and bindings stay logdial's. Its type is declared here (not imported from fastify,
 * which is not a dependency) and is structurally a `FastifyBaseLogger`.
 *
 * Invariants: a call below the level costs one threshold read more than on the logger itself;
 * caller fields name the code that called the view (stacklevel 3), not this module.
 */
import { type BoundLogger } from '../core/child.js';
import { CRITICAL, DEBUG, ERROR, INFO, TRACE, WARNING, checkLevel } from '../core/levels.js';
import { type LogCallOptions, Logger, getLogger } from '../core/logger.js';

/** The level of a `silent` view: above every level, so nothing is logged. */
export const SILENT_LEVEL = 100;

/** pino's names for the thresholds of logdial's built-in levels, most verbose first. */
const PINO_NAMES: ReadonlyArray<readonly [threshold: number, name: string]> = [
  [TRACE, 'trace'],
  [DEBUG, 'debug'],
  [INFO, 'info'],
  [WARNING, 'warn'],
  [ERROR, 'error'],
  [CRITICAL, 'fatal'],
];

/** The pino level name of a logdial level: the most verbose pino level that passes no less. */
export function pinoLevelName(level: number): string {
  for (const [threshold, name] of PINO_NAMES) if (level <= threshold) return name;
  return 'silent';
}

/** A logdial level from a pino level (`'silent'` included), a logdial name in any case, or a number. */
export function levelFromPino(level: string | number): number {
  return typeof level === 'string' && level.toLowerCase() === 'silent' ? SILENT_LEVEL : checkLevel(level);
}

/** Options of {@link FastifyLogger.child}: pino's, of which the level is used. */
export interface FastifyChildOptions {
  level?: string | number;
}

/** Where the caller is, seen from the logger: the view's method and its #log are above the call. */
const FROM_CALLER: LogCallOptions = Object.freeze({ stacklevel: 3 });

/** A logdial logger or child with pino's `level` and `silent`: what Fastify's types accept. */
export class FastifyLogger {
  constructor(
    /** The logdial logger or child every call goes to. */
    readonly logger: Logger | BoundLogger,
  ) {}

  /** The effective level as a pino name (`info`, `warn`, …, `silent`); set with pino or logdial names. */
  get level(): string {
    return pinoLevelName(this.logger.getEffectiveLevel());
  }
  set level(level: string) {
    this.logger.setLevel(levelFromPino(level));
  }

  trace(msg: unknown, ...args: unknown[]): void {
    this.#log(TRACE, msg, args);
  }
  debug(msg: unknown, ...args: unknown[]): void {
    this.#log(DEBUG, msg, args);
  }
  info(msg: unknown, ...args: unknown[]): void {
    this.#log(INFO, msg, args);
  }
  warn(msg: unknown, ...args: unknown[]): void {
    this.#log(WARNING, msg, args);
  }
  error(msg: unknown, ...args: unknown[]): void {
    this.#log(ERROR, msg, args);
  }
  fatal(msg: unknown, ...args: unknown[]): void {
    this.#log(CRITICAL, msg, args);
  }
  #log(level: number, msg: unknown, args: unknown[]): void {
    if (level >= this.logger.threshold) this.logger.logWith(level, FROM_CALLER, msg, ...args);
  }
  /** pino's `silent` level method: logs nothing. */
  silent(..._args: unknown[]): void {}

  /** A child with `bindings` (a logdial child), its own level when `options.level` is given. */
  child(bindings: Readonly<Record<string, unknown>>, options?: FastifyChildOptions): FastifyLogger {
    const level = options?.level;
    return new FastifyLogger(
      this.logger.child(bindings, level === undefined ? undefined : { level: levelFromPino(level) }),
    );
  }
}

/**
 * `logger` (a logdial logger, a child, or a logger name) as a Fastify `loggerInstance`.
 *
 * @example const app = Fastify({ loggerInstance: fastifyLogger('app.http') });
 */
export function fastifyLogger(logger: Logger | BoundLogger | string): FastifyLogger {
  const target = typeof logger === 'string' ? getLogger(logger) : logger;
  if (!(target instanceof Logger) && typeof (target as Partial<BoundLogger>)?.logWith !== 'function')
    throw new TypeError('fastifyLogger(logger): a logdial Logger, a child of one, or a logger name');
  return new FastifyLogger(target);
}
