/**
 * The soak in its short form (CI): real processes log counted lines while pushes, temporary sets
 * and reverts arrive; no line may be lost, torn or duplicated. And the ledger that judges the lines
 * really finds each kind of fault.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineLedger, SOAK_PAD } from '../../bench/soak-ledger.js';
import { renderSoak, runSoak } from '../../bench/soak.js';

const line = (pid: number, seq: number, prefix = 'A') => `${prefix} L pid=${pid} seq=${seq} ${SOAK_PAD} end`;

test('the soak ledger counts lost, torn and duplicated lines, across chunks and streams', () => {
  const ledger = new LineLedger();
  const stdout = ledger.feed();
  const file = ledger.feed();
  const text = [
    line(7, 0),
    line(7, 1),
    'logdial: applied x (ini config, permanent) requested by pid 1 via unix',
    line(7, 3),
    line(7, 3),
    '',
  ].join('\n');
  // Split mid-line: joined again before it is judged.
  stdout.write(text.slice(0, 30));
  stdout.write(text.slice(30));
  file.write(`${line(7, 4, 'B 2026-12-01 22:00:00,123')}\n${line(8, 0, 'B 2026-12-01 22:00:00,124')}\n`);
  file.write(`A L pid=7 seq=5 abcdefghij${line(8, 1)}\n`);
  stdout.write(line(8, 2).slice(0, 20));
  stdout.end();
  file.end();
  const totals = ledger.totals(
    new Map([
      [7, 6],
      [8, 3],
    ]),
  );
  // pid 7: 2 and 5 lost (5 torn); pid 8: 1 torn into a line of 7, 2 cut at the end.
  assert.deepEqual(totals, { expected: 9, received: 5, lost: 4, duplicated: 1, torn: 2, other: 1 });
});

test(
  'short soak: 2 processes, pushes, sets with TTLs and reverts for a few seconds; no line lost, torn or duplicated',
  { timeout: 120_000 },
  async () => {
    const report = await runSoak({
      processes: 2,
      durationMs: 3000,
      minCommands: 25,
      intervalMs: 50,
      perTick: 1,
      seed: 7,
    });
    const text = renderSoak(report);
    assert.equal(report.missingEnds, 0, text);
    assert.equal(report.lines.lost, 0, text);
    assert.equal(report.lines.torn, 0, text);
    assert.equal(report.lines.duplicated, 0, text);
    assert.ok(report.lines.expected > 0 && report.commands.sent >= 25 && report.commands.ok > 0, text);
    assert.ok(Object.keys(report.commands.byKind).length >= 3, text);
    for (const p of report.processes) {
      assert.ok(
        [
          p.rssStartMb,
          p.rssEndMb,
          p.heapStartMb,
          p.heapEndMb,
          p.heapTotalStartMb,
          p.heapTotalEndMb,
          p.longestPauseMs,
        ].every(Number.isFinite),
        text,
      );
    }
    assert.equal(report.passed, true, text);
  },
);
