/**
 * `node dist/bench/push-stall.js [--rounds N] [--only TEXT] [--target-flags 'NODE FLAGS'] [--json]`: the longest event-loop stall of a target
 * process while a push arrives, for large and hostile pushes (the sizes that once froze targets
 * for seconds to minutes) and a large push within the limits. Each push goes over the target's
 * unix socket (or, for bare INI, its legacy TCP port); the target measures its own event loop
 * with a 1 ms timer and reports the longest gap, the CPU time the process used in that gap and
 * the most CPU time its main thread used between two ticks (the longest gap an idle machine would
 * see: the process's figure also counts the push reader's worker parsing on the other core, and
 * on a loaded machine the longest wall gap is often a wait for a core). Prints the median and the worst over
 * the rounds, the median process CPU, the main thread's median and worst, and, as a baseline, the same figure for a ping (the machine's own scheduling noise). `--only`
 * runs the cases whose name contains TEXT; `--target-flags` starts the target with those Node flags
 * (`--cpu-prof --cpu-prof-dir=DIR`, `--trace-gc`: its stdout lines that are not the protocol's are
 * copied to stderr).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { encodeFrame } from '../src/control/framing.js';
import { exchange, type FrameTarget } from '../test/fuzz/engine.js';

type Case = { name: string; via: 'unix' | 'legacy'; payload: () => string };

function loggersJson(n: number, prefix: string): string {
  const loggers: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) loggers[`${prefix}.m${i}`] = { level: i % 2 ? 'DEBUG' : 'INFO' };
  return JSON.stringify({ version: 1, disable_existing_loggers: false, loggers }, null, 1);
}

const apply = (config: string, format: string) => JSON.stringify({ op: 'apply', config, format, source: 'bench' });
const CASES: Case[] = [
  // The baseline: what the machine's own scheduling costs the 1 ms timer, with no push at all.
  { name: 'no push (a ping)', via: 'unix', payload: () => JSON.stringify({ op: 'ping' }) },
  {
    name: 'INI line of 60,000 spaces (unix socket)',
    via: 'unix',
    payload: () => apply(`[loggers]\nk${' '.repeat(60_000)}x\n`, 'ini'),
  },
  {
    name: 'INI line of 120,000 spaces (legacy TCP frame)',
    via: 'legacy',
    payload: () => `[loggers]\nk${' '.repeat(120_000)}x\n`,
  },
  {
    name: 'JSON, 22,000 loggers (781 KB; over the limit)',
    via: 'unix',
    payload: () => apply(loggersJson(22_000, 'big'), 'json'),
  },
  {
    name: 'YAML, 16,000 lines of flow commas (over the bounds)',
    via: 'unix',
    payload: () => apply('version: 1\nx: [\n' + ',\n'.repeat(16_000) + ']\n', 'yaml'),
  },
  {
    name: 'JSON, 500 loggers (within the limits, applied)',
    via: 'unix',
    payload: () => apply(loggersJson(500, `ok${Math.random().toString(36).slice(2, 6)}`), 'json'),
  },
];

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function main(): Promise<void> {
  const rounds = option('rounds', 5);
  const only = process.argv.indexOf('--only');
  const pattern = only >= 0 ? (process.argv[only + 1] ?? '') : '';
  const flags = process.argv.indexOf('--target-flags');
  const targetFlags = flags >= 0 ? (process.argv[flags + 1] ?? '').split(' ').filter(Boolean) : [];
  const dir = mkdtempSync(join(tmpdir(), 'logdial-stall-'));
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [...targetFlags, new URL('./push-stall-target.js', import.meta.url).pathname, String(port), join(dir, 'app.log')],
    {
      env: { ...process.env, LOGDIAL_RUNTIME_DIR: join(dir, 'rt') },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout });
  // What the target prints besides the protocol (a --trace-gc line) goes to stderr, in order.
  lines.on('line', (line) => {
    if (!/^(READY|STALL) /.test(line)) process.stderr.write(`target: ${line}\n`);
  });
  const nextLine = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve) => {
      const on = (line: string) => {
        const m = pattern.exec(line);
        if (m) {
          lines.off('line', on);
          resolve(m);
        }
      };
      lines.on('line', on);
    });
  try {
    const ready = await nextLine(/^READY (\S+) (.*)$/);
    const socket = ready[1]!;
    const mainSource = ready[2]!;
    const targets: Record<Case['via'], FrameTarget> = { unix: { path: socket }, legacy: { host: '127.0.0.1', port } };
    const results: Array<{
      case: string;
      medianMs: number;
      worstMs: number;
      cpuMedianMs: number;
      mainMedianMs: number;
      mainWorstMs: number;
      reply: string;
    }> = [];
    for (const c of CASES.filter((c) => c.name.includes(pattern))) {
      const stalls: number[] = [];
      const cpus: number[] = [];
      const mains: number[] = [];
      let reply = '';
      for (let r = 0; r < rounds; r++) {
        child.stdin.write('report\n');
        await nextLine(/^STALL/);
        const answer = await exchange(targets[c.via], encodeFrame(c.payload()), 60_000);
        reply = answer
          ? (/"result":"([^"]*)"/.exec(answer.toString('utf8'))?.[1] ?? 'answered')
          : 'no reply (legacy frames get none)';
        await new Promise((resolve) => setTimeout(resolve, 200));
        child.stdin.write('report\n');
        const stall = await nextLine(/^STALL (\S+) (\S+) (\S+)/);
        stalls.push(Number(stall[1]));
        cpus.push(Number(stall[2]));
        mains.push(Number(stall[3]));
      }
      for (const list of [stalls, cpus, mains]) list.sort((a, b) => a - b);
      results.push({
        case: c.name,
        medianMs: stalls[Math.floor(stalls.length / 2)]!,
        worstMs: stalls[stalls.length - 1]!,
        cpuMedianMs: cpus[Math.floor(cpus.length / 2)]!,
        mainMedianMs: mains[Math.floor(mains.length / 2)]!,
        mainWorstMs: mains[mains.length - 1]!,
        reply,
      });
    }
    if (process.argv.includes('--json'))
      process.stdout.write(JSON.stringify({ rounds, mainCpu: mainSource, results }, null, 2) + '\n');
    else {
      process.stdout.write(
        `longest event-loop stall of the target while a push arrives (${rounds} rounds; wall; the process's CPU in that gap, median; the ${mainSource}'s most CPU between two ticks, median / worst)\n`,
      );
      const ms = (n: number, width: number) => n.toFixed(1).padStart(width);
      for (const r of results)
        process.stdout.write(
          `  ${r.case.padEnd(52)} median ${ms(r.medianMs, 6)} ms  worst ${ms(r.worstMs, 6)} ms  cpu ${ms(r.cpuMedianMs, 5)} ms  main ${ms(r.mainMedianMs, 5)} / ${ms(r.mainWorstMs, 5)} ms  (${r.reply})\n`,
        );
    }
  } finally {
    // The end of stdin ends the target (a profile it was asked for gets written); a stuck one is killed.
    child.stdin.end();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    if (child.exitCode === null && child.signalCode === null) await exited;
    clearTimeout(killer);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
