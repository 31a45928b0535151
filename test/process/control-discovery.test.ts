/**
 * Discovery: SIGKILLed processes leave stale entries; the next `ls` removes them and lists only the
 * live ones. Also the runtime directory's permissions and ownership checks.
 */
import assert from 'node:assert/strict';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkRuntimeDir, ensureRuntimeDir, RuntimeDirError } from '../../src/control/runtime-dir.js';
import type { Manifest } from '../../src/control/protocol.js';
import { tempDir } from '../helpers/tmp.js';
import { cli, privateRuntime, startControlChildren, until } from '../fixtures/control-helpers.js';

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
  for (const c of killed)
    assert.ok(existsSync(join(dir, `${c.proc.pid}.json`)) && existsSync(join(dir, `${c.proc.pid}.sock`)));

  const ls = await cli(['ls', '--json'], env);
  assert.equal(ls.code, 0, ls.stderr);
  const listed = (JSON.parse(ls.stdout) as Manifest[]).map((m) => m.pid).sort();
  assert.deepEqual(listed, [children[1]!.proc.pid, children[2]!.proc.pid].sort());
  for (const c of killed)
    assert.ok(!existsSync(join(dir, `${c.proc.pid}.json`)) && !existsSync(join(dir, `${c.proc.pid}.sock`)));

  const table = await cli(['ls'], env);
  assert.match(table.stdout, /PID\s+APP\s+PROCESS/);
  assert.equal(table.stdout.trim().split('\n').length, 3);

  // A graceful exit removes its own entry.
  children[1]!.proc.kill('SIGTERM');
  await children[1]!.exited;
  await until(() => !existsSync(join(dir, `${children[1]!.proc.pid}.json`)), 10000, 'manifest removed on exit');
  const ping = await cli(['set', 'app.work=INFO', '--json'], env);
  assert.equal(ping.code, 0, ping.stderr);
  assert.equal((JSON.parse(ping.stdout) as unknown[]).length, 1);
});

test(
  'a process killed by SIGTERM without a handler of its own removes its entry as it dies',
  { timeout: 60_000 },
  async (t) => {
    const { dir, env } = privateRuntime(t);
    const [child] = await startControlChildren(t, 1, env, () => ({ CTL_NO_SIGTERM: '1', CTL_INTERVAL: '200' }));
    const pid = child!.proc.pid;
    assert.ok(existsSync(join(dir, `${pid}.json`)) && existsSync(join(dir, `${pid}.sock`)));
    child!.proc.kill('SIGTERM');
    const end = await child!.exited;
    assert.equal(end.signal, 'SIGTERM', 'the exit status stays "killed by SIGTERM"');
    assert.ok(!existsSync(join(dir, `${pid}.json`)), 'manifest removed before the signal was re-raised');
    assert.ok(!existsSync(join(dir, `${pid}.sock`)), 'socket removed before the signal was re-raised');
  },
);

test(
  'status --brief gives one line per process with its override and the levels set',
  { timeout: 60_000 },
  async (t) => {
    const { env } = privateRuntime(t);
    const [a, b] = await startControlChildren(t, 2, env, () => ({ CTL_APP: 'brief', CTL_INTERVAL: '500' }));
    const set = await cli(['set', 'app.work=DEBUG', '--for', '5m', '--pid', String(a!.proc.pid)], env);
    assert.equal(set.code, 0, set.stderr);
    const brief = await cli(['status', '--brief', '--app', 'brief'], env);
    assert.equal(brief.code, 0, brief.stderr);
    const lines = brief.stdout.trim().split('\n');
    assert.match(lines[0]!, /^PID\s+APP\s+PROCESS\s+CONFIG\s+OVERRIDE\s+LEVELS SET$/);
    assert.equal(lines.length, 3);
    const rowA = lines.find((l) => l.startsWith(String(a!.proc.pid)))!;
    const rowB = lines.find((l) => l.startsWith(String(b!.proc.pid)))!;
    assert.match(rowA, /set app\.work=DEBUG \((4m \d+s|5m) left\).*app\.work=DEBUG/);
    assert.doesNotMatch(rowB, /app\.work=DEBUG/);
  },
);

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

test(
  'CLI mistakes: a clear message, what to do next, the documented exit code, nothing sent',
  { timeout: 60_000 },
  async (t) => {
    const { root, env } = privateRuntime(t);
    // A bad LOGGER=LEVEL is a usage error (2), like a bad --for; nothing is sent.
    const level = await cli(['set', 'app.db=LOUD'], env);
    assert.equal(level.code, 2, level.stderr);
    assert.match(level.stderr, /'app\.db=LOUD': unknown level 'LOUD'/);
    assert.match(level.stderr, /nothing was sent/);
    const duration = await cli(['set', 'root=DEBUG', '--for', 'soon'], env);
    assert.equal(duration.code, 2, duration.stderr);
    // A file that cannot be read: says so plainly (not a raw ENOENT), exit 1 like an invalid file.
    const missing = await cli(['push', join(root, 'nope.conf')], env);
    assert.equal(missing.code, 1, missing.stderr);
    assert.match(missing.stderr, /cannot read .*nope\.conf: no such file\nnothing was sent/);
    // Nothing to talk to: exit 1, and how to find out why.
    const none = await cli(['revert', '--app', 'nosuch'], env);
    assert.equal(none.code, 1, none.stderr);
    assert.match(none.stderr, /no processes found/);
    assert.match(none.stderr, /run `logdial ls` \(without --app\/--pid\) to see what is running/);
    // The top-level help shows examples and the exit status.
    const help = await cli(['--help'], env);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Examples:[\s\S]*logdial set app\.db=DEBUG --for 10m/);
    assert.match(help.stdout, /Exit status: 0 all acknowledged, 1 .*\n.*2 bad usage/);
  },
);

test(
  'a forged manifest cannot point the CLI at another socket or make it delete a file',
  { timeout: 60_000 },
  async (t) => {
    const { root, dir, env } = privateRuntime(t);
    ensureRuntimeDir(dir);
    // A file of the user's, and a manifest (of a live pid: this test's) naming it as its socket.
    const victim = join(root, 'precious.txt');
    writeFileSync(victim, 'keep me');
    writeFileSync(
      join(dir, `${process.pid}.json`),
      JSON.stringify({
        pid: process.pid,
        app: 'forged',
        processName: 'x',
        host: 'h',
        startedAt: new Date().toISOString(),
        version: '0',
        socket: victim,
      }),
    );
    const set = await cli(['set', 'root=DEBUG', '--app', 'forged', '--json'], env);
    assert.equal(set.code, 1, set.stdout + set.stderr);
    assert.ok(existsSync(victim), 'the CLI deleted a file a manifest named');
    assert.equal(readFileSync(victim, 'utf8'), 'keep me');
    // The entry itself (no socket beside it) is the one cleaned up.
    assert.ok(!existsSync(join(dir, `${process.pid}.json`)));
  },
);

test("the CLI refuses a runtime directory that is a symlink (it could be anyone's)", { timeout: 60_000 }, async (t) => {
  const { root, env } = privateRuntime(t);
  const real = join(root, 'real');
  ensureRuntimeDir(real);
  const link = join(root, 'link');
  symlinkSync(real, link);
  const ls = await cli(['ls'], { ...env, LOGDIAL_RUNTIME_DIR: link });
  assert.equal(ls.code, 1, ls.stdout + ls.stderr);
  assert.match(ls.stderr, /is a symbolic link; refusing to use it/);
});
