/**
 * What `--import logdial/callsites` adds to a process's start: wall time (spawn → exit) and peak
 * RSS of an empty program, with and without the flag, alternating, medians of N runs each.
 *
 *   node dist/bench/loader-startup.js     (prints JSON)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { libraryNodeFlags } from './common.js';
import { median } from './stats.js';

export interface LoaderStartup {
  runs: number;
  /** Median wall time of the empty program, spawn to exit (ms). */
  plainMs: number;
  loaderMs: number;
  /** Median peak RSS (MiB). */
  plainRssMb: number;
  loaderRssMb: number;
}

/** One run of the empty program: wall ms and peak RSS in KiB (the program prints it at exit). */
function once(program: string, flags: string[]): { ms: number; rssKb: number } {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [...flags, program], { encoding: 'utf8', timeout: 30_000 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`empty program exited ${r.status ?? r.signal}: ${r.stderr.trim()}`);
  return { ms, rssKb: Number(r.stdout) };
}

export function run(opts: { quick?: boolean } = {}): LoaderStartup {
  const runs = opts.quick ? 5 : 15;
  const dir = mkdtempSync(join(tmpdir(), 'logdial-startup-'));
  try {
    const program = join(dir, 'empty.mjs');
    writeFileSync(program, "process.on('exit', () => process.stdout.write(String(process.resourceUsage().maxRSS)));\n");
    const loader = libraryNodeFlags('logdial-text');
    const plain: Array<{ ms: number; rssKb: number }> = [];
    const marked: Array<{ ms: number; rssKb: number }> = [];
    once(program, []); // warm the file cache
    once(program, loader);
    for (let i = 0; i < runs; i++) {
      plain.push(once(program, []));
      marked.push(once(program, loader));
    }
    return {
      runs,
      plainMs: median(plain.map((x) => x.ms)),
      loaderMs: median(marked.map((x) => x.ms)),
      plainRssMb: median(plain.map((x) => x.rssKb / 1024)),
      loaderRssMb: median(marked.map((x) => x.rssKb / 1024)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(JSON.stringify(run()) + '\n');
}
