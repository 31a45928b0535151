/**
 * `npm run bench` — logdial side by side with pino, winston, log4js, bunyan and Python's logging.
 *
 *   node dist/bench/run.js [--quick] [--json] [--out FILE] [--report] [--rounds N] [--lines N]
 *                          [--only throughput,below,memory,profile,caller,startup,services,control,reconfig,scale,bus,attach,viewer,footprint,imports,triggers] [--libs a,b,…]
 *                          [--scenarios hello,printf,…] [--dests devnull,file]
 *
 * Every measurement runs in its own process; libraries alternate within each round (the order is
 * rotated every round) and the tables show medians over the rounds. Progress goes to stderr; the
 * tables (or, with --json, the JSON results) to stdout. --out saves the JSON; --report also writes
 * BENCHMARKS.md's generated sections (see report.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, type as osType } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DESTINATIONS,
  LIBRARIES,
  SCENARIOS,
  benchDir,
  type Destination,
  type Library,
  type Scenario,
  type WorkerJob,
} from './common.js';
import { renderText } from './render.js';
import type {
  BelowSummary,
  BenchResults,
  MemorySummary,
  RatioRow,
  ThroughputSample,
  ThroughputSummary,
} from './results.js';
import { runWorker } from './spawn.js';
import { median } from './stats.js';

export interface Options {
  quick: boolean;
  json: boolean;
  out?: string;
  report: boolean;
  rounds: number;
  lines: number;
  only: Set<string>;
  libs: Library[];
  scenarios: Scenario[];
  dests: Destination[];
}

const SUITES = [
  'throughput',
  'below',
  'memory',
  'profile',
  'caller',
  'startup',
  'services',
  'control',
  'reconfig',
  'scale',
  'bus',
  'attach',
  'viewer',
  'footprint',
  'imports',
  'triggers',
];

function parseOptions(argv: string[]): Options {
  const get = (name: string): string | undefined => {
    const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
    if (i < 0) return undefined;
    const a = argv[i]!;
    return a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[i + 1];
  };
  const has = (name: string) => argv.includes(`--${name}`);
  const quick = has('quick');
  const list = <T extends string>(name: string, all: readonly T[]): T[] => {
    const v = get(name);
    if (!v) return [...all];
    const picked = v.split(',').map((s) => s.trim()) as T[];
    for (const p of picked) if (!all.includes(p)) throw new Error(`--${name}: unknown ${p} (one of ${all.join(', ')})`);
    return picked;
  };
  const opts: Options = {
    quick,
    json: has('json'),
    report: has('report'),
    rounds: Number(get('rounds') ?? (quick ? 2 : 5)),
    lines: Number(get('lines') ?? (quick ? 20_000 : 50_000)),
    only: new Set(list('only', SUITES)),
    libs: list('libs', LIBRARIES),
    scenarios: list('scenarios', SCENARIOS),
    dests: list('dests', DESTINATIONS),
  };
  const out = get('out');
  if (out) opts.out = out;
  return opts;
}

function progress(msg: string): void {
  process.stderr.write(msg);
}

function pythonVersion(): string {
  try {
    return execFileSync('python3', ['-c', 'import sys; print(sys.version.split()[0])'], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const k = ((by % items.length) + items.length) % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

/** Lines per measurement: the 2 KB scenario writes 2 KB a line, so it logs a fifth as many. */
function linesFor(opts: Options, scenario: Scenario): number {
  return scenario === 'string2k' ? Math.max(1000, Math.round(opts.lines / 5)) : opts.lines;
}

// ---------------------------------------------------------------------------------------------

async function throughputSuite(opts: Options, results: BenchResults, tmp: string): Promise<void> {
  const samples: ThroughputSample[] = [];
  let seq = 0;
  const total = opts.rounds * opts.scenarios.length * opts.dests.length * opts.libs.length;
  let done = 0;
  for (let round = 0; round < opts.rounds; round++) {
    for (const scenario of opts.scenarios) {
      for (const dest of opts.dests) {
        // Alternate: a different library goes first in every (round, scenario, dest).
        const order = rotate(opts.libs, round + seq++);
        for (const lib of order) {
          const file = dest === 'file' ? join(tmp, `${lib}-${scenario}-${round}.log`) : undefined;
          const job: WorkerJob = { lib, mode: 'throughput', scenario, dest, lines: linesFor(opts, scenario) };
          if (file) job.file = file;
          try {
            const r = await runWorker(job);
            const s: ThroughputSample = {
              scenario,
              dest,
              lib,
              round,
              lines: r.report.lines,
              ns: r.report.ns,
              loopNs: r.report.loopNs,
              wallNs: r.wallNs,
              maxRssKb: r.report.maxRssKb,
            };
            if (r.fileLines !== undefined) s.fileLines = r.fileLines;
            if (r.fileBytes !== undefined) s.fileBytes = r.fileBytes;
            samples.push(s);
          } catch (error) {
            results.errors.push(String(error instanceof Error ? error.message : error));
          } finally {
            if (file) rmSync(file, { force: true });
          }
          done++;
          if (done % 10 === 0 || done === total) progress(`\r  throughput ${done}/${total}`);
        }
      }
    }
  }
  progress('\n');
  results.throughput = { samples, ...summarizeThroughput(samples) };
}

