/**
 * The differential test against python3, bounded for CI: fixed seeds, a few thousand random cases
 * each (formats of the three styles, message arguments of every kind, datefmts, time zones; see
 * test/helpers/parity/), rendered by CPython's logging in one process and by logdial in this one.
 * Every case must render identically, or differ only as documented: the JavaScript value model
 * (`null`, `undefined`, booleans and objects under `%s` in a message) and the wrong-type mark
 * (`%!d(str=x)` where CPython drops the record). The long run: `npm run parity -- --cases 20000 --seed 7`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { casesFor, runParity } from '../helpers/parity/compare.js';

const SEEDS = [101, 202];
const CASES = 2500;

for (const seed of SEEDS) {
  test(`seed ${seed}: ${CASES} random cases render as CPython renders them, or differ only as documented`, async () => {
    const report = await runParity(seed, CASES, 60_000);
    assert.equal(report.total, CASES);
    assert.equal(
      report.mismatches.length,
      0,
      `${report.mismatches.length} mismatches:\n${report.mismatches.slice(0, 15).join('\n')}`,
    );
    // The generator must exercise both documented differences, and mostly produce plain parity.
    assert.ok(report.identical >= CASES * 0.7, `only ${report.identical} identical`);
    assert.ok(
      (report.explained['js-value-model'] ?? 0) > 0 && (report.explained['wrong-type'] ?? 0) > 0,
      JSON.stringify(report.explained),
    );
  });
}

test('the generator is deterministic: a seed always gives the same cases', () => {
  assert.deepEqual(casesFor(5, 50), casesFor(5, 50));
  assert.notDeepEqual(casesFor(5, 50), casesFor(6, 50));
  const styles = new Set(casesFor(5, 200).map((c) => c.style));
  assert.deepEqual([...styles].sort(), ['$', '%', '{']);
});
