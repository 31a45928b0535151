/**
 * A TCP peer that sends no greeting gets a bare (Python) frame only once it has shown it is
 * Python's listener: a logdial legacy endpoint whose event loop is blocked also sends no greeting,
 * and a bare frame carries no deadline, so it would apply the push long after the CLI reported
 * NO ANSWER. Real processes: a blocked logdial child on a legacy TCP port, the compiled CLI.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { localTargets, sendCommand, type TargetResult } from '../../src/control/client.js';
import { after, cli, privateRuntime, startControlChild, until } from '../fixtures/control-helpers.js';
import { freePort } from '../helpers/ports.js';

const PUSHED = { version: 1, loggers: { 'app.work': { level: 'DEBUG' } } };

for (const format of ['json', 'conf'] as const) {
  test(
    `a ${format} push to a blocked legacy endpoint is not sent as a bare frame, so it never lands late`,
    { timeout: 120_000 },
    async (t) => {
      const { env, dir, root } = privateRuntime(t);
      const port = await freePort();
      const unblock = join(root, 'unblock');
      const child = await startControlChild(t, env, {
        CTL_APP: 'silent',
        CTL_PORT: String(port),
        CTL_LEGACY: '1',
        CTL_BLOCK_FILE: unblock,
        CTL_ALLOW: root,
      });
      const file = join(root, `pushed.${format}`);
      writeFileSync(
        file,
        format === 'json'
          ? JSON.stringify(PUSHED)
          : '[loggers]\nkeys=root,work\n[handlers]\nkeys=\n[formatters]\nkeys=\n[logger_root]\nhandlers=\n[logger_work]\nqualname=app.work\nlevel=DEBUG\nhandlers=\n',
      );
      const mark = child.stdout().length;
      child.proc.kill('SIGUSR2');
      await child.waitFor('BLOCKING');
      const push = await cli(['push', file, '--port', String(port), '--timeout', '1500ms', '--json'], env);
      const rows = JSON.parse(push.stdout) as TargetResult[];
      assert.equal(rows[0]?.status, 'no-answer', push.stdout + push.stderr);
      assert.match(rows[0]?.error ?? '', /not a Python listener/);
      assert.equal(push.code, 1, push.stdout + push.stderr);
      writeFileSync(unblock, '');
      await until(() => after(child, mark).includes('UNBLOCKED'), 30_000, 'the target to run again');
      // A later command on the same port is read after the earlier connection's frame.
      const set = await cli(['set', 'app.other=ERROR', '--create', '--port', String(port), '--json'], env);
      assert.equal(set.code, 0, set.stdout + set.stderr);
      const [target] = localTargets({ dir, app: 'silent' });
      const status = await sendCommand(target!, { op: 'status' });
      const work = status.status!.loggers.find((l) => l.name === 'app.work');
      assert.equal(work?.level ?? 'NOTSET', 'NOTSET', 'the push landed after the CLI gave up');
      assert.ok(!/applied legacy frame/.test(after(child, mark)), after(child, mark));
    },
  );
}
