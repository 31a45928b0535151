/**
 * A process for the tail benchmark: logs to stdout (the harness points it at /dev/null) through
 * the seed's format, listens for control, says `ready` on fd 3, then for each line of stdin:
 *   `go N`          logs N rounds (one INFO and one DEBUG record, root at INFO) as fast as it can
 *                   and answers `{"ms":…}` on fd 3;
 *   `pace RATE MS`  logs RATE records a second (INFO and DEBUG alternately) for MS milliseconds,
 *                   in small steps with turns of the event loop between them (as a service does),
 *                   and answers `{"ms":…,"records":…,"cpuMs":…}`: the records it managed and its
 *                   own CPU time.
 *   `step N K`      logs N records (INFO and DEBUG alternately) in steps of K with a turn of the
 *                   event loop between steps, whatever the clock says (for instruction counts under
 *                   valgrind, where pacing by time would measure the emulator), and answers
 *                   `{"ms":…,"records":N}`.
 */
import { writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { seedLoggerListening } from './adapters.js';

const log = await seedLoggerListening('app.db', process.env['BENCH_APP'] ?? 'bench-tail');
writeSync(3, 'ready\n');

function burst(rounds: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) {
    log.info('order %d stored', i);
    log.debug('query took %d ms', i & 7);
  }
  // Let the tap's socket writes go out before the next round.
  return new Promise((r) => setImmediate(() => r(Number(process.hrtime.bigint() - start) / 1e6)));
}

function paced(rate: number, ms: number): Promise<{ ms: number; records: number; cpuMs: number }> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  let records = 0;
  return new Promise((resolve) => {
    const step = () => {
      const elapsed = performance.now() - start;
      const due = Math.min(rate * Math.min(elapsed, ms), rate * ms) / 1000;
      for (; records < due; records++) {
        if (records & 1) log.debug('query took %d ms', records & 7);
        else log.info('order %d stored', records);
      }
      if (elapsed < ms) return void setTimeout(step, 1);
      const used = process.cpuUsage(cpu);
      resolve({ ms: performance.now() - start, records, cpuMs: (used.user + used.system) / 1000 });
    };
    step();
  });
}

async function stepped(total: number, step: number): Promise<{ ms: number; records: number }> {
  const start = performance.now();
  for (let records = 0; records < total;) {
    for (const end = Math.min(total, records + step); records < end; records++) {
      if (records & 1) log.debug('query took %d ms', records & 7);
      else log.info('order %d stored', records);
    }
    await new Promise((r) => setImmediate(r));
  }
  await new Promise((r) => setImmediate(r));
  return { ms: performance.now() - start, records: total };
}

for await (const line of createInterface({ input: process.stdin })) {
  const [command, a, b] = line.split(' ');
  const reply =
    command === 'pace'
      ? await paced(Number(a), Number(b))
      : command === 'step'
        ? await stepped(Number(a), Number(b))
        : { ms: await burst(Number(a)) };
  writeSync(3, JSON.stringify(reply) + '\n');
}
