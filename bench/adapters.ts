/**
 * How each JavaScript library is set up for a benchmark job, in its common documented
 * configuration: a logger at INFO writing to stdout (redirected to /dev/null by the harness) or to
 * a file it opens itself, and the calls of each scenario in that library's idiom.
 *
 * Every adapter returns `call(i)` (one enabled log call of the scenario), `below(i)` (one debug()
 * call on the INFO logger) and `flush()` (starts or performs the final flush; the worker takes its
 * end time when the process's event loop has drained, so asynchronous writes are always included).
 */
import { createRequire } from 'node:module';
import { NOCALLER_FORMAT, SEED_FORMAT, type Scenario, string2k, type WorkerJob } from './common.js';

const require = createRequire(import.meta.url);

export interface Adapter {
  call: (i: number) => void;
  below: (i: number) => void;
  /**
   * Two calls below the level on loggers and levels that vary with `i` (see {@link mixedBelow});
   * returns a number the worker sums, so the loop has a result.
   */
  belowMixed?: (i: number) => number;
  flush: () => void | Promise<void>;
}

const LONG = string2k();
/** The object of the 'object' scenario (a fresh one per call, as an application would build it). */
const fields = (i: number) => ({ user: 'alice', id: i, ok: true, path: '/api/v1/orders' });

/** What the scenarios call on a library's logger (and its named child). */
interface LevelLogger {
  info(...args: unknown[]): unknown;
  debug(...args: unknown[]): unknown;
}

/** What the bench uses of bunyan (which ships no types). */
interface BunyanLogger extends LevelLogger {
  child(fields: Record<string, unknown>): BunyanLogger;
  level(level: string): void;
  readonly streams: { closeOnExit: boolean; stream: { end(): void } }[];
}
interface Bunyan {
  createLogger(options: { name: string; streams: object[] }): BunyanLogger;
}

/**
 * The calls of every scenario on `log` and its named `child`, in one library's idiom: pino and
 * bunyan take the object of fields first (`fieldsFirst`), the others after the message.
 */
function scenarioCalls(
  job: WorkerJob,
  log: LevelLogger,
  child: LevelLogger,
  fieldsFirst = false,
): Pick<Adapter, 'call' | 'below'> {
  const calls: Record<Scenario, (i: number) => void> = {
    hello: () => log.info('hello world'),
    printf: (i) => log.info('hello world %d', i),
    object: fieldsFirst ? (i) => log.info(fields(i), 'hello world') : (i) => log.info('hello world', fields(i)),
    string2k: () => log.info(LONG),
    child: () => child.info('hello world'),
  };
  return {
    call: calls[job.scenario],
    below: job.scenario === 'printf' ? (i) => log.debug('hello world %d', i) : () => log.debug('hello world'),
  };
}

/** The levels the mixed below-level loggers are set to, in each library's names. */
type MixLevel = 'info' | 'warn' | 'error';

/**
 * The honest below-level call: 16 loggers at INFO, WARNING or ERROR; each iteration calls
 * `debug()` on the logger `i & 15` and `info()` on the logger `i & 7` of the eight at WARNING or
 * ERROR — every call below its logger's level, receiver and level varying per call. The optimiser
 * cannot hoist the method load out of the loop or drop the loop as empty, as it can for one
 * constant logger; the call's result (what the loop sums) is the index, so nothing is dead code.
 */
function mixedBelow(make: (level: MixLevel, k: number) => LevelLogger): (i: number) => number {
  const levels: MixLevel[] = ['info', 'warn', 'error'];
  const all = Array.from({ length: 16 }, (_, k) => make(levels[k % 3]!, k));
  const high = all.filter((_, k) => k % 3 !== 0).slice(0, 8);
  return (i) => {
    all[i & 15]!.debug('hello world %d', i);
    high[i & 7]!.info('hello world %d', i);
    return i & 1;
  };
}

// ---------------------------------------------------------------------------------------------
// logdial

/** The logdial library, imported only by the workers that run it (the others never load it). */
export function importLogdial(): Promise<typeof import('../src/index.js')> {
  return import('../src/index.js');
}

/**
 * The control benchmarks' target process: the root logger at INFO writing the seed's format to
 * stdout, and a control endpoint for `app`. Resolves with the logger `name` once it listens.
 */
export async function seedLoggerListening(name: string, app: string): Promise<import('../src/index.js').Logger> {
  const lib = await importLogdial();
  const root = lib.getLogger();
  root.setLevel('INFO');
  const handler = new lib.StreamHandler('stdout');
  handler.setFormatter(new lib.Formatter(SEED_FORMAT));
  root.addHandler(handler);
  await lib.listen({ app }).ready;
  return lib.getLogger(name);
}

