/**
 * `npm run soak` — N real processes log counted lines while pushes (permanent and temporary),
 * `set --for` with TTLs, reverts and status requests keep arriving, for a set time. Then each
 * process is stopped (SIGTERM) and its lines are checked: none lost, torn or duplicated, whether
 * they went to stdout or, under a pushed config, to a file every process appends to. Also
 * reported: RSS at the start and end of each process, the longest pause in logging, and how the
 * commands were answered.
 *
 *   node dist/bench/soak.js [--processes N] [--duration 60s] [--interval 100ms] [--per-tick N]
 *                           [--commands N] [--seed N] [--json] [--out FILE]
 *
 * Exit status 1 when a line was lost, torn or duplicated, or a process did not report its end.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseDuration } from '../src/cli/duration.js';
import { localTargets, sendToAll } from '../src/control/client.js';
import type { ControlCommand } from '../src/control/protocol.js';
import { LineLedger, type LedgerTotals } from './soak-ledger.js';

const here = dirname(fileURLToPath(import.meta.url));

/** What a soak run does. */
export interface SoakOptions {
  processes: number;
  durationMs: number;
  /** Pause between two commands. */
  intervalMs: number;
  /** Commands sent at least, however long that takes (a loaded machine sends fewer per second). */
  minCommands: number;
  /** Counted lines each process logs per 1 ms tick. */
  perTick: number;
  seed: number;
}

/** One process's figures. */
export interface SoakProcess {
  pid: number;
  logged: number;
  rssStartMb: number;
  rssEndMb: number;
  /** Heap in use after a full GC, after the warm-up and at the end: what the process really keeps. */
  heapStartMb: number;
  heapEndMb: number;
  /** What V8 reserved for the heap (its young generation grows with the allocation rate). */
  heapTotalStartMb: number;
  heapTotalEndMb: number;
  longestPauseMs: number;
}

/** What a soak run found. */
export interface SoakReport {
  options: SoakOptions;
  lines: LedgerTotals;
  processes: SoakProcess[];
  commands: { sent: number; ok: number; rejected: number; noAnswer: number; byKind: Record<string, number> };
  longestPauseMs: number;
  /** Processes that did not report their end (crashed or hung). */
  missingEnds: number;
  /** The machine: its CPUs and its 1-minute load average at the start and the end (pauses depend on it). */
  machine: { cpus: number; loadStart: number; loadEnd: number };
  passed: boolean;
}

export const DEFAULT_SOAK: SoakOptions = {
  processes: 4,
  durationMs: 60_000,
  intervalMs: 100,
  minCommands: 0,
  perTick: 4,
  seed: 1,
};

/** A small seeded generator (mulberry32), so a run's command sequence can be repeated. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The base config (stdout) and the pushed ones: the same lines to stdout or to one shared file. */
function configs(dir: string): { base: string; toStdout: string; toFile: string } {
  const base = join(dir, 'soak-base.conf');
  const toStdout =
    '[loggers]\nkeys=root\n[handlers]\nkeys=out\n[formatters]\nkeys=a\n[formatter_a]\nformat=A %(message)s\n[handler_out]\nclass=StreamHandler\nformatter=a\nargs=(sys.stdout,)\n[logger_root]\nlevel=INFO\nhandlers=out\n';
  writeFileSync(base, toStdout);
  const toFile = JSON.stringify({
    version: 1,
    formatters: { b: { format: 'B %(asctime)s %(message)s' } },
    handlers: { file: { class: 'logging.FileHandler', filename: join(dir, 'shared.log'), formatter: 'b' } },
    root: { level: 'INFO', handlers: ['file'] },
  });
  return { base, toStdout, toFile };
}

/** The next command, drawn from a fixed mix. */
function nextCommand(rand: () => number, texts: { toStdout: string; toFile: string }): [string, ControlCommand] {
  const ttl = 200 + Math.floor(rand() * 1800);
  const r = rand();
  if (r < 0.15) return ['push', { op: 'apply', config: texts.toStdout, format: 'ini', source: 'soak-stdout.conf' }];
  if (r < 0.3) return ['push', { op: 'apply', config: texts.toFile, format: 'json', source: 'soak-file.json' }];
  if (r < 0.45)
    return ['push --for', { op: 'apply', config: texts.toFile, format: 'json', source: 'soak-file.json', ttl }];
  if (r < 0.65) return ['set --for', { op: 'set', levels: { 'soak.noise': rand() < 0.5 ? 'DEBUG' : 'ERROR' }, ttl }];
  if (r < 0.75) return ['set --for', { op: 'set', levels: { root: 'DEBUG' }, ttl }];
  if (r < 0.8) return ['set', { op: 'set', levels: { 'soak.noise': 'INFO' } }];
  if (r < 0.9) return ['revert', { op: 'revert' }];
  return ['status', { op: 'status' }];
}

