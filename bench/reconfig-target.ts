/**
 * Reconfiguration impact: a process that logs in a tight loop (yielding to the event loop every
 * 100 lines, as a server between requests) and measures the gap between consecutive log calls,
 * while its control endpoint receives pushes. Commands on stdin: `start` begins a measurement,
 * `stop` ends it and reports `{ maxGapUs, p99GapUs, lines }` on fd 3.
 */
import { writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { seedLoggerListening } from './adapters.js';

const log = await seedLoggerListening('app.loop', process.env['BENCH_APP'] ?? 'bench-reconfig');

/** Gap histogram in microseconds (1 µs buckets up to 1 s). */
let hist = new Uint32Array(1_000_001);
let maxGap = 0;
let lines = 0;
let running = false;
let last = 0n;

function batch(): void {
  if (!running) return;
  for (let i = 0; i < 100; i++) {
    log.info('request %d handled', lines);
    const now = process.hrtime.bigint();
    const gap = Number(now - last);
    last = now;
    if (gap > maxGap) maxGap = gap;
    hist[Math.min(1_000_000, Math.floor(gap / 1000))]!++;
    lines++;
  }
  setImmediate(batch);
}

function quantileUs(q: number): number {
  let total = 0;
  for (const c of hist) total += c;
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    seen += hist[i]!;
    if (seen >= q * total) return i;
  }
  return hist.length - 1;
}

createInterface({ input: process.stdin }).on('line', (cmd) => {
  if (cmd === 'start') {
    hist = new Uint32Array(1_000_001);
    maxGap = 0;
    lines = 0;
    running = true;
    last = process.hrtime.bigint();
    setImmediate(batch);
    writeSync(3, JSON.stringify({ started: true }) + '\n');
  } else if (cmd === 'stop') {
    running = false;
    writeSync(
      3,
      JSON.stringify({ maxGapUs: maxGap / 1000, p99GapUs: quantileUs(0.99), lines, level: log.getEffectiveLevel() }) +
        '\n',
    );
  } else if (cmd === 'exit') {
    process.exit(0);
  }
});
writeSync(3, `ready ${process.pid}\n`);
