/**
 * Reconfiguration impact: a process that logs in a tight loop (yielding to the event loop every
 * 100 lines, as a server between requests) and measures the gap between consecutive log calls,
 * while its control endpoint receives pushes. Commands on stdin: `start` begins a measurement,
 * `stop` ends it and reports `{ maxGapUs, p99GapUs, lines, longest }` on fd 3: `longest` are the
 * 8 longest gaps, each with whether it spans the loop's yield and the garbage collections that
 * overlap it (`bench/reconfig-explain.ts` prints them); with `BENCH_GAP_CPU=1` in the environment,
 * also the process's CPU time in each (one more system call per line: it tells a gap of work from
 * one spent waiting for a core).
 */
import { writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { seedLoggerListening } from './adapters.js';

const log = await seedLoggerListening('app.loop', process.env['BENCH_APP'] ?? 'bench-reconfig');

/** Gap histogram in microseconds (1 µs buckets up to 1 s). */
let hist = new Uint32Array(1_000_001);
let maxGap = 0;
let lines = 0;
let running = false;
let last = 0n;

/** One of the longest gaps: its length, its end on the performance timeline, and whether it spans the yield. */
interface Gap {
  us: number;
  end: number;
  atYield: boolean;
  cpuUs?: number | undefined;
}
const gapCpu = process.env['BENCH_GAP_CPU'] === '1';
let lastCpu = 0;
const cpuUs = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};
let longest: Gap[] = [];
const collections: Array<{ start: number; end: number; kind: string }> = [];
const GC_KINDS: Record<number, string> = {
  1: 'scavenge',
  2: 'minor mark-sweep',
  4: 'mark-compact',
  8: 'incremental marking',
  16: 'weak callbacks',
};
new PerformanceObserver((list) => {
  if (!running) return;
  for (const entry of list.getEntries() as Array<PerformanceEntry & { detail?: { kind?: number } }>)
    collections.push({
      start: entry.startTime,
      end: entry.startTime + entry.duration,
      kind: GC_KINDS[entry.detail?.kind ?? 0] ?? 'gc',
    });
}).observe({ entryTypes: ['gc'] });

/** Keeps the 8 longest gaps (a gap shorter than the 8th costs one comparison). */
function noteGap(ns: number, atYield: boolean): void {
  const cpu = gapCpu ? cpuUs() - lastCpu : undefined;
  if (gapCpu) lastCpu = cpuUs();
  if (longest.length === 8 && ns / 1000 <= (longest[7]?.us ?? 0)) return;
  longest.push({ us: ns / 1000, end: performance.now(), atYield, cpuUs: cpu });
  longest.sort((a, b) => b.us - a.us);
  longest.length = Math.min(longest.length, 8);
}

function explained(): Array<Gap & { gc: string[] }> {
  return longest.map((gap) => {
    const start = gap.end - gap.us / 1000;
    const gc = collections
      .filter((c) => c.end > start && c.start < gap.end)
      .map((c) => `${c.kind} ${(c.end - c.start).toFixed(2)} ms`);
    return { ...gap, gc };
  });
}

function batch(): void {
  if (!running) return;
  for (let i = 0; i < 100; i++) {
    log.info('request %d handled', lines);
    const now = process.hrtime.bigint();
    const gap = Number(now - last);
    last = now;
    if (gap > maxGap) maxGap = gap;
    noteGap(gap, i === 0);
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
    longest = [];
    collections.length = 0;
    lastCpu = cpuUs();
    running = true;
    last = process.hrtime.bigint();
    setImmediate(batch);
    writeSync(3, JSON.stringify({ started: true }) + '\n');
  } else if (cmd === 'stop') {
    running = false;
    writeSync(
      3,
      JSON.stringify({
        maxGapUs: maxGap / 1000,
        p99GapUs: quantileUs(0.99),
        lines,
        level: log.getEffectiveLevel(),
        longest: explained(),
      }) + '\n',
    );
  } else if (cmd === 'exit') {
    process.exit(0);
  }
});
writeSync(3, `ready ${process.pid}\n`);
