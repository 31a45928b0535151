/**
 * A command the sender gave up on never lands later: a target whose event loop is blocked gets a
 * `set`, the CLI reports NO ANSWER, then the target runs again, reads the command, and rejects it
 * as past its deadline (and says so in its log). A command without a deadline — an older sender —
 * is still carried out.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { localTargets, sendCommand, type TargetResult } from '../../src/control/client.js';
import { after, cli, privateRuntime, startControlChild, until } from '../fixtures/control-helpers.js';

test('a command read after its sender gave up is rejected, not applied late', { timeout: 90_000 }, async (t) => {
  const { env, dir, root } = privateRuntime(t);
  const unblock = join(root, 'unblock');
  const child = await startControlChild(t, env, { CTL_APP: 'late', CTL_BLOCK_FILE: unblock });
  const mark = child.stdout().length;
  child.proc.kill('SIGUSR2');
  await child.waitFor('BLOCKING');
  const set = await cli(['set', 'app.work=DEBUG', '--app', 'late', '--timeout', '700ms', '--json'], env);
  assert.equal(set.code, 1, set.stdout + set.stderr);
  const rows = JSON.parse(set.stdout) as TargetResult[];
  assert.equal(rows[0]?.status, 'no-answer', set.stdout);
  writeFileSync(unblock, '');
  await until(() => after(child, mark).includes('UNBLOCKED'), 30000, 'the target to run again');
  await until(
    () => /rejected set .*after its sender's deadline/.test(after(child, mark)),
    20000,
    'the late command logged as rejected',
  );
  const [target] = localTargets({ dir, app: 'late' });
  const status = await sendCommand(target!, { op: 'status' });
  const work = status.status!.loggers.find((l) => l.name === 'app.work');
  assert.equal(work?.level, 'NOTSET', 'the late set was applied');
  assert.ok(!/debug tick/.test(after(child, mark)), 'debug lines appeared: the change landed');
  // A sender that puts no deadline on its commands (an older client) is still served.
  const { deadline: _none, ...old } = { op: 'set' as const, levels: { 'app.work': 'DEBUG' }, deadline: undefined };
  const reply = await sendCommand(target!, old);
  assert.equal(reply.ok, true, JSON.stringify(reply));
});
