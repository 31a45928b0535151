// The history is a ring of bytes and tables: what it returns must be exactly the newest lines
// pushed, within its byte budget, whatever the line sizes and characters; counts and per-second
// rates follow lines in and out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LevelRates } from '../../src/viewer/analytics.js';
import { FilterSet } from '../../src/viewer/filters.js';
import { LineStore, META_BYTES } from '../../src/viewer/line-store.js';

test('the ring keeps exactly the newest lines, in order and intact, within its budget', () => {
  const budget = 64 * 1024;
  const filters = new FilterSet();
  filters.add('in', 'keep');
  const store = new LineStore(budget, filters);
  const pushed: string[] = [];
  let seed = 3;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  for (let i = 0; i < 20_000; i++) {
    const size = next() % 17 === 0 ? 4000 + (next() % 8000) : next() % 120;
    const text = [...`${i} ${i % 3 === 0 ? 'keep ' : ''}${'é日🙂x'.repeat(size / 4)}`].slice(0, size + 8).join('');
    pushed.push(i % 50 === 0 ? '' : text);
    store.push(pushed[i]!, 0, i % 2 ? 'err' : 'out', i % 3);
    assert.ok(store.bytes <= budget, `${store.bytes} bytes after line ${i}`);
  }
  assert.equal(store.size + store.dropped, pushed.length);
  assert.ok(store.size > 10 && store.dropped > 0);
  for (let seq = store.dropped; seq < pushed.length; seq++) {
    const line = store.bySeq(seq)!;
    assert.equal(line.raw, pushed[seq], `line ${seq}`);
    assert.equal(line.stream, seq % 2 ? 'err' : 'out');
    assert.equal(line.source, seq % 3);
  }
  assert.equal(store.bySeq(store.dropped - 1), undefined, 'a dropped line is gone');
  const shown = [...store.shown()].map((l) => l.raw);
  assert.deepEqual(
    shown,
    pushed.slice(store.dropped).filter((t) => t.includes('keep')),
  );
  assert.ok(META_BYTES * store.size < budget);
});

test('counts follow lines in and out of the history; rates are per level per second', () => {
  const store = new LineStore(16 * 1024, new FilterSet());
  for (let i = 0; i < 5000; i++) store.push(i % 10 === 0 ? `x ERROR ${i}` : `x INFO ${i}`, 0, 'out', 0);
  const counts = Object.fromEntries(store.counts.top('level', 5));
  assert.equal((counts['ERROR'] ?? 0) + (counts['INFO'] ?? 0), store.size);
  assert.ok(Math.abs((counts['ERROR'] ?? 0) - store.size / 10) <= 1);

  const rates = new LevelRates();
  const t0 = 1_000_000_000_000;
  for (let s = 0; s < 8; s++) {
    for (let i = 0; i < 100; i++) rates.add('INFO', t0 + s * 1000 + i);
    for (let i = 0; i < 10 * s; i++) rates.add('ERROR', t0 + s * 1000 + i);
  }
  // The last 5 whole seconds before second 8 are 3..7: INFO 100 each, ERROR 30..70.
  assert.deepEqual(rates.perSecond(t0 + 8000 + 10), [
    ['INFO', 100],
    ['ERROR', 50],
  ]);
});
