/**
 * The swap of a push is one short synchronous step: every level change in it is refreshed in one
 * walk at its end (`batchLevelChanges`), and the reply, whose object is built at the next turn of
 * the event loop, still states the levels right after the swap.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEBUG, ERROR, INFO, NOTSET, WARNING } from '../../src/core/levels.js';
import { onLevelChange } from '../../src/core/level-events.js';
import { batchLevelChanges, getLogger } from '../../src/core/logger.js';
import { executeCommand } from '../../src/index.js';

test('level changes in a batch take effect together at its end, with one notification', () => {
  const parent = getLogger('batchtest.parent');
  const child = getLogger('batchtest.parent.child');
  const grandchild = getLogger('batchtest.parent.child.leaf');
  const own = getLogger('batchtest.parent.own');
  parent.setLevel(WARNING);
  own.setLevel(ERROR);
  let notified = 0;
  const stop = onLevelChange(() => notified++);
  try {
    batchLevelChanges(() => {
      parent.setLevel(DEBUG);
      child.setLevel(INFO);
      child.setLevel(NOTSET);
      // Not refreshed yet: the cached thresholds still say WARNING.
      assert.equal(grandchild.isEnabledFor(INFO), false);
      batchLevelChanges(() => own.setLevel(NOTSET)); // a nested batch joins the outer one
      assert.equal(own.isEnabledFor(WARNING), false);
    });
    assert.equal(notified, 1);
    for (const logger of [parent, child, grandchild, own]) {
      assert.equal(logger.isEnabledFor(DEBUG), true, logger.name);
      assert.equal(
        logger.debug === (Object.getPrototypeOf(logger) as { debug: unknown }).debug,
        true,
        `${logger.name}'s debug is live`,
      );
    }
  } finally {
    stop();
  }
});

test('a batch whose change throws still refreshes what it changed', () => {
  const logger = getLogger('batchtest.throws');
  logger.setLevel(ERROR);
  assert.throws(() =>
    batchLevelChanges(() => {
      logger.setLevel(DEBUG);
      throw new Error('boom');
    }),
  );
  assert.equal(logger.isEnabledFor(DEBUG), true);
});

test("an apply's reply states the levels right after its swap, though built at the next turn", async () => {
  const name = 'swaptest.reply';
  const config = JSON.stringify({
    version: 1,
    disable_existing_loggers: false,
    loggers: { [name]: { level: 'DEBUG' } },
  });
  // As soon as the swap has given the logger DEBUG, something else changes it again.
  const stop = onLevelChange(() => {
    if (getLogger(name).level === DEBUG) queueMicrotask(() => getLogger(name).setLevel(ERROR));
  });
  try {
    const reply = await executeCommand({ op: 'apply', config, format: 'json', source: 'test' }, { via: 'unix' });
    assert.equal(reply.ok, true, JSON.stringify(reply));
    assert.equal(reply.levels?.[name], 'DEBUG');
    assert.equal(getLogger(name).level, ERROR);
    const names = Object.keys(reply.levels ?? {});
    assert.deepEqual(names, ['root', ...names.filter((n) => n !== 'root').sort()], 'root, then by name');
  } finally {
    stop();
  }
});
