// Pure decisions of the viewer's `:` commands and filters, without a terminal.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseClock, parseLevels } from '../../src/viewer/interactive.js';
import { writtenAt } from '../../src/viewer/line-time.js';
import { FilterSet, lineLevel } from '../../src/viewer/filters.js';
import { splitKeys } from '../../src/viewer/keys.js';
import { candidateRegex, LineSplitter } from '../../src/viewer/splitter.js';

test(':set takes LOGGER=LEVEL pairs (a bare level is the root) and refuses unknown levels before sending', () => {
  assert.deepEqual(parseLevels(['app.db=debug', 'root=INFO']), { 'app.db': 'DEBUG', '': 'INFO' });
  assert.deepEqual(parseLevels(['WARNING']), { '': 'WARNING' });
  assert.throws(() => parseLevels(['app.db=LOUD']), /unknown level 'LOUD'/);
  assert.throws(() => parseLevels([]), /usage: :set/);
});

test(":goto takes today's HH:MM[:SS] or an ISO date-time", () => {
  const now = new Date(2026, 11, 1, 15, 0, 0);
  assert.equal(parseClock('12:30', now), new Date(2026, 11, 1, 12, 30, 0).getTime());
  assert.equal(parseClock('12:30:15', now), new Date(2026, 11, 1, 12, 30, 15).getTime());
  assert.equal(parseClock('2026-12-01T10:00:00Z', now), Date.UTC(2026, 11, 1, 10));
  assert.throws(() => parseClock('noon', now), /expected HH:MM/);
});

test('keys arriving in one read are each handled, escape sequences whole', () => {
  assert.deepEqual(splitKeys('/x'), ['/', 'x']);
  assert.deepEqual(splitKeys('pq'), ['p', 'q']);
  assert.deepEqual(splitKeys('p\x1b'), ['p', '\x1b']);
  assert.deepEqual(splitKeys('\x1b[5~\x1b[Aq'), ['\x1b[5~', '\x1b[A', 'q']);
  assert.deepEqual(splitKeys('日😀'), ['日', '😀']);
});

test('filters: includes (any), excludes (none), level, and a clear error for an invalid regex that changes nothing', () => {
  const filters = new FilterSet();
  filters.add('in', 'db');
  filters.add('in', 'http');
  filters.add('out', 'health');
  const line = (plain: string) => ({ plain, level: lineLevel(plain), stream: 'out' as const });
  assert.ok(filters.test(line('INFO db up')));
  assert.ok(filters.test(line('INFO http up')));
  assert.ok(!filters.test(line('INFO http health')));
  assert.ok(!filters.test(line('INFO cache up')));
  assert.throws(() => filters.add('in', 'Process #[2'), /invalid regular expression/);
  assert.equal(filters.includes.length, 2);
  filters.minLevel = 30;
  assert.ok(!filters.test(line('INFO db up')));
  assert.ok(filters.test(line('ERROR db down')));
  assert.match(filters.describe(), /^\+\/db\/ \+\/http\/ -\/health\/ level≥WARNING$/);
  filters.clear();
  assert.equal(filters.describe(), 'No filter applied');
});

test('the block search of pipe mode finds exactly the lines a per-line filter finds', () => {
  const text =
    Array.from({ length: 3000 }, (_, i) => `line ${i} ${i % 7 === 0 ? 'ERROR' : 'ok'}${i % 11 === 0 ? ' ' : ''}`).join(
      '\n',
    ) + '\n';
  for (const source of ['ERROR', '^line 1', ' $', 'ok\\s', '\\d{3} ok$', 'e[^x]*9', '']) {
    const candidates = candidateRegex([source], false);
    const regex = new RegExp(source, 'i');
    const expected = text
      .split('\n')
      .slice(0, -1)
      .filter((l) => regex.test(l));
    const got: string[] = [];
    const splitter = new LineSplitter(1000, (l) => regex.test(l) && got.push(l), candidates);
    for (let i = 0; i < text.length; i += 4096) splitter.push(text.slice(i, i + 4096));
    splitter.end();
    assert.deepEqual(got, expected, source);
  }
  assert.equal(candidateRegex(['(?<!x)y'], false), null, 'lookbehind sees across lines');
  assert.equal(candidateRegex(['(a)\\1'], false), null, 'back-references are renumbered by alternation');
});

test(':goto reads when a line was written: ISO 8601 with or without a zone, Python asctime, in brackets; none otherwise', () => {
  assert.equal(writtenAt('2026-12-01T10:00:00.250Z INFO x'), Date.UTC(2026, 11, 1, 10, 0, 0, 250));
  assert.equal(writtenAt('2026-12-01T12:00:00+02:00 x'), Date.UTC(2026, 11, 1, 10));
  assert.equal(writtenAt('2026-12-01 12:00:00,002 - main - INFO - hi'), new Date(2026, 11, 1, 12, 0, 0, 2).getTime());
  assert.equal(writtenAt('[2026-12-01 12:00:00] x'), new Date(2026, 11, 1, 12).getTime());
  assert.equal(writtenAt('  File "app.py", line 7'), null);
  assert.equal(writtenAt('12:00:00 no date'), null);
});
