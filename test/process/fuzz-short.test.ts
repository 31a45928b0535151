/**
 * The short form of `npm run fuzz`: a few hundred seeded INI, JSON and YAML mutations through the
 * parser (no crash, no hang, every error located) and raw frames to a real listening process on
 * its unix socket and a legacy TCP port (it stays up and keeps answering ping).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { compiledFixtures } from '../helpers/paths.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';
import { fuzzConfigs, fuzzFrames, newReport, startListening } from '../fuzz/engine.js';

test('fuzzed configs: no crash, no hang, every error located', { timeout: 200_000 }, () => {
  const report = newReport(7);
  fuzzConfigs(7, 600, report);
  assert.deepEqual(report.findings, []);
  assert.equal(
    Object.values(report.inputs).reduce((a, b) => a + b, 0),
    600,
  );
});

test('fuzzed frames to a listening process: it stays up and answers', { timeout: 200_000 }, async (t) => {
  const dir = tempDir(t);
  const target = await startListening(
    join(compiledFixtures, 'control-child.js'),
    join(dir, 'rt'),
    await freePort(),
    dir,
  );
  t.after(() => target.stop());
  const report = newReport(7);
  await fuzzFrames(7, 120, target.unix, target.alive, report, 'unix');
  await fuzzFrames(8, 80, target.legacy, target.alive, report, 'legacy');
  assert.deepEqual(report.findings, []);
  assert.ok(target.alive());
});
