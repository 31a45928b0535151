/**
 * Reconfiguration impact: the longest pause of a logging loop while 100 full config pushes arrive
 * (sent one after another, each waiting for its acknowledgement), against the same loop without
 * pushes. The pushed configs alternate between two INI files that differ in the format, so every
 * push really builds and swaps a new formatter and handler.
 */
import { type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchDir, repoRoot } from './common.js';
import { endAll, spawnReady } from './control.js';
import type { ReconfigSummary } from './results.js';
import { median } from './stats.js';

interface LoopStats {
  maxGapUs: number;
  p99GapUs: number;
  lines: number;
}

/** Sends `cmd` to the target and resolves with its first report on fd 3 that `expect` accepts. */
export function ask(
  child: ChildProcess,
  cmd: string,
  expect: (o: Record<string, unknown>) => boolean,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const fd3 = child.stdio[3] as NodeJS.ReadableStream;
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`reconfig target: no answer to ${cmd}`)), 30_000);
    const onData = (d: string | Buffer) => {
      buf += d.toString();
      for (const line of buf.split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          const o = JSON.parse(line) as Record<string, unknown>;
          if (expect(o)) {
            clearTimeout(timer);
            fd3.removeListener('data', onData);
            resolve(o);
            return;
          }
        } catch {
          // partial line
        }
      }
    };
    fd3.on('data', onData);
    child.stdin!.write(cmd + '\n');
  });
}

export async function run(options: { quick?: boolean; log?: (m: string) => void } = {}): Promise<ReconfigSummary> {
  const log = options.log ?? (() => {});
  const pushes = 100;
  const rounds = options.quick ? 1 : 3;
  const root = repoRoot();
  const configs = ['info.conf', 'info-wide.conf'].map((f) => readFileSync(join(root, 'bench', 'fixtures', f), 'utf8'));
  const runtime = mkdtempSync(join(tmpdir(), 'logdial-bench-rt-'));
  const previousDir = process.env['LOGDIAL_RUNTIME_DIR'];
  process.env['LOGDIAL_RUNTIME_DIR'] = runtime;
  const app = `bench-reconfig-${process.pid}`;
  const env = { ...process.env, LOGDIAL_RUNTIME_DIR: runtime, BENCH_APP: app, NO_COLOR: '1' };
  const client = await import('../src/control/client.js');
  let child: ChildProcess | undefined;
  const withPushes: LoopStats[] = [];
  const without: LoopStats[] = [];
  let applied = 0;
  let note = '';
  try {
    child = await spawnReady(process.execPath, [join(benchDir(), 'reconfig-target.js')], env);
    (child.stdio[3] as NodeJS.ReadableStream).setEncoding('utf8');
    const [target] = client.localTargets({ app });
    if (!target) throw new Error('reconfig target not found in the runtime directory');
    for (let r = 0; r < rounds; r++) {
      // With pushes.
      await ask(child, 'start', (o) => o['started'] === true);
      const t0 = performance.now();
      applied = 0;
      for (let i = 0; i < pushes; i++) {
        const res = await client.sendToTarget(target, {
          op: 'apply',
          config: configs[i % 2]!,
          format: 'ini',
          source: `push ${i}`,
        });
        if (res.status === 'ok') applied++;
        else if (!note) note = `push rejected: ${res.error ?? res.status}`;
      }
      const duration = performance.now() - t0;
      withPushes.push((await ask(child, 'stop', (o) => 'maxGapUs' in o)) as unknown as LoopStats);
      // Baseline: the same loop, the same time, no pushes.
      await ask(child, 'start', (o) => o['started'] === true);
      await new Promise((res) => setTimeout(res, duration));
      without.push((await ask(child, 'stop', (o) => 'maxGapUs' in o)) as unknown as LoopStats);
      log(`\r  reconfiguration impact round ${r + 1}/${rounds}`);
    }
    log('\n');
    child.stdin!.write('exit\n');
  } finally {
    if (child) await endAll([child]);
    rmSync(runtime, { recursive: true, force: true });
    if (previousDir === undefined) delete process.env['LOGDIAL_RUNTIME_DIR'];
    else process.env['LOGDIAL_RUNTIME_DIR'] = previousDir;
  }
  const result: ReconfigSummary = {
    pushes,
    maxPauseMs: median(withPushes.map((s) => s.maxGapUs / 1000)),
    baselineMaxPauseMs: median(without.map((s) => s.maxGapUs / 1000)),
    p99GapUs: median(withPushes.map((s) => s.p99GapUs)),
    baselineP99GapUs: median(without.map((s) => s.p99GapUs)),
    linesLogged: median(withPushes.map((s) => s.lines)),
    applied,
    note: `Median over ${rounds} round(s) of the longest gap between two consecutive log calls; the loop yields to the event loop every 100 lines (where pushes are handled).${note ? ' ' + note : ''}`,
  };
  return result;
}
