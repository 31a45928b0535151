/**
 * A worker thread follows its process's configuration as docs/operations.md says: the one the
 * main thread applied in code before the worker started (from its first line), and a later one.
 * (Live changes through the control plane — set --for, pushes, reverts — are in control-threads.)
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { compiledFixtures } from '../helpers/paths.js';
import { run } from '../helpers/proc.js';

test("a worker thread logs with the main thread's configuration from its first line, and follows a new one", async () => {
  const result = await run(process.execPath, [join(compiledFixtures, 'threads-follow-config.js')], {
    timeoutMs: 60_000,
  });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, '', 'nothing went to the last-resort handler');
  assert.deepEqual(result.stdout.trimEnd().split('\n'), [
    'CFG1 INFO worker.job first line',
    'CFG1 WARNING worker.job a warning',
    'CFG2 DEBUG worker.job after the change',
    'DONE 0',
  ]);
});
