/**
 * Shared definitions of the benchmark harness: libraries, scenarios, the worker's job and report,
 * and where the harness finds its files (it runs from `dist/bench` or `dist-<area>/bench`).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The libraries (and variants) compared. `logdial-*` are ours; `python` is CPython's logging.
 * `logdial-text` runs as documented for production (`node --import logdial/callsites`, call sites
 * marked at load); `logdial-stack` is the same without that flag (a stack capture per call).
 */
export const LIBRARIES = [
  'logdial-text',
  'logdial-stack',
  'logdial-json',
  'logdial-nocaller',
  'pino-sync',
  'pino-async',
  'winston',
  'log4js',
  'bunyan',
  'python',
] as const;
export type Library = (typeof LIBRARIES)[number];

/** Throughput scenarios: what one log call looks like. */
export const SCENARIOS = ['hello', 'printf', 'object', 'string2k', 'child'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const SCENARIO_TITLES: Record<Scenario, string> = {
  hello: "info('hello world')",
  printf: "info('hello world %d', i)",
  object: 'info with an object of 4 fields',
  string2k: 'info(2 KB string)',
  child: "named child logger ('app.db') info('hello world')",
};

/** Where the lines go: stdout redirected to /dev/null, or a real (temporary) file opened by the library. */
export const DESTINATIONS = ['devnull', 'file'] as const;
export type Destination = (typeof DESTINATIONS)[number];

export const DESTINATION_TITLES: Record<Destination, string> = {
  devnull: 'stdout → /dev/null',
  file: 'a real file (tmp)',
};

/** The seed's format without colour (Python's %-style). */
export const SEED_FORMAT = '%(asctime)s - %(module)s.%(funcName)s - %(processName)s - %(levelname)s - %(message)s';

/** The seed's fields except the caller ones (no stack capture): shows what caller capture costs. */
export const NOCALLER_FORMAT = '%(asctime)s - %(name)s - %(processName)s - %(levelname)s - %(message)s';

/** Node flags a library's worker runs with (see {@link LIBRARIES}). */
export function libraryNodeFlags(lib: Library): string[] {
  if (lib !== 'logdial-text') return [];
  return ['--import', pathToFileURL(join(benchDir(), '..', 'src', 'callsites', 'register.js')).href];
}

/** What a worker is asked to do (passed as one JSON argument). */
export interface WorkerJob {
  lib: Library;
  /**
   * throughput: N enabled calls then the final flush; below: N disabled debug() calls on one
   * logger; below-mixed: N/2 iterations of two disabled calls on varying loggers and levels;
   * memory: like throughput.
   */
  mode: 'throughput' | 'below' | 'below-mixed' | 'memory';
  scenario: Scenario;
  dest: Destination;
  /** The file to write (dest = file). */
  file?: string;
  /** Number of log calls. */
  lines: number;
  /** Disabled calls made before timing starts (mode below). */
  warmup?: number;
}

/** What a worker reports on fd 3 (one JSON line). */
export interface WorkerReport {
  lib: Library;
  /** Nanoseconds from just before the first call to after the final flush completed. */
  ns: number;
  /** Nanoseconds from just before the first call to the end of the loop (before the flush). */
  loopNs: number;
  /** Library setup (import + configuration) in nanoseconds. */
  setupNs: number;
  lines: number;
  /** Peak resident set size in KiB (`process.resourceUsage().maxRSS`, Python's `ru_maxrss`). */
  maxRssKb: number;
  /** below-mixed: the sum of the loop's results (reported so that the loop has a consumer). */
  checksum?: number;
}

/** The repository root: the nearest ancestor of this compiled file holding package.json. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'bench'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the repository root from ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

/** The compiled bench folder (where run.js, worker.js live). */
export function benchDir(): string {
  return dirname(fileURLToPath(import.meta.url));
}

/** A 2 KiB message (2048 ASCII characters, with spaces and punctuation, no escapes needed in JSON). */
export function string2k(): string {
  const words = 'lorem ipsum dolor sit amet, consectetur adipiscing elit; sed do eiusmod tempor incididunt ut labore. ';
  let s = '';
  while (s.length < 2048) s += words;
  return s.slice(0, 2048);
}
