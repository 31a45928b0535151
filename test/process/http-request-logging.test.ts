/**
 * logdial/http with real servers and real requests: Express middleware, a node:http handler
 * wrapper and Fastify with a logdial logger as `loggerInstance`. Each request gets an id (a
 * plain header id is kept, anything else replaced), every record logged while serving it carries
 * the id whichever logger logs it, and one completion line says method, URL, status and duration.
 */
import assert from 'node:assert/strict';
import { type Server, createServer, request as httpRequest } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import express from 'express';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { Handler, INFO, JsonFormatter, type LogRecord, getLogger } from '../../src/index.js';
import { acceptedId, fastifyRequestContext, httpLogger, withRequestLogging } from '../../src/http/index.js';
import { waitUntil } from '../helpers/redis.js';

/** A line as the pino preset writes it: the keys these tests read, typed. */
type Line = Record<string, unknown> & {
  msg?: string;
  level?: number;
  reqId?: string;
  url?: string;
  statusCode?: number;
  responseTime?: number;
  req?: Record<string, unknown>;
  res?: { statusCode: number };
};

/** Lines as the pino preset writes them, formatted when emitted (in the caller's context). */
class Collect extends Handler {
  readonly lines: Line[] = [];
  emit(record: LogRecord): void {
    this.lines.push(JSON.parse(this.format(record)) as Line);
  }
}