export function summarizeThroughput(samples: ThroughputSample[]): { summary: ThroughputSummary[]; ratios: RatioRow[] } {
  const summary: ThroughputSummary[] = [];
  const key = (s: { scenario: string; dest: string; lib: string }) => `${s.scenario}|${s.dest}|${s.lib}`;
  const groups = new Map<string, ThroughputSample[]>();
  for (const s of samples) {
    const k = key(s);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(s);
  }
  for (const group of groups.values()) {
    const first = group[0]!;
    const row: ThroughputSummary = {
      scenario: first.scenario,
      dest: first.dest,
      lib: first.lib,
      runs: group.length,
      lines: first.lines,
      linesPerSec: median(group.map((s) => s.lines / (s.ns / 1e9))),
      wallLinesPerSec: median(group.map((s) => s.lines / (s.wallNs / 1e9))),
      wallMs: median(group.map((s) => s.wallNs / 1e6)),
      flushShare: median(group.map((s) => (s.ns - s.loopNs) / s.ns)),
    };
    if (first.dest === 'file') {
      row.bytesPerLine = median(group.map((s) => (s.fileBytes ?? 0) / s.lines));
      row.complete = group.every((s) => s.fileLines === s.lines);
    }
    summary.push(row);
  }
  const ratios: RatioRow[] = [];
  const find = (scenario: string, dest: string, lib: string) =>
    summary.find((r) => key(r) === `${scenario}|${dest}|${lib}`);
  for (const r of summary) {
    if (!r.lib.startsWith('logdial')) continue;
    for (const theirs of ['pino-sync', 'pino-async'] as const) {
      const t = find(r.scenario, r.dest, theirs);
      if (!t) continue;
      const ours = groups.get(key(r))!;
      const their = groups.get(key(t))!;
      const paired: number[] = [];
      for (const o of ours) {
        const p = their.find((x) => x.round === o.round);
        if (p) paired.push(o.lines / o.ns / (p.lines / p.ns));
      }
      ratios.push({
        scenario: r.scenario,
        dest: r.dest,
        ours: r.lib,
        theirs,
        ratio: r.linesPerSec / t.linesPerSec,
        wallRatio: r.wallLinesPerSec / t.wallLinesPerSec,
        pairedRatio: median(paired),
      });
    }
  }
  return { summary, ratios };
}

// ---------------------------------------------------------------------------------------------

/**
 * Calls per below-level run: ~0.1 s of work whatever the library. winston builds and pipes a
 * record even below the level (~1 µs), log4js and CPython take ~50–100 ns, the others ~1–5 ns.
 */
function belowCalls(lib: Library, calls: number): number {
  if (lib === 'winston') return Math.round(calls / 200);
  if (lib === 'log4js' || lib === 'python') return Math.round(calls / 20);
  return calls;
}

async function belowSuite(opts: Options, results: BenchResults): Promise<void> {
  const calls = opts.quick ? 5_000_000 : 20_000_000;
  const samples = new Map<string, number[]>();
  // 'mixed' is the honest figure: loggers and levels vary per call (adapters.ts, mixedBelow).
  const scenarios = ['hello', 'printf', 'mixed'] as const;
  let seq = 0;
  for (let round = 0; round < opts.rounds; round++) {
    for (const scenario of scenarios) {
      for (const lib of rotate(opts.libs, round + seq++)) {
        if (scenario === 'mixed' && lib === 'python') continue;
        const n = belowCalls(lib, calls);
        try {
          const job: WorkerJob =
            scenario === 'mixed'
              ? { lib, mode: 'below-mixed', scenario: 'printf', dest: 'devnull', lines: n, warmup: 1_000_000 }
              : { lib, mode: 'below', scenario, dest: 'devnull', lines: n, warmup: 1_000_000 };
          const r = await runWorker(job);
          const k = `${lib}|${scenario}`;
          if (!samples.has(k)) samples.set(k, []);
          samples.get(k)!.push(r.report.ns / r.report.lines);
        } catch (error) {
          results.errors.push(String(error instanceof Error ? error.message : error));
        }
      }
    }
    progress(`\r  below-level round ${round + 1}/${opts.rounds}`);
  }
  progress('\n');
  const below: BelowSummary[] = [];
  for (const [k, v] of samples) {
    const [lib, scenario] = k.split('|') as [Library, BelowSummary['scenario']];
    below.push({
      lib,
      scenario,
      calls: belowCalls(lib, calls),
      runs: v.length,
      nsPerCall: median(v),
      minNsPerCall: Math.min(...v),
    });
  }
  results.below = below;
}

