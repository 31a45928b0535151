/**
 * On a pipe, log lines keep their order with the process's other output (console.log,
 * console.error, process.stdout/stderr.write), as pino's default destination and Python's
 * StreamHandler do, although the sink still batches a burst of lines into few writes.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { compiledFixtures } from '../helpers/paths.js';
import { run } from '../helpers/proc.js';

const fixture = join(compiledFixtures, 'output-console-order.js');

test('log lines and console output on one pipe (2>&1) come out in call order', async () => {
  const result = await run('sh', ['-c', `"${process.execPath}" "${fixture}" 2>&1`], {
    timeoutMs: 30_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 12, result.stdout);
  assert.deepEqual(
    lines.map((l) => l.slice(0, 2)),
    lines.map((_, i) => String(i + 1).padStart(2, '0')),
    result.stdout,
  );
});

test('each stream on its own pipe keeps its own order', async () => {
  const result = await run(process.execPath, [fixture], { timeoutMs: 30_000, env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(result.code, 0, result.stderr);
  for (const text of [result.stdout, result.stderr]) {
    const numbers = text
      .trimEnd()
      .split('\n')
      .map((l) => Number(l.slice(0, 2)));
    assert.deepEqual(
      numbers,
      [...numbers].sort((a, b) => a - b),
      text,
    );
  }
  assert.match(result.stderr, /log stderr last/);
  assert.match(result.stdout, /console\.log\n$/);
});