let counter = 0;
/** A logger tree of its own: `<name>` collects, `<name>.db` is "some other module's" logger. */
function tree() {
  const name = `web${++counter}`;
  const logger = getLogger(name);
  logger.propagate = false;
  logger.setLevel(INFO);
  const h = new Collect();
  h.setFormatter(new JsonFormatter({ preset: 'pino' }));
  logger.addHandler(h);
  return { name, logger, db: getLogger(`${name}.db`), lines: h.lines };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

const completion = (lines: Line[]) => lines.filter((l) => typeof l['statusCode'] === 'number');

describe('Express middleware', () => {
  test('ids, context across awaits, one completion line per request with its level', async () => {
    const { name, db, lines } = tree();
    const app = express();
    app.use(httpLogger({ logger: name }));
    app.get('/orders/:id', async (req, res) => {
      db.info('loading order %s', req.params.id);
      assert.equal((req as unknown as { log: unknown }).log, getLogger(name), 'req.log, as pino-http sets it');
      await delay(5);
      setImmediate(() => db.info('after a timer'));
      await delay(5);
      res.json({ id: req.params.id });
    });
    app.get('/boom', () => {
      throw new Error('handler failed');
    });
    const base = await listen(createServer(app));

    const ok = await fetch(`${base}/orders/7?full=1`);
    assert.equal(ok.status, 200);
    const generated = ok.headers.get('x-request-id')!;
    assert.match(generated, /^[0-9a-f-]{36}$/, 'a generated id is sent back');
    const given = await fetch(`${base}/orders/8`, { headers: { 'x-request-id': 'abc-123' } });
    assert.equal(given.headers.get('x-request-id'), 'abc-123', 'a plain id from the header is kept');
    const hostile = await fetch(`${base}/orders/9`, { headers: { 'x-request-id': 'x'.repeat(500) } });
    assert.notEqual(hostile.headers.get('x-request-id'), 'x'.repeat(500), 'an overlong id is replaced');
    assert.equal((await fetch(`${base}/missing`)).status, 404);
    assert.equal((await fetch(`${base}/boom`)).status, 500);
    await waitUntil(() => completion(lines).length === 5, 10_000, 'five completion lines');

    const first = lines.filter((l) => l['reqId'] === generated);
    assert.deepEqual(
      first.map((l) => l['msg']),
      ['loading order 7', 'after a timer', `GET /orders/7?full=1 200 ${first[2]!['responseTime']}ms`],
    );
    assert.equal(first[0]!['name'], `${name}.db`, 'another module’s logger carries the id through the context');
    const done = first[2]!;
    assert.equal(done['level'], 30);
    assert.equal(done['method'], 'GET');
    assert.equal(done['url'], '/orders/7?full=1');
    assert.equal(done['statusCode'], 200);
    assert.equal(typeof done['responseTime'], 'number');
    assert.equal(lines.filter((l) => l['reqId'] === 'abc-123').length, 3);
    const levels = Object.fromEntries(completion(lines).map((l) => [String(l['url']), l['level']] as const));
    assert.deepEqual(levels, { '/orders/7?full=1': 30, '/orders/8': 30, '/orders/9': 30, '/missing': 40, '/boom': 50 });
  });

  test('a request the client abandons gets one "aborted" line', async () => {
    const { name, lines } = tree();
    const app = express();
    app.use(httpLogger({ logger: name }));
    let arrived = false;
    app.get('/slow', () => {
      arrived = true; // never answers
    });
    const base = await listen(createServer(app));
    const req = httpRequest(`${base}/slow`);
    req.on('error', () => {});
    req.end();
    await waitUntil(() => arrived, 10_000, 'the request reached the handler');
    req.destroy();
    await waitUntil(() => completion(lines).length === 1, 10_000, 'the aborted line');
    assert.match(lines[0]!['msg'] ?? '', /^request aborted: GET \/slow after [\d.]+ms$/);
    assert.equal(lines[0]!['level'], 40);
  });
});

describe('node:http wrapper', () => {
  test('withRequestLogging: id header configurable, context in the handler, completion line', async () => {
    const { logger, db, lines } = tree();
    const server = createServer(
      withRequestLogging(
        (req, res) => {
          db.warning('handling %s', req.url);
          res.statusCode = 201;
          res.end('made');
        },
        {
          logger,
          requestIdHeader: 'X-Correlation-Id',
          idKey: 'correlationId',
          level: (_req, res) => (res.statusCode === 201 ? 'debug' : INFO),
        },
      ),
    );
    const base = await listen(server);
    const res = await fetch(`${base}/things`, { method: 'POST', headers: { 'x-correlation-id': 'corr-1' } });
    assert.equal(res.headers.get('x-correlation-id'), 'corr-1');
    await waitUntil(() => lines.length === 1, 10_000, 'the handler’s line');
    logger.setLevel('DEBUG');
    await fetch(`${base}/things`, { method: 'POST', headers: { 'x-correlation-id': 'corr-2' } });
    await waitUntil(() => completion(lines).length === 1, 10_000, 'a completion line at DEBUG once DEBUG is on');
    assert.deepEqual(
      lines.map((l) => [l['correlationId'], l['msg']]),
      [
        ['corr-1', 'handling /things'],
        ['corr-2', 'handling /things'],
        ['corr-2', `POST /things 201 ${lines[2]!['responseTime']}ms`],
      ],
    );
    assert.equal(lines[2]!['level'], 20);
  });

  test('accepted ids: short and plain only', () => {
    assert.equal(acceptedId('a1.B2:c3/d4+e5=f6@g7-h8_'), 'a1.B2:c3/d4+e5=f6@g7-h8_');
    assert.equal(acceptedId(['first', 'second']), 'first');
    for (const bad of ['', 'has space', 'new\nline', '\u001b[31mred', 'x'.repeat(129), undefined])
      assert.equal(acceptedId(bad), undefined);
  });
});

describe('Fastify', () => {
  test('a logdial logger as loggerInstance: Fastify’s request lines go through logdial with its request ids', async () => {
    const { logger, db, lines } = tree();
    // Fastify's types want `level: string` and `silent()`; at run time the logger has what Fastify calls.
    const app = Fastify({ loggerInstance: logger as unknown as FastifyBaseLogger });
    fastifyRequestContext(app);
    app.get('/hello', async (request) => {
      request.log.info('from request.log');
      await delay(2);
      db.info('from another module');
      return { hi: true };
    });
    app.get('/quiet', { logLevel: 'warn' }, (request) => {
      request.log.info('hidden by the route level');
      request.log.warn('shown');
      return Promise.resolve('q');
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    after(() => app.close());
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    assert.equal((await fetch(`${base}/hello`)).status, 200);
    await fetch(`${base}/quiet`);
    await waitUntil(() => lines.some((l) => l['msg'] === 'shown'), 10_000, 'the quiet route’s line');
    await waitUntil(
      () => lines.filter((l) => l['msg'] === 'request completed').length === 1,
      10_000,
      'the first request completed',
    );
    const req1 = lines.filter((l) => l['reqId'] === 'req-1');
    assert.deepEqual(
      req1.map((l) => l['msg']),
      ['incoming request', 'from request.log', 'from another module', 'request completed'],
    );
    assert.deepEqual(req1[0]!['req'], { ...req1[0]!['req'], id: 'req-1', method: 'GET', url: '/hello' });
    assert.equal(req1[3]!['res']?.statusCode, 200);
    assert.equal(typeof req1[3]!['responseTime'], 'number');
    const req2 = lines.filter((l) => l['reqId'] === 'req-2').map((l) => l['msg']);
    assert.deepEqual(req2, ['shown'], 'a route’s logLevel is the child’s own level');
    assert.ok(!lines.some((l) => l['msg'] === 'hidden by the route level'));
  });
});