// ---------------------------------------------------------------------------------------------

async function memorySuite(opts: Options, results: BenchResults): Promise<void> {
  const lines = opts.quick ? 200_000 : 1_000_000;
  const rounds = 1;
  const peak = new Map<Library, number[]>();
  const base = new Map<Library, number[]>();
  for (let round = 0; round < rounds; round++) {
    for (const lib of rotate(opts.libs, round)) {
      try {
        const b = await runWorker({ lib, mode: 'memory', scenario: 'printf', dest: 'devnull', lines: 0 });
        const r = await runWorker({ lib, mode: 'memory', scenario: 'printf', dest: 'devnull', lines });
        if (!peak.has(lib)) {
          peak.set(lib, []);
          base.set(lib, []);
        }
        peak.get(lib)!.push(r.report.maxRssKb / 1024);
        base.get(lib)!.push(b.report.maxRssKb / 1024);
      } catch (error) {
        results.errors.push(String(error instanceof Error ? error.message : error));
      }
      progress(`\r  memory round ${round + 1}/${rounds} ${lib}          `);
    }
  }
  progress('\n');
  const memory: MemorySummary[] = [];
  for (const [lib, v] of peak)
    memory.push({ lib, lines, maxRssMb: median(v), baselineMb: median(base.get(lib)!), runs: v.length });
  results.memory = memory;
}

// ---------------------------------------------------------------------------------------------

/**
 * CPU profiles of logdial where it loses to pino-sync (the two worst scenarios of the text and of
 * the JSON variant), or of the printf scenario when nothing was lost; pino-sync profiled beside it.
 */
async function profileSuite(opts: Options, results: BenchResults): Promise<void> {
  const lines = opts.quick ? 100_000 : 300_000;
  const jobs: Array<[Library, Scenario, Destination]> = [];
  // The two worst losing scenarios of each of logdial's variants (text, JSON).
  for (const ours of ['logdial-text', 'logdial-json'] as const) {
    const losing = (results.throughput?.ratios ?? [])
      .filter((r) => r.theirs === 'pino-sync' && r.ratio < 1 && r.ours === ours)
      .sort((a, b) => a.ratio - b.ratio)
      .slice(0, 2);
    for (const r of losing) jobs.push([r.ours, r.scenario, r.dest]);
  }
  if (jobs.length === 0) jobs.push(['logdial-text', 'printf', 'devnull'], ['logdial-json', 'printf', 'devnull']);
  const withPino = [...jobs];
  for (const [, s, d] of jobs)
    if (!withPino.some(([l, s2, d2]) => l === 'pino-sync' && s2 === s && d2 === d)) withPino.push(['pino-sync', s, d]);
  const { profile } = await import('./profile.js');
  results.profiles = [];
  for (const [lib, scenario, dest] of withPino) {
    if (!opts.libs.includes(lib)) continue;
    progress(`\r  profile ${lib} ${scenario}/${dest}          `);
    try {
      results.profiles.push(await profile(lib, scenario, dest, lines));
    } catch (error) {
      results.errors.push(
        `profile ${lib} ${scenario}/${dest}: ${String(error instanceof Error ? error.message : error)}`,
      );
    }
  }
  progress('\n');
}

// ---------------------------------------------------------------------------------------------

/** Optional suites live in their own modules; a missing module or dependency skips with a note. */
/** The suites in files of their own, in running order: `--only` name, title, file, and where the result goes. */
const OPTIONAL_SUITES: ReadonlyArray<{ only: string; title: string; file: string; key: keyof BenchResults }> = [
  { only: 'caller', title: 'caller capture cost', file: 'caller-cost.js', key: 'callerCost' },
  {
    only: 'startup',
    title: 'start-up with --import logdial/callsites',
    file: 'loader-startup.js',
    key: 'loaderStartup',
  },
  {
    only: 'services',
    title: 'services (pino preset, child, context, redaction)',
    file: 'services.js',
    key: 'services',
  },
  { only: 'control', title: 'control', file: 'control.js', key: 'control' },
  { only: 'reconfig', title: 'reconfiguration impact', file: 'reconfig.js', key: 'reconfig' },
  { only: 'scale', title: 'reconfiguration at 500–50,000 loggers', file: 'reconfig-scale.js', key: 'reconfigScale' },
  { only: 'bus', title: 'bus fan-out', file: 'bus-fanout.js', key: 'bus' },
  { only: 'attach', title: 'pino and winston attached', file: 'attach.js', key: 'attach' },
  { only: 'viewer', title: 'logdial view', file: 'viewer.js', key: 'viewer' },
  { only: 'triggers', title: 'triggers', file: 'triggers.js', key: 'triggers' },
  { only: 'imports', title: 'import cost', file: 'import-cost.js', key: 'importCost' },
  { only: 'footprint', title: 'installed footprint', file: 'footprint.js', key: 'footprint' },
];

