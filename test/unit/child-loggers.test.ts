import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  BoundLogger,
  CRITICAL,
  DEBUG,
  Formatter,
  INFO,
  JsonFormatter,
  LoggerAdapter,
  NOTSET,
  TRACE,
  WARNING,
  executeCommand,
  getLoggers,
} from '../../src/index.js';
import { CollectingHandler, isolatedLogger } from '../helpers/logger.js';

/** A fresh logger that keeps its records to itself, with a collecting handler using `fmt`. */
function isolated(fmt = '%(levelname)s %(message)s', level = INFO) {
  const h = new CollectingHandler();
  h.setFormatter(new Formatter(fmt));
  return { logger: isolatedLogger('child', h, level), h };
}

test('a child carries its bindings as record attributes: %(reqId)s in text, keys in JSON', () => {
  const { logger, h } = isolated('%(reqId)s %(name)s %(message)s');
  const log = logger.child({ reqId: 'r-1' });
  log.info('hello %s', 'there');
  assert.deepEqual(h.lines(), [`r-1 ${logger.name} hello there`]);
  h.setFormatter(new JsonFormatter());
  log.warning('json');
  const line = JSON.parse(h.lines()[1]!) as { reqId?: string; message?: string };
  assert.equal(line.reqId, 'r-1');
  assert.equal(line.message, 'json');
  assert.deepEqual(h.records[1]!.bindings, { reqId: 'r-1' });
});

test('children of children merge; per-call fields win over bindings; bindings are copied at creation', () => {
  const { logger, h } = isolated();
  const source = { a: 1, b: 1 };
  const c1 = logger.child(source);
  source.a = 99;
  const c2 = c1.child({ b: 2, c: 2 });
  c2.info({ c: 3, d: 3 }, 'x');
  c1.info('y');
  assert.deepEqual({ ...h.records[0]!.fields }, { a: 1, b: 2, c: 3, d: 3 });
  assert.deepEqual({ ...h.records[1]!.fields }, { a: 1, b: 1 });
  assert.deepEqual(c2.bindings, { a: 1, b: 2, c: 2 });
  assert.ok(Object.isFrozen(c2.bindings));
  c2.logWith(INFO, { fields: { a: 'call' } }, 'z');
  assert.equal(h.records[2]!.fields!['a'], 'call');
});

test('a child follows its logger: level changes, live `set` and handlers reach every child', async () => {
  const { logger, h } = isolated();
  const child = logger.child({ k: 'v' }).child({ k2: 'v2' });
  child.debug('hidden');
  assert.equal(h.records.length, 0);
  assert.equal(child.isEnabledFor(DEBUG), false);
  const reply = await executeCommand(
    { op: 'set', levels: { [logger.name]: 'debug' } },
    { via: 'unix', pid: process.pid, user: 'test', host: 'here' },
  );
  assert.equal(reply.ok, true, JSON.stringify(reply));
  child.debug('shown');
  assert.equal(child.isEnabledFor('debug'), true);
  assert.equal(child.getEffectiveLevel(), DEBUG);
  assert.deepEqual(h.lines(), ['DEBUG shown']);
  logger.setLevel(INFO);
  child.debug('hidden again');
  assert.equal(h.records.length, 1);
  const extra = new CollectingHandler();
  logger.addHandler(extra);
  child.error('both');
  assert.equal(extra.records.length, 1);
  assert.equal(h.records.length, 2);
});

test('a child is not registered: creating many leaves the logger list unchanged', () => {
  const { logger } = isolated();
  const before = getLoggers().length;
  for (let i = 0; i < 1000; i++) logger.child({ i }).child({ j: i });
  assert.equal(getLoggers().length, before);
  assert.equal(logger.child({}).name, logger.name);
});

test('child(bindings, { level }) gives a child its own level, in any case; the logger is untouched', () => {
  const { logger, h } = isolated();
  const loud = logger.child({ route: '/x' }, { level: 'debug' });
  const grandchild = loud.child({ more: 1 });
  loud.debug('own level');
  grandchild.debug('inherited own level');
  logger.debug('still hidden');
  assert.equal(loud.level, DEBUG);
  assert.equal(logger.level, INFO);
  assert.deepEqual(h.lines(), ['DEBUG own level', 'DEBUG inherited own level']);
  loud.setLevel(NOTSET);
  loud.debug('follows the logger again');
  assert.equal(h.records.length, 2);
  logger.disabled = true;
  grandchild.error('disabled logger');
  assert.equal(h.records.length, 2);
  logger.disabled = false;
});

test('trace() logs at TRACE (5) and fatal() at CRITICAL, on loggers and children', () => {
  const { logger, h } = isolated('%(levelname)s %(levelno)d %(message)s', TRACE);
  logger.trace('t1');
  logger.child({}).trace('t2');
  logger.fatal('f1');
  logger.child({}).fatal('f2');
  assert.deepEqual(h.lines(), ['TRACE 5 t1', 'TRACE 5 t2', 'CRITICAL 50 f1', 'CRITICAL 50 f2']);
  logger.setLevel('debug');
  logger.trace('hidden');
  logger.child({}).trace('hidden');
  assert.equal(h.records.length, 4);
  assert.equal(CRITICAL, 50);
});

test('a child has the method surface Fastify checks for a loggerInstance, and its own child()', () => {
  const { logger } = isolated();
  for (const target of [logger, logger.child({ a: 1 })]) {
    for (const method of [
      'info',
      'error',
      'debug',
      'fatal',
      'warn',
      'trace',
      'child',
      'warning',
      'critical',
      'exception',
      'log',
      'isEnabledFor',
    ]) {
      assert.equal(typeof (target as unknown as Record<string, unknown>)[method], 'function', method);
    }
  }
  assert.ok(logger.child({ reqId: 1 }, { level: 'info' }).child({ more: 2 }) instanceof BoundLogger);
});

test('exception() and log() through a child keep the error and the bindings', () => {
  const { logger, h } = isolated('%(reqId)s %(levelname)s %(message)s');
  const child = logger.child({ reqId: 'r9' });
  child.exception(new Error('boom'), 'while %s', 'saving');
  child.log('warning', 'by name');
  child.log(WARNING, { reqId: 'call wins' }, 'by number');
  assert.deepEqual(
    h.lines().map((l) => l.split('\n')[0]),
    ['r9 ERROR while saving', 'r9 WARNING by name', 'call wins WARNING by number'],
  );
  assert.match(h.lines()[0]!, /Error: boom\n\s+at /);
});

test("LoggerAdapter(logger, extra) is Python's spelling: extra on every record, setLevel acts on the logger", () => {
  const { logger, h } = isolated('%(user)s %(message)s');
  const adapter = new LoggerAdapter(logger, { user: 'alice' });
  adapter.info('hi');
  assert.deepEqual(h.lines(), ['alice hi']);
  assert.deepEqual(adapter.extra, { user: 'alice' });
  adapter.setLevel('WARNING');
  assert.equal(logger.level, WARNING);
  adapter.info('hidden');
  assert.equal(h.records.length, 1);
});

test('caller fields of a call through a child name the caller', () => {
  const { logger, h } = isolated('%(filename)s %(funcName)s %(message)s');
  function handler(): void {
    logger.child({ a: 1 }).info('from a child');
  }
  handler();
  assert.deepEqual(h.lines(), ['child-loggers.test.js handler from a child']);
});
