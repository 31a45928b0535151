/**
 * applyFull's steps: preparing (check destinations, build, plan) touches no live logger and can be
 * discarded; the swap is one synchronous commit; a failing build changes nothing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getLogger } from '../../src/core/logger.js';
import { applySpec, prepareSpecInSlices } from '../../src/config/apply.js';
import { parseDictConfig } from '../../src/config/dict-config.js';
import { MemoryHandler } from '../../src/handlers/memory.js';

function spec(prefix: string, level: string) {
  const loggers: Record<string, unknown> = {};
  for (let i = 0; i < 300; i++) loggers[`${prefix}.m${i}`] = { level, handlers: ['mem'] };
  return parseDictConfig({
    version: 1,
    handlers: { mem: { class: 'logging.handlers.MemoryHandler', capacity: 10 } },
    loggers,
  });
}

test('a prepared configuration touches no live logger until it is committed', async () => {
  applySpec(spec('steps.a', 'INFO'));
  const logger = getLogger('steps.a.m7');
  const before = [...logger.handlers];
  const prepared = await prepareSpecInSlices(spec('steps.a', 'DEBUG'));
  assert.equal(logger.level, 20);
  assert.deepEqual([...logger.handlers], before);
  prepared.commit();
  assert.equal(logger.level, 10);
  assert.notDeepEqual([...logger.handlers], before);
  assert.ok(logger.handlers[0] instanceof MemoryHandler);
});

test('a discarded preparation closes what it built and changes nothing', async () => {
  applySpec(spec('steps.b', 'INFO'));
  const logger = getLogger('steps.b.m0');
  const before = [...logger.handlers];
  const prepared = await prepareSpecInSlices(spec('steps.b', 'ERROR'));
  prepared.discard();
  assert.equal(logger.level, 20);
  assert.deepEqual([...logger.handlers], before);
  assert.throws(() => prepared.commit(), /once/);
});

test('a destination the allow-list refuses rejects the preparation before anything is built', async () => {
  const fileSpec = parseDictConfig({
    version: 1,
    handlers: { f: { class: 'logging.FileHandler', filename: '/nonexistent-dir/x.log', delay: true } },
    loggers: { 'steps.c': { handlers: ['f'] } },
  });
  await assert.rejects(
    prepareSpecInSlices(fileSpec, {
      allowPath: () => {
        throw new Error('not allowed');
      },
    }),
    /handler 'f' may not write to .*x\.log: not allowed/,
  );
  assert.equal(getLogger('steps.c').handlers.length, 0);
});