interface Target {
  proc: ChildProcess;
  stderr: string;
  exited: Promise<void>;
}

function startTarget(dir: string, base: string, options: SoakOptions, ledger: LineLedger): Promise<Target> {
  const proc = spawn(process.execPath, ['--expose-gc', join(here, 'soak-target.js')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      LOGDIAL_RUNTIME_DIR: join(dir, 'rt'),
      SOAK_BASE: base,
      SOAK_APP: 'soak',
      SOAK_ALLOW: dir,
      SOAK_PER_TICK: String(options.perTick),
      SOAK_WARMUP_MS: String(warmupMs(options)),
      NO_COLOR: '1',
    },
  });
  const target: Target = { proc, stderr: '', exited: new Promise((resolve) => proc.on('close', () => resolve())) };
  const out = ledger.feed();
  proc.stdout.setEncoding('utf8').on('data', (chunk: string) => out.write(chunk));
  proc.stdout.on('end', () => out.end());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`soak target did not start within 30 s:\n${target.stderr}`)),
      30_000,
    );
    proc.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      target.stderr += chunk;
      if (/READY \d+/.test(target.stderr)) {
        clearTimeout(timer);
        resolve(target);
      }
    });
    proc.on('exit', () => reject(new Error(`soak target exited early:\n${target.stderr}`)));
  });
}

/**
 * When the start figures are taken: the first commands load and compile what they use (the config
 * parsers, the file handler), which is start-up, not growth. A fifth of the run, 2 to 20 s.
 */
function warmupMs(options: SoakOptions): number {
  return Math.round(Math.min(20_000, Math.max(2000, options.durationMs / 5)));
}

/** Figures a target printed on stderr. */
function figures(target: Target): SoakProcess | null {
  const end = /END (\d+) (\d+) ([\d.]+) (\S+) (\S+) (\S+) (\S+) (\S+) (\S+)/.exec(target.stderr);
  if (!end) return null;
  const mb = (bytes: string | undefined) => Math.round((Number(bytes) / 1048576) * 10) / 10;
  return {
    pid: Number(end[1]),
    logged: Number(end[2]),
    rssStartMb: mb(end[4]),
    rssEndMb: mb(end[5]),
    heapStartMb: mb(end[6]),
    heapEndMb: mb(end[7]),
    heapTotalStartMb: mb(end[8]),
    heapTotalEndMb: mb(end[9]),
    longestPauseMs: Number(end[3]),
  };
}

