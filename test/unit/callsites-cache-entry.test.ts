/**
 * What a cache entry of `logdial/callsites` must be to be used (cache.ts): every span inside the
 * source and in order, a known method, a count the marks can carry. Anything else is a miss.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cacheDirectory, checkedPlan } from '../../src/callsites/cache.js';
import { planCallSites } from '../../src/callsites/transform.js';

const SOURCE = "log.info('a %d', 1);\nother.warning('b');\n";

test('a plan read back as JSON is accepted for the source it was made from', () => {
  const plan = planCallSites(SOURCE, 'module');
  assert.equal(plan.length, 2);
  const tuples = JSON.parse(
    JSON.stringify(plan.map((s) => [s.receiverStart, s.receiverEnd, s.lastStart, s.lastEnd, s.method, s.count])),
  ) as unknown;
  assert.deepEqual(checkedPlan(tuples, SOURCE), plan);
  assert.deepEqual(checkedPlan([], SOURCE), []);
});

test('spans outside the source or out of order, unknown methods and bad counts are refused', () => {
  const good = [0, 3, 14, 15, 'info', 2];
  const bad: unknown[] = [
    [0, 3, 14, 999, 'info', 2], // past the end
    [3, 3, 14, 15, 'info', 2], // empty receiver
    [0, 15, 14, 15, 'info', 2], // receiver after the argument
    [-1, 3, 14, 15, 'info', 2],
    [0.5, 3, 14, 15, 'info', 2],
    [0, 3, 14, 15, 'toString', 2], // not a marked method
    [0, 3, 14, 15, 'warning', 2], // a method not between receiver and argument
    [0, 3, 14, 15, 'info', 0],
    [0, 3, 14, 15, 'info', 16],
    [0, 3, 14, 15, 'info'],
    'x',
  ];
  assert.ok(checkedPlan([good], SOURCE));
  for (const item of bad) assert.equal(checkedPlan([item], SOURCE), undefined, JSON.stringify(item));
  assert.equal(checkedPlan({ length: 0 }, SOURCE), undefined);
});

test('the cache directory follows LOGDIAL_CALLSITES_CACHE, then XDG_CACHE_HOME; off turns it off', () => {
  assert.equal(cacheDirectory({ LOGDIAL_CALLSITES_CACHE: '/tmp/c' }), '/tmp/c');
  assert.equal(cacheDirectory({ LOGDIAL_CALLSITES_CACHE: 'off' }), null);
  assert.equal(cacheDirectory({ XDG_CACHE_HOME: '/x' }), '/x/logdial/callsites');
});
