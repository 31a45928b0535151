/**
 * One measurement in its own process: `node worker.js '<WorkerJob JSON>'`.
 *
 * The clock starts just before the first log call and stops when the process is about to exit
 * (`process.on('exit')`), i.e. after the library's final flush was called AND every pending
 * asynchronous write completed (the event loop drained). The report goes to fd 3 as one JSON line,
 * so stdout can be the destination being measured.
 */
import { writeSync } from 'node:fs';
import { createAdapter } from './adapters.js';
import type { WorkerJob, WorkerReport } from './common.js';

const job = JSON.parse(process.argv[2] ?? '{}') as WorkerJob;

function report(r: WorkerReport): void {
  writeSync(3, JSON.stringify(r) + '\n');
}

async function main(): Promise<void> {
  const s0 = process.hrtime.bigint();
  const adapter = await createAdapter(job);
  const n = job.lines;
  if (job.mode === 'below') {
    const below = adapter.below;
    const warm = job.warmup ?? 1_000_000;
    for (let i = 0; i < warm; i++) below(i);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) below(i);
    const t1 = process.hrtime.bigint();
    report({
      lib: job.lib,
      ns: Number(t1 - t0),
      loopNs: Number(t1 - t0),
      setupNs: Number(t0 - s0),
      lines: n,
      maxRssKb: process.resourceUsage().maxRSS,
    });
    await adapter.flush();
    return;
  }
  if (job.mode === 'below-mixed') {
    const mixed = adapter.belowMixed;
    if (!mixed) throw new Error(`${job.lib} has no mixed below-level calls`);
    // Two calls an iteration: n calls in n/2 iterations. The sum is reported, so the loop has a result.
    const iterations = Math.floor(n / 2);
    let sum = 0;
    for (let i = 0; i < (job.warmup ?? 1_000_000) / 2; i++) sum += mixed(i);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) sum += mixed(i);
    const t1 = process.hrtime.bigint();
    report({
      lib: job.lib,
      ns: Number(t1 - t0),
      loopNs: Number(t1 - t0),
      setupNs: Number(t0 - s0),
      lines: iterations * 2,
      maxRssKb: process.resourceUsage().maxRSS,
      checksum: sum,
    });
    await adapter.flush();
    return;
  }
  const call = adapter.call;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) call(i);
  const tLoop = process.hrtime.bigint();
  process.on('exit', () => {
    const t1 = process.hrtime.bigint();
    report({
      lib: job.lib,
      ns: Number(t1 - t0),
      loopNs: Number(tLoop - t0),
      setupNs: Number(t0 - s0),
      lines: n,
      maxRssKb: process.resourceUsage().maxRSS,
    });
  });
  await adapter.flush();
}

main().catch((error) => {
  process.stderr.write(
    `worker ${job.lib}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 2;
});
