/**
 * A logdial process for the control benchmarks: configures a stdout handler (the harness points
 * stdout at /dev/null), starts the control endpoint with `listen({ app })`, says `ready` on fd 3,
 * then logs a line every 200 ms until stdin closes (the harness ends it that way, or by SIGTERM).
 */
import { writeSync } from 'node:fs';
import { importLogdial } from './adapters.js';
import { SEED_FORMAT } from './common.js';

const app = process.env['BENCH_APP'] ?? 'bench';
const lib = await importLogdial();
const root = lib['getLogger']();
root.setLevel('INFO');
const handler = new lib['StreamHandler']('stdout');
if (lib['Formatter']) handler.setFormatter(new lib['Formatter'](SEED_FORMAT));
root.addHandler(handler);
const log = lib['getLogger']('app.worker');
await lib['listen']({ app }).ready;
writeSync(3, `ready ${process.pid}\n`);
setInterval(() => log.info('tick'), 200);
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
