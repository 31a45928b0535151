/**
 * `fastifyLogger` with the real Fastify: this file is type-checked against Fastify's own types
 * (no cast: a logdial logger view is a `FastifyBaseLogger`), and a real server logs its request
 * lines through it with its request ids; a route's `logLevel`, `silent` included, is the level of
 * that route's child; `level` reads and sets pino names; caller fields name the caller's code.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { Formatter, Handler, INFO, JsonFormatter, type LogRecord, getLogger } from '../../src/index.js';
import { fastifyLogger, fastifyRequestContext, levelFromPino, pinoLevelName } from '../../src/http/index.js';
import { waitUntil } from '../helpers/redis.js';

class Collect extends Handler {
  readonly lines: Array<Record<string, unknown>> = [];
  emit(record: LogRecord): void {
    this.lines.push(JSON.parse(this.format(record)) as Record<string, unknown>);
  }
}

test('the view is a FastifyBaseLogger for the type checker, its children too', () => {
  const view: FastifyBaseLogger = fastifyLogger('fastify.types');
  const child: FastifyBaseLogger = view.child({ reqId: 'r1' }, { level: 'warn' });
  view.silent('nothing');
  assert.equal(child.level, 'warn');
  assert.equal(typeof view.level, 'string');
});

test('level reads and sets pino names; silent is above every level', () => {
  const logger = getLogger('fastify.levels');
  const view = fastifyLogger(logger);
  view.level = 'debug';
  assert.equal(logger.level, 10);
  assert.equal(view.level, 'debug');
  view.level = 'warn';
  assert.equal(view.level, 'warn');
  view.level = 'silent';
  assert.equal(view.level, 'silent');
  assert.deepEqual([5, 10, 20, 30, 40, 50, 60].map(pinoLevelName), [
    'trace',
    'debug',
    'info',
    'warn',
    'error',
    'fatal',
    'silent',
  ]);
  assert.equal(levelFromPino('FATAL'), 50);
  assert.throws(() => levelFromPino('loud'), /Unknown level: 'loud'/);
  assert.throws(() => fastifyLogger({} as never), /a logdial Logger/);
});

test('a real Fastify server logs through the view with its request ids and route levels', async () => {
  const logger = getLogger('fastify.app');
  logger.propagate = false;
  logger.setLevel(INFO);
  const json = new Collect();
  json.setFormatter(new JsonFormatter({ preset: 'pino' }));
  logger.addHandler(json);
  const text = new Collect();
  text.setFormatter(new Formatter('{"where": "%(filename)s"}'));
  logger.addHandler(text);
  const app = Fastify({ loggerInstance: fastifyLogger(logger) });
  fastifyRequestContext(app);
  app.get('/hello', (request, reply) => {
    request.log.info('from request.log');
    void reply.send({ hi: true });
  });
  app.get('/quiet', { logLevel: 'silent' }, (request, reply) => {
    request.log.error('hidden by the silent route');
    void reply.send('q');
  });
  app.get('/warn', { logLevel: 'warn' }, (request, reply) => {
    request.log.info('hidden by the route level');
    request.log.warn('shown');
    void reply.send('w');
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  after(() => app.close());
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  assert.equal((await fetch(`${base}/hello`)).status, 200);
  assert.equal((await fetch(`${base}/quiet`)).status, 200);
  assert.equal((await fetch(`${base}/warn`)).status, 200);
  const lines = json.lines;
  await waitUntil(() => lines.some((l) => l['msg'] === 'shown'), 10_000, 'the warn route’s line');
  await waitUntil(
    () => lines.filter((l) => l['msg'] === 'request completed').length >= 1,
    10_000,
    'the first request completed',
  );
  const first = lines.filter((l) => l['reqId'] === 'req-1');
  assert.deepEqual(
    first.map((l) => l['msg']),
    ['incoming request', 'from request.log', 'request completed'],
  );
  assert.ok(!lines.some((l) => l['reqId'] === 'req-2'), 'nothing from the silent route');
  assert.deepEqual(
    lines.filter((l) => l['reqId'] === 'req-3').map((l) => l['msg']),
    ['shown'],
  );
  const index = lines.findIndex((l) => l['msg'] === 'from request.log');
  assert.match(String(text.lines[index]?.['where']), /^http-fastify-logger\.test\.js$/, 'caller fields name this file');
});
