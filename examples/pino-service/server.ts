/**
 * A small HTTP service that logs with pino and is dialled with `logdial`:
 *
 *   node dist/examples/pino-service/server.js          # listens on PORT (default 3000)
 *   logdial set shop.db=debug --for 1m --app shop       # in another terminal
 *
 * The three lines marked "logdial" are all the setup: the rest is an ordinary pino service. In your
 * own project, import from 'logdial' and 'logdial/pino' instead of the relative paths below.
 */
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { PinoLike } from '../../src/adapters/pino.js';
import { listen } from '../../src/index.js'; // logdial
import { attach } from '../../src/adapters/pino.js'; // logdial

const pino = createRequire(import.meta.url)('pino') as (options: object) => PinoLike & Log;

interface Log {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): Log;
}

const log = attach(pino({ name: 'shop', level: 'info' })) as unknown as Log; // logdial: the one change to the logger
const db = log.child({ module: 'db' });
const control = listen({ app: 'shop' });

/** A pretend query: what the debug lines of `shop.db` are for. */
function findOrder(id: string): { id: string; total: number } {
  db.debug({ sql: 'SELECT * FROM orders WHERE id = $1', id }, 'query');
  return { id, total: id.length * 10 };
}

const server = createServer((req, res) => {
  // A child per request (released when the request is done), bound with its own module name.
  const reqLog = log.child({ module: 'http', method: req.method, url: req.url });
  reqLog.debug('request received');
  const match = /^\/orders\/(\w+)$/.exec(req.url ?? '');
  if (!match) {
    res.writeHead(404).end('not found\n');
    reqLog.info({ status: 404 }, 'request done');
    return;
  }
  const order = findOrder(match[1]!);
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(order) + '\n');
  reqLog.info({ status: 200 }, 'request done');
});

const port = Number(process.env['PORT'] ?? 3000);
server.listen(port, '127.0.0.1', () => log.info({ port }, 'listening'));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close();
    void control.close().then(() => process.exit(0));
  });
}
