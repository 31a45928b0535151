/** Worker threads follow their process's changes; each cluster worker has its own endpoint. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Manifest } from '../../src/control/protocol.js';
import type { TargetResult } from '../../src/control/client.js';
import { compiledFixtures } from '../helpers/paths.js';
import { startChild } from '../helpers/proc.js';
import { after, cli, privateRuntime, until } from '../fixtures/control-helpers.js';

test('a worker thread follows the main thread: set, then the expiry of --for', { timeout: 60_000 }, async (t) => {
  const { env } = privateRuntime(t);
  const child = startChild(t, process.execPath, [join(compiledFixtures, 'control-threads.js')], {
    env: { ...env, CTL_APP: 'threads' },
  });
  await child.waitFor(/READY /, 30000);
  await child.waitFor(/thread INFO app\.work/, 30000);
  assert.doesNotMatch(child.stdout(), /thread DEBUG/);
  const mark = child.stdout().length;
  const set = await cli(['set', 'root=DEBUG', '--for', '1500ms', '--app', 'threads'], env);
  assert.equal(set.code, 0, set.stderr + set.stdout);
  await until(
    () => /thread DEBUG app\.work/.test(after(child, mark)) && /main DEBUG app\.work/.test(after(child, mark)),
    20000,
    'DEBUG in both threads',
  );
  await until(() => /expired; back to the base/.test(after(child, mark)), 20000, 'expiry');
  // The worker applies the broadcast asynchronously: wait until its lines are INFO-only again.
  await until(
    () => {
      const text = after(child, mark);
      const tail = text.slice(text.indexOf('expired; back to the base'));
      return (tail.slice(tail.lastIndexOf('thread DEBUG') + 1).match(/thread INFO app\.work/g) ?? []).length >= 2;
    },
    20000,
    'worker back to INFO',
  );
  const mark2 = child.stdout().length;
  await until(
    () => (after(child, mark2).match(/thread INFO app\.work/g) ?? []).length >= 3,
    20000,
    'more worker lines',
  );
  assert.doesNotMatch(after(child, mark2), /thread DEBUG/);
});

test('each cluster worker has its own endpoint (LOGDIAL_LISTEN=1)', { timeout: 60_000 }, async (t) => {
  const { env } = privateRuntime(t);
  const child = startChild(t, process.execPath, [join(compiledFixtures, 'control-threads.js')], {
    env: { ...env, CTL_MODE: 'cluster', LOGDIAL_LISTEN: '1', LOGDIAL_APP: 'clus' },
  });
  await child.waitFor(/worker2 INFO/, 30000);
  let manifests: Manifest[] = [];
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    const ls = await cli(['ls', '--app', 'clus', '--json'], env);
    manifests = JSON.parse(ls.stdout) as Manifest[];
    if (manifests.length === 3) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.deepEqual(manifests.map((m) => m.processName).sort(), ['MainProcess', 'Worker #1', 'Worker #2']);
  assert.equal(new Set(manifests.map((m) => m.socket)).size, 3);
  const worker1 = manifests.find((m) => m.processName === 'Worker #1')!;
  const mark = child.stdout().length;
  const set = await cli(['set', 'root=DEBUG', '--pid', String(worker1.pid), '--json'], env);
  assert.equal(set.code, 0, set.stderr);
  assert.equal((JSON.parse(set.stdout) as TargetResult[]).length, 1);
  await until(() => /worker1 DEBUG app\.work/.test(after(child, mark)), 20000, 'worker 1 at DEBUG');
  assert.doesNotMatch(after(child, mark), /(primary|worker2) DEBUG/);
});

test('a worker thread follows a temporary push and returns to its own base', { timeout: 60_000 }, async (t) => {
  const { root, env } = privateRuntime(t);
  const conf = (tag: string, level: string) =>
    `[loggers]\nkeys=root\n[handlers]\nkeys=console\n[formatters]\nkeys=f\n[formatter_f]\nformat=${tag} %(threadName)s %(levelname)s %(name)s: %(message)s\n[handler_console]\nclass=StreamHandler\nformatter=f\nargs=(sys.stdout,)\n[logger_root]\nlevel=${level}\nhandlers=console\n`;
  const base = join(root, 'base.conf');
  const temp = join(root, 'temp.conf');
  writeFileSync(base, conf('BASE', 'INFO'));
  writeFileSync(temp, conf('TEMP', 'DEBUG'));
  const child = startChild(t, process.execPath, [join(compiledFixtures, 'control-threads.js')], {
    env: { ...env, CTL_APP: 'tpush', CTL_BASE: base },
  });
  await child.waitFor(/READY /, 30000);
  await child.waitFor(/BASE Thread-\d+ INFO app\.work/, 30000);
  const mark = child.stdout().length;
  const push = await cli(['push', temp, '--for', '1500ms', '--app', 'tpush'], env);
  assert.equal(push.code, 0, push.stderr + push.stdout);
  await until(
    () =>
      /TEMP MainThread DEBUG app\.work/.test(after(child, mark)) &&
      /TEMP Thread-\d+ DEBUG app\.work/.test(after(child, mark)),
    20000,
    'both threads on the pushed config',
  );
  await until(() => /expired; back to the base/.test(after(child, mark)), 20000, 'expiry');
  const mark2 = child.stdout().length;
  await until(
    () =>
      /BASE MainThread INFO app\.work/.test(after(child, mark2)) &&
      /BASE Thread-\d+ INFO app\.work/.test(after(child, mark2)),
    20000,
    'both threads back on the base',
  );
  const mark3 = child.stdout().length;
  await until(() => (after(child, mark3).match(/BASE Thread-\d+ INFO/g) ?? []).length >= 2, 20000, 'more worker lines');
  assert.doesNotMatch(after(child, mark3), /TEMP|DEBUG/);
});
