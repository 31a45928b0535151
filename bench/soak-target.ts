/**
 * One process of `npm run soak`: configured from a file (the base a temporary push returns to),
 * listening for control commands, logging counted lines (`L pid=… seq=… <pad> end`) on `soak.seq`
 * every millisecond and noise on `soak.noise` (enabled only while a `set` says so).
 *
 * env: SOAK_BASE (config file), SOAK_APP, SOAK_ALLOW (where pushes may write), SOAK_PER_TICK
 * (counted lines per tick, default 4), SOAK_WARMUP_MS (when the start figures are taken, default
 * 2000: after the first commands loaded and compiled what they use). stderr: `READY <pid>`, and on
 * SIGTERM `END <pid> <lines logged> <longest pause, ms> <rss start> <rss end> <heap start> <heap end>
 * <heap total start> <heap total end>` (bytes; the heap is what is in use after a full GC — run
 * with --expose-gc — which tells memory kept from memory merely not returned to the system yet; the
 * heap total is what V8 has reserved for it).
 */
import { configure, getLogger, listen } from '../src/index.js';
import { SOAK_PAD } from './soak-ledger.js';

const env = process.env;
configure(env['SOAK_BASE']!);
const handle = listen({ app: env['SOAK_APP'] ?? 'soak', allowPaths: env['SOAK_ALLOW'] ? [env['SOAK_ALLOW']] : [] });
const counted = getLogger('soak.seq');
const noise = getLogger('soak.noise');
const perTick = Number(env['SOAK_PER_TICK'] ?? 4);

let seq = 0;
let last = -1;
let longestPause = 0;
await handle.ready;
process.stderr.write(`READY ${process.pid}\n`);

const tick = setInterval(() => {
  const now = performance.now();
  // The gap between two ticks is how long logging stood still (a push, a GC, the machine).
  if (last >= 0) longestPause = Math.max(longestPause, now - last);
  last = now;
  for (let i = 0; i < perTick; i++) counted.info('L pid=%d seq=%d %s end', process.pid, seq++, SOAK_PAD);
  noise.debug('N noise after %d', seq);
}, 1);
const gc = (globalThis as { gc?: () => void }).gc;
/** Heap in use after a full GC (NaN without --expose-gc), and RSS. */
const memory = (): [number, number, number] => {
  gc?.();
  const usage = process.memoryUsage();
  return [usage.rss, gc ? usage.heapUsed : NaN, usage.heapTotal];
};
let start: [number, number, number] = [NaN, NaN, NaN];
setTimeout(() => (start = memory()), Number(env['SOAK_WARMUP_MS'] ?? 2000)).unref();

process.on('SIGTERM', () => {
  clearInterval(tick);
  const end = memory();
  process.stderr.write(
    `END ${process.pid} ${seq} ${longestPause.toFixed(1)} ${start[0]} ${end[0]} ${start[1]} ${end[1]} ${start[2]} ${end[2]}\n`,
  );
  void handle.close().then(() => process.exit(0));
});
