// `tail`: a temporary tap at a logger and level on a running process, streamed over its control
// endpoint — without changing what the process writes to its own outputs, bounded for a slow
// reader, and gone on detach and on expiry.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { getLogger, Handler, listen, type LogRecord } from '../../src/index.js';
import { addRecordTap } from '../../src/core/logger.js';
import { DEBUG, INFO } from '../../src/core/levels.js';
import { encodeFrame, FrameDecoder } from '../../src/control/framing.js';
import { startTail } from '../../src/control/tap-client.js';
import type { TapRecordFrame } from '../../src/control/tap.js';
import { cliEntry, compiledFixtures } from '../helpers/paths.js';
import { freePort } from '../helpers/ports.js';
import { run, startChild } from '../helpers/proc.js';
import { tempDir } from '../helpers/tmp.js';

class Capture extends Handler {
  readonly seen: string[] = [];
  emit(record: LogRecord): void {
    this.seen.push(`${record.levelname} ${record.getMessage()}`);
  }
}

async function until(what: string, check: () => boolean, timeoutMs = 10000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('a record tap sees records below the configured level; the handlers never do; detaching restores the threshold', (t) => {
  const logger = getLogger('tail.core');
  logger.setLevel(INFO);
  const capture = new Capture();
  logger.addHandler(capture);
  t.after(() => logger.removeHandler(capture));
  const tapped: string[] = [];
  const detach = addRecordTap({
    logger: 'tail',
    level: DEBUG,
    deliver: (r) => tapped.push(`${r.levelname} ${r.getMessage()}`),
  });
  assert.ok(logger.isEnabledFor(DEBUG));
  logger.debug('d1');
  logger.info('i1');
  getLogger('other').warning('not under the tapped logger');
  detach();
  logger.debug('d2');
  assert.deepEqual(tapped, ['DEBUG d1', 'INFO i1']);
  assert.deepEqual(capture.seen, ['INFO i1']);
  assert.ok(!logger.isEnabledFor(DEBUG));
});

test('logdial tail streams DEBUG records of a running process while its own output stays unchanged, and ends when the tap expires', async (t) => {
  const runtime = tempDir(t);
  const env = { ...process.env, LOGDIAL_RUNTIME_DIR: runtime, LOGDIAL_LISTEN: '1' };
  const app = startChild(t, process.execPath, [join(compiledFixtures, 'viewer-app.js')], { env });
  await app.waitFor('INFO tick 3');
  const result = await run(
    process.execPath,
    [cliEntry, 'tail', '--pid', String(app.proc.pid), '--logger', 'viewer.app', '--for', '1500ms'],
    { env, timeoutMs: 30000 },
  );
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, new RegExp(`^${app.proc.pid} \\S+ DEBUG viewer\\.app: tick \\d+$`, 'm'));
  assert.match(result.stdout, /INFO viewer\.app: tick/);
  await app.waitFor(/INFO tick \d+\n[\s\S]*INFO tick \d+\n[\s\S]*INFO tick \d+\n/);
  assert.doesNotMatch(app.stdout(), /DEBUG/, 'the process wrote DEBUG lines of its own');
});

test('tail over TCP needs the secret, from code and from the command line; over the Unix socket a closed connection detaches the tap', async (t) => {
  const runtime = tempDir(t);
  const port = await freePort();
  const control = listen({ app: 'tail-test', dir: runtime, port, secret: 's3cret' });
  t.after(() => control.close());
  await control.ready;
  const logger = getLogger('tail.net');
  logger.setLevel(INFO);
  const cmd = { op: 'tail' as const, logger: 'tail.net', level: 'DEBUG', ttl: 60_000 };
  await assert.rejects(
    startTail({ kind: 'tcp', host: '127.0.0.1', port }, cmd, () => {}, { secret: 'wrong' }),
    /authentication failed/,
  );
  const records: TapRecordFrame[] = [];
  const tcp = await startTail({ kind: 'tcp', host: '127.0.0.1', port }, cmd, (f) => records.push(f), {
    secret: 's3cret',
  });
  logger.debug('over tcp');
  await until('the record over TCP', () => records.some((r) => r.msg === 'over tcp'));
  tcp.close();
  await until('the TCP tap detached', () => !logger.isEnabledFor(DEBUG));
  // The command line over TCP: refused without the secret, streaming with it.
  const tailArgs = [cliEntry, 'tail', '--port', String(port), '--logger', 'tail.net', '--for', '1500ms'];
  const refused = await run(process.execPath, tailArgs, { timeoutMs: 30000 });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /requires a secret/);
  const ticks = setInterval(() => logger.debug('cli over tcp'), 50);
  try {
    const tailed = await run(process.execPath, [...tailArgs, '--secret', 's3cret'], { timeoutMs: 30000 });
    assert.equal(tailed.code, 0, tailed.stderr);
    assert.match(tailed.stdout, new RegExp(`^127\\.0\\.0\\.1:${port} \\S+Z DEBUG tail\\.net: cli over tcp$`, 'm'));
  } finally {
    clearInterval(ticks);
  }
  const unix = await startTail({ kind: 'unix', socket: control.socketPath!, manifest: control.manifest! }, cmd, (f) =>
    records.push(f),
  );
  assert.ok(logger.isEnabledFor(DEBUG));
  unix.close();
  await until('the Unix tap detached', () => !logger.isEnabledFor(DEBUG));
  const short = await startTail(
    { kind: 'unix', socket: control.socketPath!, manifest: control.manifest! },
    { ...cmd, ttl: 300 },
    () => {},
  );
  assert.deepEqual(await short.ended, { tap: 'end', reason: 'expired', dropped: 0 });
  assert.ok(!logger.isEnabledFor(DEBUG));
});

