/**
 * A child's bindings and a context scope's fields are copies taken when the child is made or the
 * scope entered: a later change to the caller's object never reaches the records, and what
 * `child.bindings` and `getContext()` hand out is frozen.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Handler, INFO, type LogRecord, getContext, getLogger, withContext } from '../../src/index.js';

class Keep extends Handler {
  readonly records: LogRecord[] = [];
  emit(record: LogRecord): void {
    this.records.push(record);
  }
}

function isolated(name: string) {
  const logger = getLogger(name);
  logger.propagate = false;
  logger.setLevel(INFO);
  const keep = new Keep();
  logger.addHandler(keep);
  return { logger, keep };
}

test('a child’s bindings are copied at creation and frozen when read', () => {
  const { logger, keep } = isolated('copies.child');
  const source: Record<string, unknown> = { reqId: 'r1' };
  const child = logger.child(source);
  source['reqId'] = 'changed';
  child.info('x');
  assert.deepEqual({ ...keep.records[0]!.fields }, { reqId: 'r1' });
  assert.ok(Object.isFrozen(child.bindings));
  assert.equal(child.bindings, child.bindings, 'the same object each time');
  child.info('y');
  assert.deepEqual({ ...keep.records[1]!.fields }, { reqId: 'r1' });
});

test('a context scope’s fields are copied on entry; getContext() hands them out frozen', () => {
  const { logger, keep } = isolated('copies.context');
  const source: Record<string, unknown> = { reqId: 'c1' };
  withContext(source, () => {
    source['reqId'] = 'changed';
    logger.info('x');
    const seen = getContext();
    assert.deepEqual(seen, { reqId: 'c1' });
    assert.ok(Object.isFrozen(seen));
    withContext({ step: 2 }, () => assert.deepEqual(getContext(), { reqId: 'c1', step: 2 }));
  });
  assert.deepEqual({ ...keep.records[0]!.fields }, { reqId: 'c1' });
  assert.equal(getContext(), undefined);
});