async function logdial(job: WorkerJob, json: boolean, format = SEED_FORMAT): Promise<Adapter> {
  const lib = await importLogdial();
  const root = lib.getLogger();
  root.setLevel('INFO');
  const handler = job.dest === 'file' ? new lib.FileHandler(job.file!) : new lib.StreamHandler('stdout');
  handler.setFormatter(json ? new lib.JsonFormatter() : new lib.Formatter(format));
  root.addHandler(handler);
  const log = lib.getLogger('app');
  const child = lib.getLogger('app').getChild('db');
  const levelOf = { info: 'INFO', warn: 'WARNING', error: 'ERROR' } as const;
  return {
    ...scenarioCalls(job, log, child),
    belowMixed: mixedBelow((level, k) => {
      const l = lib.getLogger(`app.mixed${k}`);
      l.setLevel(levelOf[level]);
      return l;
    }),
    flush: () => lib.shutdown(),
  };
}

// ---------------------------------------------------------------------------------------------
// pino

function pino(job: WorkerJob, sync: boolean): Adapter {
  const pinoLib = (require('pino') as typeof import('pino')).pino;
  const dest = pinoLib.destination({ dest: job.dest === 'file' ? job.file : 1, sync });
  const log = pinoLib({ level: 'info' }, dest);
  const child = log.child({ name: 'app.db' });
  return {
    ...scenarioCalls(job, log, child, true),
    belowMixed: mixedBelow((level, k) => log.child({ k }, { level })),
    // sonic-boom's end() writes what is buffered, then closes (fd 1 is left open); the worker's
    // clock stops when the event loop has drained.
    flush: () => dest.end(),
  };
}

// ---------------------------------------------------------------------------------------------
// winston

function winston(job: WorkerJob): Adapter {
  const w = require('winston') as typeof import('winston');
  const { combine, timestamp, json, splat } = w.format;
  // splat() interpolates %d (winston does not by default); used only where the scenario needs it.
  const format = job.scenario === 'printf' ? combine(timestamp(), splat(), json()) : combine(timestamp(), json());
  const transport = job.dest === 'file' ? new w.transports.File({ filename: job.file }) : new w.transports.Console();
  const log = w.createLogger({ level: 'info', format, transports: [transport] });
  const child = log.child({ name: 'app.db' });
  return {
    ...scenarioCalls(job, log, child),
    belowMixed: mixedBelow((level) => w.createLogger({ level, format, transports: [transport] })),
    // logger.end() while the file transport still applies back-pressure throws 'write after end'
    // (a known winston issue); its queued writes complete before the event loop drains anyway.
    flush: () => {},
  };
}

// ---------------------------------------------------------------------------------------------
// log4js

function log4js(job: WorkerJob): Adapter {
  const l4 = require('log4js') as typeof import('log4js');
  // The seed's layout minus the caller fields (log4js needs enableCallStack for those, which
  // nobody turns on for speed): date, category, pid, level, message.
  const layout = { type: 'pattern', pattern: '%d{yyyy-MM-dd hh:mm:ss,SSS} - %c - %z - %p - %m' };
  const appender = job.dest === 'file' ? { type: 'file', filename: job.file, layout } : { type: 'stdout', layout };
  const mixed = Object.fromEntries(
    Array.from({ length: 16 }, (_, k) => [
      `mixed${k}`,
      { appenders: ['out'], level: ['info', 'warn', 'error'][k % 3]! },
    ]),
  );
  l4.configure({
    appenders: { out: appender },
    categories: { default: { appenders: ['out'], level: 'info' }, ...mixed },
  });
  const log = l4.getLogger('app');
  const child = l4.getLogger('app.db');
  return {
    ...scenarioCalls(job, log, child),
    belowMixed: mixedBelow((_level, k) => l4.getLogger(`mixed${k}`)),
    flush: () => new Promise<void>((resolve) => l4.shutdown(() => resolve())),
  };
}

// ---------------------------------------------------------------------------------------------
// bunyan

function bunyan(job: WorkerJob): Adapter {
  const b = require('bunyan') as Bunyan;
  const stream = job.dest === 'file' ? { level: 'info', path: job.file } : { level: 'info', stream: process.stdout };
  const log = b.createLogger({ name: 'app', streams: [stream] });
  const child = log.child({ component: 'app.db' });
  return {
    ...scenarioCalls(job, log, child, true),
    belowMixed: mixedBelow((level, k) => {
      const c = log.child({ k });
      c.level(level);
      return c;
    }),
    flush: () => {
      // A path stream is an fs.WriteStream: end it; its pending writes finish before the loop drains.
      for (const s of log.streams) if (s.closeOnExit) s.stream.end();
    },
  };
}

export async function createAdapter(job: WorkerJob): Promise<Adapter> {
  switch (job.lib) {
    case 'logdial-text':
    case 'logdial-stack':
      return logdial(job, false);
    case 'logdial-json':
      return logdial(job, true);
    case 'logdial-nocaller':
      return logdial(job, false, NOCALLER_FORMAT);
    case 'pino-sync':
      return pino(job, true);
    case 'pino-async':
      return pino(job, false);
    case 'winston':
      return winston(job);
    case 'log4js':
      return log4js(job);
    case 'bunyan':
      return bunyan(job);
    default:
      throw new Error(`no JavaScript adapter for ${job.lib}`);
  }
}
