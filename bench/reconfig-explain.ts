/**
 * `node dist/bench/reconfig-explain.js [--pushes N] [--cpu]`: what the longest gaps of the reconfiguration
 * benchmark's logging loop (`reconfig-target.ts`) are made of, with pushes arriving and without:
 * the 8 longest gaps of each run, whether each spans the loop's yield to the event loop (where
 * pushes, timers and V8's scheduled collections run) and the garbage collections overlapping it.
 * The same pushes as `bench/reconfig.ts` (two INI files alternating), one round; the run without
 * pushes lasts as long as the one with them. `--cpu` adds the process's CPU time in each gap (a
 * gap with little CPU was spent waiting for a core: the machine's load, not the process).
 */
import { type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchDir, repoRoot } from './common.js';
import { endAll, spawnReady } from './control.js';
import { ask } from './reconfig.js';

interface Explained {
  maxGapUs: number;
  lines: number;
  longest: Array<{ us: number; atYield: boolean; gc: string[]; cpuUs?: number }>;
}

function print(title: string, run: Explained): void {
  process.stdout.write(`${title}: ${run.lines} lines, longest gap ${(run.maxGapUs / 1000).toFixed(2)} ms\n`);
  for (const gap of run.longest)
    process.stdout.write(
      `  ${(gap.us / 1000).toFixed(2).padStart(7)} ms${gap.cpuUs === undefined ? '' : ` (cpu ${(gap.cpuUs / 1000).toFixed(2)} ms)`}  ${gap.atYield ? 'spans the yield' : 'inside a batch '}  ${gap.gc.join(', ') || 'no collection'}\n`,
    );
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--pushes');
  const pushes = at >= 0 ? Number(process.argv[at + 1]) : 100;
  const configs = ['info.conf', 'info-wide.conf'].map((f) =>
    readFileSync(join(repoRoot(), 'bench', 'fixtures', f), 'utf8'),
  );
  const runtime = mkdtempSync(join(tmpdir(), 'logdial-explain-rt-'));
  process.env['LOGDIAL_RUNTIME_DIR'] = runtime;
  const app = `bench-explain-${process.pid}`;
  const client = await import('../src/control/client.js');
  let child: ChildProcess | undefined;
  try {
    child = await spawnReady(process.execPath, [join(benchDir(), 'reconfig-target.js')], {
      ...process.env,
      BENCH_APP: app,
      NO_COLOR: '1',
      ...(process.argv.includes('--cpu') ? { BENCH_GAP_CPU: '1' } : {}),
    });
    (child.stdio[3] as NodeJS.ReadableStream).setEncoding('utf8');
    const [target] = client.localTargets({ app });
    if (!target) throw new Error('reconfig target not found in the runtime directory');
    await ask(child, 'start', (o) => 'started' in o);
    const t0 = performance.now();
    for (let i = 0; i < pushes; i++)
      await client.sendToTarget(target, { op: 'apply', config: configs[i % 2]!, format: 'ini', source: `push ${i}` });
    const duration = performance.now() - t0;
    print(`with ${pushes} pushes`, (await ask(child, 'stop', (o) => 'maxGapUs' in o)) as unknown as Explained);
    await ask(child, 'start', (o) => 'started' in o);
    await new Promise((resolve) => setTimeout(resolve, duration));
    print('without pushes', (await ask(child, 'stop', (o) => 'maxGapUs' in o)) as unknown as Explained);
    child.stdin!.write('exit\n');
  } finally {
    if (child) await endAll([child]);
    rmSync(runtime, { recursive: true, force: true });
  }
}

await main();
