/**
 * A bus tap's bounds without Redis: records waiting for a publish that does not complete take at
 * most `maxBuffer` bytes, the rest are dropped and counted, and the count reaches the viewer.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BusTap } from '../../src/control/bus/tap.js';
import type { TapEndFrame, TapRecordFrame } from '../../src/control/tap.js';
import { DEBUG } from '../../src/core/levels.js';
import { getLogger } from '../../src/core/logger.js';

test('a bus tap whose publishes do not complete drops beyond maxBuffer and counts the drops', async () => {
  const published: Array<Array<TapRecordFrame | TapEndFrame>> = [];
  let release: () => void = () => undefined;
  const stuck = new Promise<void>((resolve) => (release = resolve));
  let ended = 0;
  const tap = new BusTap('bustap.unit', DEBUG, 4096, {
    publish: (frames) => {
      published.push(frames);
      return stuck;
    },
    listening: () => Promise.resolve(true),
    ended: () => void ended++,
  });
  tap.start(60_000, 60_000);
  const logger = getLogger('bustap.unit');
  for (let i = 0; i < 1000; i++) logger.debug('line %d %s', i, 'x'.repeat(100));
  await new Promise((resolve) => setImmediate(resolve));
  const sent = published.flat().filter((f) => f.tap === 'record').length;
  assert.ok(sent > 0 && sent < 100, `records held: ${sent}`);
  assert.equal(tap.dropped, 1000 - sent);
  release();
  await stuck;
  await new Promise((resolve) => setImmediate(resolve));
  logger.debug('after');
  await new Promise((resolve) => setImmediate(resolve));
  const last = published.at(-1)?.at(-1);
  assert.equal(last?.tap === 'record' && last.dropped, 1000 - sent, 'the count rides on later records');
  tap.end('expired');
  assert.equal(ended, 1);
  const end = published.at(-1)?.at(-1);
  assert.deepEqual(end, { tap: 'end', reason: 'expired', dropped: 1000 - sent });
  assert.equal(tap.active, false);
});
