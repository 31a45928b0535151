/**
 * A process hosting many control endpoints, for the client fan-out benchmark at 1,000 endpoints:
 * like control-target.ts (a stdout handler, a line every 200 ms), but with `BENCH_ENDPOINTS`
 * endpoints, each its own Unix socket and manifest in the runtime directory. Every endpoint
 * carries out the commands it gets on this one process's loggers. What this measures is the
 * client side (discovery, one connection per endpoint, every acknowledgement), not 1,000
 * processes being scheduled. Says `ready` on fd 3 once every endpoint is bound.
 */
import { writeSync } from 'node:fs';
import { ControlServer } from '../src/control/control-server.js';
import { seedLoggerListening } from './adapters.js';

const app = process.env['BENCH_APP'] ?? 'bench';
const endpoints = Math.max(1, Number(process.env['BENCH_ENDPOINTS'] ?? 1));
// Each endpoint removes its socket at exit: that is one `exit` listener per endpoint.
process.setMaxListeners(0);
const log = await seedLoggerListening('app.worker', app);
const extra = Array.from({ length: endpoints - 1 }, () => new ControlServer({ app }, 'additional'));
await Promise.all(extra.map((server) => server.start()));
writeSync(3, `ready ${process.pid}\n`);
setInterval(() => log.info('tick'), 200);
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
