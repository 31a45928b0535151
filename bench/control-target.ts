/**
 * A logdial process for the control benchmarks: configures a stdout handler (the harness points
 * stdout at /dev/null), starts the control endpoint with `listen({ app })`, says `ready` on fd 3,
 * then logs a line every 200 ms until stdin closes (the harness ends it that way, or by SIGTERM).
 */
import { writeSync } from 'node:fs';
import { seedLoggerListening } from './adapters.js';

const log = await seedLoggerListening('app.worker', process.env['BENCH_APP'] ?? 'bench');
writeSync(3, `ready ${process.pid}\n`);
setInterval(() => log.info('tick'), 200);
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
