/**
 * Measures triggers in a process of its own (run with --expose-gc by bench/triggers.ts) and prints
 * one JSON report: ns per DEBUG call below the level without a trigger, with a backfill ring over
 * the logger, and on a logger outside the trigger's; heap of a full ring of N records; time to
 * flush a full ring (each record formatted, written nowhere).
 */
import { DEBUG, ERROR, INFO } from '../src/core/levels.js';
import { getLogger, type RecordHandler } from '../src/core/logger.js';
import type { LogRecord } from '../src/core/record.js';
import { setTriggers } from '../src/core/triggers.js';
import { Formatter } from '../src/format/formatter.js';
import { median } from './stats.js';

const quick = process.argv.includes('--quick');
// argv: [mode] [--quick]; mode is plain, ring, outside, again or memory.
const calls = quick ? 2_000_000 : 10_000_000;
const rounds = quick ? 3 : 7;
const formatter = new Formatter('%(asctime)s %(backfill)s %(levelname)s %(name)s: %(message)s');
let written = 0;
const nowhere: RecordHandler = {
  level: 0,
  handle(record: LogRecord) {
    written += formatter.format(record).length;
  },
};
const root = getLogger();
root.addHandler(nowhere);
root.setLevel(INFO);
const watched = getLogger('app.db');
const outside = getLogger('app.http');

function trigger(backfill: number) {
  return {
    name: 'bench',
    loggers: ['app.db'],
    level: ERROR,
    backfill,
    backfillLevel: DEBUG,
    scope: 'process' as const,
  };
}

function nsPerCall(logger: typeof watched): number {
  const samples: number[] = [];
  // Round 0 warms up (the first round pays for compilation) and is not counted.
  for (let r = 0; r <= rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) logger.debug('cache miss for key %d', i);
    if (r > 0) samples.push(Number(process.hrtime.bigint() - start) / calls);
  }
  return median(samples);
}

function heapMb(): number {
  globalThis.gc?.();
  globalThis.gc?.();
  return process.memoryUsage().heapUsed / (1 << 20);
}

/** One measurement per process (argv[2]), so no call site has seen another logger's methods. */
const mode = process.argv[2] ?? 'plain';
const report: Record<string, number> = {};
if (mode === 'plain') report['plain'] = nsPerCall(watched);
else if (mode === 'ring') {
  setTriggers([trigger(200)]);
  report['ring'] = nsPerCall(watched);
} else if (mode === 'outside') {
  setTriggers([trigger(200)]);
  report['outside'] = nsPerCall(outside);
} else if (mode === 'again') {
  setTriggers([trigger(200)]);
  setTriggers([]);
  report['plainAgain'] = nsPerCall(watched);
}
const sizes = mode === 'memory' ? [1000, 10_000] : [];
for (const n of sizes) {
  setTriggers([trigger(n)]);
  for (let i = 0; i < n; i++) watched.debug('cache miss for key %d', i);
  const full = heapMb();
  // What dropping the full ring frees is what it held.
  setTriggers([]);
  report[`heap${n}`] = full - heapMb();
  setTriggers([trigger(n)]);
  const flushes: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < n; i++) watched.debug('cache miss for key %d', i);
    const start = process.hrtime.bigint();
    watched.error('query failed');
    flushes.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  report[`flush${n}`] = median(flushes);
  setTriggers([]);
}
report['written'] = written;
process.stdout.write(JSON.stringify(report) + '\n');