test('a reader that does not read costs the process a bounded buffer and a drop count, never a stall', async (t) => {
  const runtime = tempDir(t);
  const control = listen({ app: 'tail-slow', dir: runtime });
  t.after(() => control.close());
  await control.ready;
  const logger = getLogger('tail.slow');
  logger.setLevel(INFO);
  const socket = connect(control.socketPath!);
  t.after(() => socket.destroy());
  await new Promise((r) => socket.once('connect', r));
  socket.write(
    encodeFrame(JSON.stringify({ op: 'tail', logger: 'tail.slow', level: 'DEBUG', ttl: 2000, maxBuffer: 4096 })),
  );
  await until('the tap attached', () => logger.isEnabledFor(DEBUG));
  socket.pause();
  const payload = 'x'.repeat(1000);
  for (let i = 0; i < 20_000; i++) logger.debug('%s %d', payload, i);
  const decoder = new FrameDecoder(1 << 20);
  const frames: Array<{ tap?: string; dropped?: number }> = [];
  socket.on('data', (chunk: Buffer) =>
    frames.push(...decoder.push(chunk).map((f) => JSON.parse(f.toString()) as { tap?: string; dropped?: number })),
  );
  socket.resume();
  await until('the end frame', () => frames.some((f) => f.tap === 'end'), 15000);
  const end = frames.find((f) => f.tap === 'end')!;
  const records = frames.filter((f) => f.tap === 'record').length;
  assert.ok(end.dropped! > 10_000, `dropped ${end.dropped}`);
  assert.equal(records + end.dropped!, 20_000);
});

test('logdial view --app shows the records of running processes through a tap, their own output unchanged', async (t) => {
  const runtime = tempDir(t);
  const env = { ...process.env, LOGDIAL_RUNTIME_DIR: runtime, LOGDIAL_LISTEN: '1', LOGDIAL_APP: 'tapped' };
  const app = startChild(t, process.execPath, [join(compiledFixtures, 'viewer-app.js')], { env });
  await app.waitFor('INFO tick 2');
  const viewer = startChild(
    t,
    process.execPath,
    [cliEntry, 'view', '--app', 'tapped', '--logger', 'viewer.app', '-f', 'DEBUG'],
    { env },
  );
  await viewer.waitFor(/^\S+Z DEBUG viewer\.app: tick \d+$/m);
  assert.doesNotMatch(viewer.stdout(), /INFO/);
  viewer.proc.kill('SIGTERM');
  await viewer.exited;
  assert.doesNotMatch(app.stdout(), /DEBUG/);
});

test('logdial view --app counts the records a tapped process dropped for it, and ends when the process closes its endpoint', async (t) => {
  const runtime = tempDir(t);
  const control = listen({ app: 'tail-drops', dir: runtime });
  t.after(() => control.close());
  await control.ready;
  const logger = getLogger('tail.drops');
  logger.setLevel(INFO);
  const env = { ...process.env, LOGDIAL_RUNTIME_DIR: runtime };
  const viewer = startChild(t, process.execPath, [cliEntry, 'view', '--app', 'tail-drops', '--logger', 'tail.drops'], {
    env,
  });
  await until('the tap attached', () => logger.isEnabledFor(DEBUG), 30000);
  // Far beyond the tap's 1 MiB in one turn: the rest is dropped and counted on the later frames.
  const payload = 'x'.repeat(1000);
  for (let i = 0; i < 20_000; i++) logger.debug('burst %s %d', payload, i);
  const sentinel = setInterval(() => logger.debug('sentinel'), 100);
  try {
    await viewer.waitFor('sentinel', 30000);
  } finally {
    clearInterval(sentinel);
  }
  await control.close();
  const { code } = await viewer.exited;
  assert.equal(code, 0, viewer.stderr());
  const dropped = Number(/(\d+) records dropped by the tap/.exec(viewer.stderr())?.[1] ?? 0);
  const bursts = viewer
    .stdout()
    .split('\n')
    .filter((line) => / DEBUG tail\.drops: burst x+ \d+$/.test(line)).length;
  assert.ok(dropped > 10_000, viewer.stderr());
  assert.equal(bursts + dropped, 20_000);
});