async function optionalSuite(name: string, file: string, opts: Options, results: BenchResults): Promise<unknown> {
  const url = pathToFileURL(join(benchDir(), file)).href;
  // A suite's run() may be synchronous (its work is in child processes it waits for).
  let mod: { run?: (o: unknown) => unknown };
  try {
    mod = (await import(url)) as typeof mod;
  } catch (error) {
    return {
      skipped: `${file} not available (${String(error instanceof Error ? error.message : error).split('\n')[0]})`,
    };
  }
  if (typeof mod.run !== 'function') return { skipped: `${file} exports no run()` };
  try {
    progress(`  ${name}…\n`);
    // Each suite has its own round count (its defaults); only --quick and progress are passed on.
    return await mod.run({ quick: opts.quick, log: progress });
  } catch (error) {
    const msg = String(error instanceof Error ? error.message : error);
    results.errors.push(`${name}: ${msg}`);
    return { skipped: msg.split('\n')[0] };
  }
}

// ---------------------------------------------------------------------------------------------

const USAGE = `Usage: npm run bench -- [options]

Runs logdial, pino, winston, log4js, bunyan and python3's logging side by side and prints ratios.

Options:
  --quick               fewer rounds (2) and lines (20,000)
  --rounds N            rounds of every throughput / below-level measurement (default 5)
  --lines N             lines per throughput run (default 50,000; the 2 KB scenario logs a fifth)
  --only a,b            suites: ${SUITES.join(', ')}
  --libs a,b            libraries: ${LIBRARIES.join(', ')}
  --scenarios a,b       scenarios: ${SCENARIOS.join(', ')}
  --dests a,b           destinations: ${DESTINATIONS.join(', ')}
  --out FILE            also write the results as JSON to FILE
  --json                print JSON instead of tables
  --report              rewrite BENCHMARKS.md's generated section and bench/results/latest.json
  -h, --help            show this help
`;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return;
  }
  const opts = parseOptions(argv);
  if (!pythonVersion()) opts.libs = opts.libs.filter((l) => l !== 'python');
  const started = Date.now();
  const results: BenchResults = {
    meta: {
      date: new Date().toISOString(),
      // `npm run bench` runs dist/bench/run.js; a run from another build folder says so.
      command: (basename(dirname(benchDir())) === 'dist'
        ? ['npm run bench', ...(argv.length ? ['--', ...argv] : [])]
        : [`node ${relative(process.cwd(), join(benchDir(), 'run.js'))}`, ...argv]
      ).join(' '),
      argv,
      quick: opts.quick,
      rounds: opts.rounds,
      nproc: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      python: pythonVersion(),
      os: `${osType()} ${release()}`,
      loadStart: loadavg(),
      loadEnd: [],
      durationS: 0,
    },
    errors: [],
  };
  const tmp = mkdtempSync(join(tmpdir(), 'logdial-bench-'));
  // With --out, results so far are saved after every suite (a long run interrupted keeps them).
  const checkpoint = () => {
    if (opts.out) writeFileSync(opts.out, JSON.stringify(results, null, 2) + '\n');
  };
  try {
    if (opts.only.has('throughput')) await throughputSuite(opts, results, tmp);
    checkpoint();
    if (opts.only.has('below')) await belowSuite(opts, results);
    checkpoint();
    if (opts.only.has('memory')) await memorySuite(opts, results);
    checkpoint();
    if (opts.only.has('profile')) await profileSuite(opts, results);
    checkpoint();
    for (const suite of OPTIONAL_SUITES) {
      if (opts.only.has(suite.only))
        Object.assign(results, { [suite.key]: await optionalSuite(suite.title, suite.file, opts, results) });
      checkpoint();
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  results.meta.loadEnd = loadavg();
  results.meta.durationS = Math.round((Date.now() - started) / 1000);
  const json = JSON.stringify(results, null, 2);
  if (opts.out) writeFileSync(opts.out, json + '\n');
  if (opts.json) process.stdout.write(json + '\n');
  else process.stdout.write(renderText(results) + '\n');
  if (opts.report) {
    const { writeReport } = await import('./report.js');
    writeReport(results);
  }
}

// Allow `node run.js --render FILE` to re-print tables from saved JSON.
if (process.argv[2] === '--render') {
  process.stdout.write(renderText(JSON.parse(readFileSync(process.argv[3]!, 'utf8')) as BenchResults) + '\n');
} else {
  main().catch((error) => {
    process.stderr.write(String(error instanceof Error ? (error.stack ?? error.message) : error) + '\n');
    process.exitCode = 1;
  });
}
