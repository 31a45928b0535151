/**
 * Discovery: SIGKILLed processes leave stale entries; the next `ls` removes them and lists only the
 * live ones. Also the runtime directory's permissions and ownership checks.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkRuntimeDir, ensureRuntimeDir, RuntimeDirError } from '../src/control/runtime-dir.js';
import type { Manifest } from '../src/control/protocol.js';
import { tempDir } from './helpers/tmp.js';
import { cli, privateRuntime, startControlChildren, until } from './fixtures/control-helpers.js';

test('SIGKILLed processes leave stale entries that the next ls removes', { timeout: 120_000 }, async (t) => {
  const { dir, env } = privateRuntime(t);
  const children = await startControlChildren(t, 4, env, (i) => ({ CTL_APP: `stale${i % 2}`, CTL_INTERVAL: '500' }));
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  const files = readdirSync(dir);
  assert.equal(files.filter((f) => f.endsWith('.json')).length, 4);
  for (const f of files.filter((f) => f.endsWith('.sock'))) assert.equal(statSync(join(dir, f)).mode & 0o777, 0o600);

  const killed = [children[0]!, children[3]!];
  for (const c of killed) c.proc.kill('SIGKILL');
  await Promise.all(killed.map((c) => c.exited));
  // SIGKILL runs no exit hook: the entries are still there.
  for (const c of killed) assert.ok(existsSync(join(dir, `${c.proc.pid}.json`)) && existsSync(join(dir, `${c.proc.pid}.sock`)));

  const ls = await cli(['ls', '--json'], env);
  assert.equal(ls.code, 0, ls.stderr);
  const listed = (JSON.parse(ls.stdout) as Manifest[]).map((m) => m.pid).sort();
  assert.deepEqual(listed, [children[1]!.proc.pid, children[2]!.proc.pid].sort());
  for (const c of killed) assert.ok(!existsSync(join(dir, `${c.proc.pid}.json`)) && !existsSync(join(dir, `${c.proc.pid}.sock`)));

  const table = await cli(['ls'], env);
  assert.match(table.stdout, /PID\s+APP\s+PROCESS/);
  assert.equal(table.stdout.trim().split('\n').length, 3);

  // A graceful exit removes its own entry.
  children[1]!.proc.kill('SIGTERM');
  await children[1]!.exited;
  await until(() => !existsSync(join(dir, `${children[1]!.proc.pid}.json`)), 10000, 'manifest removed on exit');
  const ping = await cli(['set', 'app=INFO', '--json'], env);
  assert.equal(ping.code, 0, ping.stderr);
  assert.equal((JSON.parse(ping.stdout) as unknown[]).length, 1);
});

test('the runtime directory must be ours, private and not a symlink', (t) => {
  const base = tempDir(t, 'logdial-rtdir-');
  const dir = join(base, 'rt');
  ensureRuntimeDir(dir);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  chmodSync(dir, 0o755);
  ensureRuntimeDir(dir);
  assert.equal(statSync(dir).mode & 0o777, 0o700, 'group/other bits removed');
  const link = join(base, 'link');
  symlinkSync(dir, link);
  assert.throws(() => checkRuntimeDir(link), RuntimeDirError);
  const file = join(base, 'file');
  mkdirSync(file);
  if (typeof process.getuid === 'function' && process.getuid() === 0) {
    // As root we can hand the directory to someone else and check it is refused.
    const { chownSync } = require_('node:fs') as typeof import('node:fs');
    chownSync(file, 12345, 12345);
    assert.throws(() => checkRuntimeDir(file), /owned by uid 12345/);
  }
});

import { createRequire } from 'node:module';
const require_ = createRequire(import.meta.url);
