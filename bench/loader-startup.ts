/**
 * What `--import logdial/callsites` adds to a process's start: wall time (spawn → exit), CPU time
 * and peak RSS of an empty program and of a program that logs one line, with and without the flag,
 * alternating, medians of N runs each.
 *
 *   node dist/bench/loader-startup.js     (prints JSON)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchDir, libraryNodeFlags } from './common.js';
import { median } from './stats.js';

export interface LoaderStartup {
  runs: number;
  /** Median wall time of the empty program, spawn to exit (ms). */
  plainMs: number;
  loaderMs: number;
  /** Median peak RSS (MiB). */
  plainRssMb: number;
  loaderRssMb: number;
  /** Median CPU time of the process, every thread, user + system (ms): steadier than wall time under load. */
  plainCpuMs?: number;
  loaderCpuMs?: number;
  /** The same figures for a program that imports logdial and logs one line from its own ES module. */
  logging?: ProgramFigures;
}

export interface ProgramFigures {
  plainMs: number;
  loaderMs: number;
  plainCpuMs: number;
  loaderCpuMs: number;
  plainRssMb: number;
  loaderRssMb: number;
}

interface Run {
  ms: number;
  cpuMs: number;
  rssKb: number;
}

/** Printed by each program at exit: peak RSS (KiB) and CPU time (µs), every thread. */
const REPORT =
  "process.on('exit', () => { const u = process.resourceUsage(); process.stdout.write(u.maxRSS + ' ' + (u.userCPUTime + u.systemCPUTime)); });\n";

/** One run of a program: wall ms, CPU ms and peak RSS in KiB (the program prints them at exit). */
function once(program: string, flags: string[]): Run {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [...flags, program], { encoding: 'utf8', timeout: 30_000 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${program} exited ${r.status ?? r.signal}: ${r.stderr.trim()}`);
  const [rssKb, cpuUs] = r.stdout.trim().split(' ').map(Number);
  return { ms, cpuMs: (cpuUs ?? NaN) / 1000, rssKb: rssKb ?? NaN };
}

/** Plain and with the loader, alternating, `runs` times each after one warm-up of each. */
function measure(program: string, loader: string[], runs: number): ProgramFigures {
  const plain: Run[] = [];
  const marked: Run[] = [];
  once(program, []); // warm the file cache
  once(program, loader);
  for (let i = 0; i < runs; i++) {
    plain.push(once(program, []));
    marked.push(once(program, loader));
  }
  const med = (runs: Run[], pick: (r: Run) => number) => median(runs.map(pick));
  return {
    plainMs: med(plain, (x) => x.ms),
    loaderMs: med(marked, (x) => x.ms),
    plainCpuMs: med(plain, (x) => x.cpuMs),
    loaderCpuMs: med(marked, (x) => x.cpuMs),
    plainRssMb: med(plain, (x) => x.rssKb / 1024),
    loaderRssMb: med(marked, (x) => x.rssKb / 1024),
  };
}

export function run(opts: { quick?: boolean } = {}): Promise<LoaderStartup> {
  return Promise.resolve(measureAll(opts.quick ? 5 : 15));
}

function measureAll(runs: number): LoaderStartup {
  const dir = mkdtempSync(join(tmpdir(), 'logdial-startup-'));
  try {
    const empty = join(dir, 'empty.mjs');
    writeFileSync(empty, REPORT);
    // Imports logdial from this build (its modules are marked too, as an application's own files
    // would be) and logs one line from its own module.
    const logging = join(dir, 'logging.mjs');
    const library = pathToFileURL(join(benchDir(), '..', 'src', 'index.js')).href;
    writeFileSync(
      logging,
      `import { getLogger } from ${JSON.stringify(library)};\n${REPORT}getLogger('app').warning('started');\n`,
    );
    const loader = libraryNodeFlags('logdial-text');
    const e = measure(empty, loader, runs);
    return {
      runs,
      plainMs: e.plainMs,
      loaderMs: e.loaderMs,
      plainRssMb: e.plainRssMb,
      loaderRssMb: e.loaderRssMb,
      plainCpuMs: e.plainCpuMs,
      loaderCpuMs: e.loaderCpuMs,
      logging: measure(logging, loader, runs),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(JSON.stringify(measureAll(15)) + '\n');
}
