/** MemoryHandler (capacity, flushLevel, target, flushOnClose, caller need) and NullHandler. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Handler, LogRecord, MemoryHandler, NullHandler, type RecordFormatter } from '../../src/index.js';
import { isolatedLogger } from '../helpers/logger.js';

class Collect extends Handler {
  readonly lines: string[] = [];
  emit(record: LogRecord): void {
    this.lines.push(`${record.levelname}:${record.getMessage()}`);
  }
}

test('MemoryHandler flushes to its target when full or at flushLevel, in order', () => {
  const target = new Collect();
  const memory = new MemoryHandler(3, { target });
  const log = isolatedLogger('memory', memory);
  log.info('a');
  log.info('b');
  assert.deepEqual(target.lines, []);
  log.info('c'); // the buffer reached capacity
  assert.deepEqual(target.lines, ['INFO:a', 'INFO:b', 'INFO:c']);
  log.debug('d');
  log.error('e'); // flushLevel ERROR
  assert.deepEqual(target.lines.slice(3), ['DEBUG:d', 'ERROR:e']);
  assert.equal(memory.target, 'memory -> Collect');
});

test('MemoryHandler close flushes when flushOnClose (default), and drops with flushOnClose false', () => {
  const t1 = new Collect();
  const m1 = new MemoryHandler(10, { target: t1, flushLevel: 'CRITICAL' });
  const log1 = isolatedLogger('memory', m1);
  log1.error('kept');
  m1.close();
  assert.deepEqual(t1.lines, ['ERROR:kept']);
  assert.equal(m1.targetHandler, null);

  const t2 = new Collect();
  const m2 = new MemoryHandler(10, { target: t2, flushOnClose: false });
  isolatedLogger('memory', m2).info('lost');
  m2.close();
  assert.deepEqual(t2.lines, []);
});

test('MemoryHandler without a target keeps only the newest `capacity` records; setTarget later delivers them', () => {
  const memory = new MemoryHandler(2);
  const log = isolatedLogger('memory', memory);
  for (const m of ['1', '2', '3', '4']) log.info(m);
  assert.equal(memory.buffer.length, 2);
  assert.equal(memory.target, 'memory');
  const target = new Collect();
  memory.setTarget(target);
  memory.flush();
  assert.deepEqual(target.lines, ['INFO:3', 'INFO:4']);
});

test("MemoryHandler.usesCaller reflects its target's formatter, and caller fields reach the target", () => {
  const target = new Collect();
  const callerFormatter: RecordFormatter = {
    usesCaller: true,
    format: (record) => `${record.funcName}:${record.getMessage()}`,
  };
  const memory = new MemoryHandler(1, { target: null });
  assert.equal(memory.usesCaller, false);
  target.setFormatter(callerFormatter);
  memory.setTarget(target);
  assert.equal(memory.usesCaller, true);
  const seen: string[] = [];
  const formatted = new (class extends Handler {
    emit(record: LogRecord): void {
      seen.push(this.format(record));
    }
  })();
  formatted.setFormatter(callerFormatter);
  const m2 = new MemoryHandler(1, { target: formatted });
  const log = isolatedLogger('memory', m2);
  function namedCaller(): void {
    log.info('hi');
  }
  namedCaller();
  assert.deepEqual(seen, ['namedCaller:hi']);
});

test("MemoryHandler applies the target's filters but not its level (Python's target.handle)", () => {
  const target = new Collect();
  target.setLevel('ERROR');
  target.addFilter((record: LogRecord) => record.getMessage() !== 'skip');
  const memory = new MemoryHandler(1, { target });
  const log = isolatedLogger('memory', memory);
  log.info('shown');
  log.info('skip');
  assert.deepEqual(target.lines, ['INFO:shown']);
});

test('NullHandler accepts records and writes nothing', () => {
  const handler = new NullHandler();
  assert.equal(handler.target, undefined);
  const log = isolatedLogger('memory', handler);
  log.critical('nothing');
  assert.equal(handler.handle(new LogRecord('x', 50, 'y', [])), true);
  handler.close();
});
