/**
 * A control `set` naming many loggers refreshes the logger tree once for the whole command (one
 * level-change notification), with or without a ttl, and every named logger has its level after.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { onLevelChange } from '../../src/core/level-events.js';
import { DEBUG, ERROR } from '../../src/core/levels.js';
import { getLogger } from '../../src/core/logger.js';
import { executeCommand } from '../../src/control/operations.js';

function namesUnder(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}.svc${i % 5}.mod${i}`);
}

test('set of 50 loggers notifies level listeners once, permanent or with a ttl', async () => {
  for (const [prefix, ttl] of [
    ['setbatch.permanent', undefined],
    ['setbatch.temporary', 60_000],
  ] as const) {
    const names = namesUnder(prefix, 50);
    let notified = 0;
    const stop = onLevelChange(() => notified++);
    try {
      const levels = Object.fromEntries(names.map((n) => [n, 'DEBUG']));
      const cmd = { op: 'set' as const, levels, create: true, ...(ttl ? { ttl } : {}) };
      const reply = await executeCommand(cmd, { via: 'unix' });
      assert.equal(reply.ok, true, JSON.stringify(reply.error));
      assert.equal(notified, 1, `${prefix}: one refresh for the whole command`);
      for (const name of names) assert.equal(getLogger(name).getEffectiveLevel(), DEBUG);
    } finally {
      stop();
      if (ttl) await executeCommand({ op: 'revert' }, { via: 'unix' });
    }
  }
  // A parent's change leaves the children with their own level as they are.
  const reply = await executeCommand(
    { op: 'set', levels: { 'setbatch.permanent': 'ERROR' }, create: true },
    { via: 'unix' },
  );
  assert.equal(reply.ok, true);
  assert.equal(getLogger('setbatch.permanent.svc0.mod0').getEffectiveLevel(), DEBUG);
  assert.equal(getLogger('setbatch.permanent').level, ERROR);
});