/** Runs a soak and returns its report (never throws for a failed check: `passed` says). */
export async function runSoak(
  partial: Partial<SoakOptions> = {},
  progress: (line: string) => void = () => {},
): Promise<SoakReport> {
  const options = { ...DEFAULT_SOAK, ...partial };
  const dir = mkdtempSync(join(tmpdir(), 'logdial-soak-'));
  const ledger = new LineLedger();
  const targets: Target[] = [];
  const loadStart = loadavg()[0]!;
  try {
    const texts = configs(dir);
    for (let i = 0; i < options.processes; i++) targets.push(await startTarget(dir, texts.base, options, ledger));
    const runtime = join(dir, 'rt');
    const reachable = localTargets({ dir: runtime, app: 'soak' });
    progress(`soak: ${targets.length} processes logging; commands for ${options.durationMs} ms`);
    const rand = random(options.seed);
    const commands = { sent: 0, ok: 0, rejected: 0, noAnswer: 0, byKind: {} as Record<string, number> };
    const end = Date.now() + options.durationMs;
    while (Date.now() < end || commands.sent < options.minCommands) {
      const [kind, cmd] = nextCommand(rand, texts);
      const rows = await sendToAll(reachable, cmd, { timeoutMs: 10_000, dir: runtime });
      commands.sent++;
      commands.byKind[kind] = (commands.byKind[kind] ?? 0) + 1;
      for (const row of rows) {
        if (row.status === 'ok') commands.ok++;
        else if (row.status === 'rejected') commands.rejected++;
        else commands.noAnswer++;
      }
      await new Promise((r) => setTimeout(r, options.intervalMs));
    }
    for (const target of targets) target.proc.kill('SIGTERM');
    await Promise.all(targets.map((t) => Promise.race([t.exited, new Promise((r) => setTimeout(r, 30_000))])));
    const shared = join(dir, 'shared.log');
    if (existsSync(shared)) {
      const feed = ledger.feed();
      for await (const chunk of createReadStream(shared, { encoding: 'utf8' })) feed.write(chunk as string);
      feed.end();
    }
    const processes = targets.map(figures).filter((p): p is SoakProcess => p !== null);
    const lines = ledger.totals(new Map(processes.map((p) => [p.pid, p.logged])));
    const missingEnds = targets.length - processes.length;
    const longestPauseMs = Math.max(0, ...processes.map((p) => p.longestPauseMs));
    const passed = lines.lost === 0 && lines.torn === 0 && lines.duplicated === 0 && missingEnds === 0;
    const machine = {
      cpus: cpus().length,
      loadStart: Math.round(loadStart * 10) / 10,
      loadEnd: Math.round(loadavg()[0]! * 10) / 10,
    };
    return { options, lines, processes, commands, longestPauseMs, missingEnds, machine, passed };
  } finally {
    for (const target of targets)
      if (target.proc.exitCode === null && target.proc.signalCode === null) target.proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The report as text. */
export function renderSoak(report: SoakReport): string {
  const { lines, commands, options } = report;
  const out = [
    `soak: ${options.processes} processes, ${options.durationMs / 1000} s, ${options.perTick} lines/ms each, a command every ${options.intervalMs} ms (seed ${options.seed})`,
    `lines: ${lines.expected} logged, ${lines.received} found; lost ${lines.lost}, torn ${lines.torn}, duplicated ${lines.duplicated} (${lines.other} other lines)`,
    `commands: ${commands.sent} sent (${Object.entries(commands.byKind)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}); replies ok ${commands.ok}, rejected ${commands.rejected}, no answer ${commands.noAnswer}`,
    `longest logging pause: ${report.longestPauseMs} ms (${report.machine.cpus} CPUs, load average ${report.machine.loadStart} at the start, ${report.machine.loadEnd} at the end)`,
    'PID      LOGGED     RSS START  RSS END   HEAP START  HEAP END  RESERVED START  RESERVED END  LONGEST PAUSE',
    ...report.processes.map(
      (p) =>
        `${String(p.pid).padEnd(8)} ${String(p.logged).padEnd(10)} ${`${p.rssStartMb} MB`.padEnd(10)} ${`${p.rssEndMb} MB`.padEnd(9)} ${`${p.heapStartMb} MB`.padEnd(11)} ${`${p.heapEndMb} MB`.padEnd(9)} ${`${p.heapTotalStartMb} MB`.padEnd(15)} ${`${p.heapTotalEndMb} MB`.padEnd(13)} ${p.longestPauseMs} ms`,
    ),
  ];
  if (report.missingEnds) out.push(`${report.missingEnds} process(es) did not report their end`);
  out.push(report.passed ? 'PASS: no line lost, torn or duplicated' : 'FAIL');
  return out.join('\n');
}

const USAGE = `npm run soak -- [options]   (node dist/bench/soak.js [options])

  --processes N     processes logging (default ${DEFAULT_SOAK.processes})
  --duration D      how long commands keep arriving (default 60s; 10s, 5m, ...)
  --interval D      pause between two commands (default ${DEFAULT_SOAK.intervalMs}ms)
  --per-tick N      counted lines each process logs per millisecond (default ${DEFAULT_SOAK.perTick})
  --commands N      send at least N commands, however long it takes (default 0)
  --seed N          seed of the command sequence (default ${DEFAULT_SOAK.seed})
  --json            print the report as JSON
  --out FILE        also save the JSON report

Exit status 1 when a line was lost, torn or duplicated, or a process did not report its end.
`;

function parseArgs(argv: string[]): { options: Partial<SoakOptions>; json: boolean; out?: string } {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const options: Partial<SoakOptions> = {};
  const number = (name: string) => {
    const v = get(name);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new Error(`--${name} takes a whole number, got '${v}'`);
    return Number(v);
  };
  options.processes = number('processes') ?? DEFAULT_SOAK.processes;
  options.perTick = number('per-tick') ?? DEFAULT_SOAK.perTick;
  options.seed = number('seed') ?? DEFAULT_SOAK.seed;
  options.minCommands = number('commands') ?? DEFAULT_SOAK.minCommands;
  if (get('duration')) options.durationMs = parseDuration(get('duration')!, 's');
  if (get('interval')) options.intervalMs = parseDuration(get('interval')!, 'ms');
  const parsed: { options: Partial<SoakOptions>; json: boolean; out?: string } = {
    options,
    json: argv.includes('--json'),
  };
  const out = get('out');
  if (out) parsed.out = out;
  return parsed;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argv = process.argv.slice(2);
  if (argv.includes('--help')) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const { options, json, out } = parseArgs(argv);
  const report = await runSoak(options, (line) => process.stderr.write(line + '\n'));
  process.stdout.write((json ? JSON.stringify(report, null, 2) : renderSoak(report)) + '\n');
  if (out) writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
  process.exitCode = report.passed ? 0 : 1;
}
