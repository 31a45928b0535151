/**
 * A process for the tail benchmark: logs to stdout (the harness points it at /dev/null) through
 * the seed's format, listens for control, says `ready` on fd 3, then on each `go N` line of stdin
 * logs N rounds (one INFO and one DEBUG record, root at INFO) as fast as it can and answers
 * `{"ms":…}` on fd 3.
 */
import { writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { seedLoggerListening } from './adapters.js';

const log = await seedLoggerListening('app.db', process.env['BENCH_APP'] ?? 'bench-tail');
writeSync(3, 'ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  const rounds = Number(line.split(' ')[1]);
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) {
    log.info('order %d stored', i);
    log.debug('query took %d ms', i & 7);
  }
  // Let the tap's socket writes go out before the next round.
  await new Promise((r) => setImmediate(r));
  writeSync(3, JSON.stringify({ ms: Number(process.hrtime.bigint() - start) / 1e6 }) + '\n');
}
