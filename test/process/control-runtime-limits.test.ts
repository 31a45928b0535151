/**
 * The edges of the local control plane: a runtime directory whose socket path would be over the
 * platform's limit (a clear error naming it, nothing created); an entry whose pid is alive but whose
 * socket refuses connections (removed by `ls`, as docs/protocol.md says); an unreadable start time
 * (no `NaN` in the output); Windows (listen() and the CLI say the control plane is not there yet).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { socketPathProblem } from '../../src/control/platform.js';
import { ensureRuntimeDir } from '../../src/control/runtime-dir.js';
import { getLogger, Handler, listen } from '../../src/index.js';
import { compiledFixtures } from '../helpers/paths.js';
import { run, startChild } from '../helpers/proc.js';
import { tempDir } from '../helpers/tmp.js';
import { cli, privateRuntime, startControlChild } from '../fixtures/control-helpers.js';

test('socketPathProblem names the limit of each platform', () => {
  assert.equal(socketPathProblem('/run/user/1000/logdial/4242.sock', 'linux'), null);
  const linux = socketPathProblem(`/${'d'.repeat(102)}/1.sock`, 'linux');
  assert.match(linux!, /is 110 bytes; Unix socket paths on Linux hold at most 107 bytes \(108 with the final NUL\)/);
  assert.equal(socketPathProblem(`/${'d'.repeat(96)}/1.sock`, 'linux'), null, '104 bytes fit on Linux');
  assert.match(socketPathProblem(`/${'d'.repeat(96)}/1.sock`, 'darwin')!, /on macOS hold at most 103 bytes \(104 with/);
});

test(
  'a runtime directory too long for a socket path: a clear error, and nothing left behind',
  { timeout: 30_000 },
  async (t) => {
    const root = tempDir(t);
    const long = join(root, 'x'.repeat(60), 'y'.repeat(60));
    const seen: string[] = [];
    class Capture extends Handler {
      emit(record: { getMessage(): string }): void {
        seen.push(record.getMessage());
      }
    }
    const capture = new Capture();
    getLogger('logdial').addHandler(capture);
    t.after(() => getLogger('logdial').removeHandler(capture));
    const handle = listen({ dir: long, app: 'long' });
    t.after(() => handle.close());
    await handle.ready;
    assert.equal(handle.socketPath, null);
    assert.ok(
      seen.some((m) =>
        /unix socket endpoint not started: socket path .* is \d+ bytes; Unix socket paths on Linux hold at most 107 bytes/.test(
          m,
        ),
      ),
      seen.join('\n'),
    );
    assert.deepEqual(readdirSync(root), [], 'something was created (a directory, or a socket at a truncated path)');
  },
);

test(
  'ls removes an entry whose pid is alive but whose socket refuses, and shows no NaN',
  { timeout: 60_000 },
  async (t) => {
    const { dir, env } = privateRuntime(t);
    ensureRuntimeDir(dir);
    // A socket file nobody listens on: its listener was killed (SIGKILL runs no cleanup).
    const dead = join(dir, `${process.pid}.sock`);
    const holder = startChild(t, process.execPath, [
      '-e',
      `require('net').createServer().listen(${JSON.stringify(dead)}, () => console.log('LISTENING'))`,
    ]);
    await holder.waitFor('LISTENING');
    holder.proc.kill('SIGKILL');
    await holder.exited;
    assert.ok(existsSync(dead));
    // ...beside a manifest of a live pid (this test's: pid reuse looks exactly like this).
    const manifest = join(dir, `${process.pid}.json`);
    writeFileSync(
      manifest,
      JSON.stringify({
        pid: process.pid,
        app: 'reused',
        processName: 'x',
        host: 'h',
        startedAt: new Date().toISOString(),
        version: '0',
        socket: dead,
      }),
    );
    // And a live, listening process whose manifest has an unreadable start time.
    const child = await startControlChild(t, env, { CTL_APP: 'odd' });
    const own = join(dir, `${child.proc.pid}.json`);
    writeFileSync(own, JSON.stringify({ ...JSON.parse(readFileSync(own, 'utf8')), startedAt: 'not a date' }));

    const ls = await cli(['ls'], env);
    assert.equal(ls.code, 0, ls.stderr);
    assert.ok(!/reused/.test(ls.stdout), ls.stdout);
    assert.match(ls.stdout, /odd/);
    assert.ok(!/NaN/.test(ls.stdout), ls.stdout);
    assert.ok(!existsSync(manifest) && !existsSync(dead), 'the refusing entry is still there');
    assert.ok(existsSync(own), 'the live entry was removed');
  },
);

test('on Windows, listen() and the CLI say the control plane is not available yet', { timeout: 60_000 }, async (t) => {
  const { env } = privateRuntime(t);
  const fixture = join(compiledFixtures, 'as-windows.js');
  const started = await run(process.execPath, [fixture, 'listen'], { env, timeoutMs: 30000 });
  assert.equal(started.code, 0, started.stderr);
  assert.match(started.stdout, /socket - port -/);
  assert.match(
    started.stderr,
    /not available on Windows yet: it needs Unix domain sockets; supported platforms: Linux and macOS/,
  );
  for (const args of [['ls'], ['set', 'root=DEBUG'], ['status', '--port', '9000']]) {
    const result = await run(process.execPath, [fixture, 'cli', ...args], { env, timeoutMs: 30000 });
    assert.equal(result.code, 1, `${args.join(' ')}: ${result.stdout}${result.stderr}`);
    assert.match(result.stderr, /not available on Windows yet.*supported platforms: Linux and macOS/);
  }
  // What needs no process still works there.
  const help = await run(process.execPath, [fixture, 'cli', '--help'], { env, timeoutMs: 30000 });
  assert.equal(help.code, 0);
});
