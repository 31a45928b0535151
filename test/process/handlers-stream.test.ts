/** StreamHandler: destinations, the shared stdio sink, plain Writables, colour detection, TTYs. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { StreamHandler } from '../../src/index.js';
import { setErrorOutput } from '../../src/handlers/handler.js';
import { compiledFixtures } from '../helpers/paths.js';
import { run } from '../helpers/proc.js';
import { tempDir } from '../helpers/tmp.js';
import { isolatedLogger } from '../helpers/logger.js';

test('targets: stdout, stderr, fd:N, stream; stderr by default', () => {
  assert.equal(new StreamHandler().target, 'stderr');
  assert.equal(new StreamHandler('stdout').target, 'stdout');
  assert.equal(new StreamHandler(process.stdout).target, 'stdout');
  assert.equal(new StreamHandler(process.stderr).target, 'stderr');
  assert.equal(new StreamHandler(new Writable({ write: (_c, _e, cb) => cb() })).target, 'stream');
  assert.throws(() => new StreamHandler(-1), /invalid file descriptor/);
  assert.throws(() => new StreamHandler({} as never), /StreamHandler needs/);
});

test('handlers on the same fd share one sink, so their lines keep call order', () => {
  const a = new StreamHandler('stdout');
  const b = new StreamHandler(1);
  const c = new StreamHandler(process.stdout);
  assert.ok(a.sink);
  assert.equal(a.sink, b.sink);
  assert.equal(a.sink, c.sink);
  assert.notEqual(a.sink, new StreamHandler('stderr').sink);
});

test('an fd handler writes through the sink; flush() makes it visible; close() keeps the fd open', (t) => {
  const file = join(tempDir(t), 'fd.log');
  const fd = openSync(file, 'w');
  const handler = new StreamHandler(fd);
  assert.equal(handler.target, `fd:${fd}`);
  const log = isolatedLogger('stream', handler);
  log.info('one');
  log.error('two');
  handler.flush();
  assert.equal(readFileSync(file, 'utf8'), 'one\ntwo\n');
  handler.close();
  log.info('three'); // a closed StreamHandler still writes, like Python's (the stream is not closed)
  handler.flush();
  assert.equal(readFileSync(file, 'utf8'), 'one\ntwo\nthree\n');
  closeSync(fd);
});

test('any other Writable gets one write per line', () => {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const log = isolatedLogger('stream', new StreamHandler(stream));
  log.info('a %s', 'b');
  log.warning('c');
  assert.deepEqual(chunks, ['a b\n', 'c\n']);
});

test("a Writable's write errors go to handleError once, never to the process as an unhandled 'error'", async () => {
  let reports = '';
  const previous = setErrorOutput((text) => (reports += text));
  try {
    const stream = new Writable({
      write(_chunk: Buffer, _encoding, callback) {
        callback(new Error('device gone'));
      },
    });
    const handler = new StreamHandler(stream);
    const log = isolatedLogger('stream', handler);
    log.info('first');
    await new Promise((resolve) => setImmediate(resolve));
    log.info('after the stream broke'); // write after an error: another 'error' event
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(reports.split('--- Logging error ---').length - 1, 1, reports);
    assert.match(reports, /device gone/);
    handler.close();
    assert.equal(stream.listenerCount('error'), 0, 'close() removes the listener it added');
  } finally {
    setErrorOutput(previous);
  }
});

test('a Writable that stops draining holds a bounded amount; the drop is reported once', () => {
  let reports = '';
  const previous = setErrorOutput((text) => (reports += text));
  try {
    const stuck = new Writable({ highWaterMark: 1024, write() {} }); // never calls back
    const log = isolatedLogger('stream', new StreamHandler(stuck));
    const line = 'x'.repeat(1000);
    for (let i = 0; i < 10_000; i++) log.info(line); // 10 MB offered
    assert.ok(stuck.writableLength < 5 * 1024 * 1024, `queued ${stuck.writableLength} bytes`);
    assert.ok(stuck.writableLength > 4 * 1024 * 1024, 'up to the limit is kept');
    assert.equal(reports.split('--- Logging error ---').length - 1, 1, reports);
    assert.match(reports, /bytes waiting to be written; dropping records/);
    stuck.destroy();
  } finally {
    setErrorOutput(previous);
  }
});

test('colour: FORCE_COLOR forces it, NO_COLOR disables it, files and plain streams get none', (t) => {
  const saved = { FORCE_COLOR: process.env['FORCE_COLOR'], NO_COLOR: process.env['NO_COLOR'] };
  t.after(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  const fd = openSync('/dev/null', 'w');
  t.after(() => closeSync(fd));
  delete process.env['FORCE_COLOR'];
  delete process.env['NO_COLOR'];
  assert.equal(new StreamHandler(fd).formatContext.color, false, 'not a TTY');
  process.env['FORCE_COLOR'] = '1';
  assert.equal(new StreamHandler(fd).formatContext.color, true);
  assert.equal(new StreamHandler(new Writable()).formatContext.color, true);
  process.env['FORCE_COLOR'] = '0';
  assert.equal(new StreamHandler(fd).formatContext.color, false);
  delete process.env['FORCE_COLOR'];
  process.env['NO_COLOR'] = '1';
  assert.equal(new StreamHandler(fd).formatContext.color, false);
});

function hasScript(): boolean {
  try {
    execFileSync('script', ['-qc', 'true', '/dev/null'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test(
  'on a terminal, each log line is written at once (call order with console.log is kept)',
  { skip: !hasScript() && 'script(1) not available' },
  async () => {
    const fixture = join(compiledFixtures, 'handlers-tty.js');
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env['FORCE_COLOR'];
    delete env['NO_COLOR'];
    env['TERM'] = 'xterm';
    const result = await run('script', ['-qec', `"${process.execPath}" "${fixture}"`, '/dev/null'], {
      timeoutMs: 30_000,
      env,
    });
    const lines = result.stdout.replace(/\r/g, '').split('\n').filter(Boolean);
    assert.deepEqual(lines, [
      'log 0',
      'console 0',
      'log 1',
      'console 1',
      'log 2',
      'console 2',
      'log 3',
      'console 3',
      'log 4',
      'console 4',
      'color=true',
    ]);
  },
);

test("records with no handler (lastResort) share stderr's sink with StreamHandler('stderr'): order kept", async () => {
  const result = await run(process.execPath, [join(compiledFixtures, 'handlers-last-resort.js')], {
    timeoutMs: 30_000,
  });
  assert.equal(result.code, 0);
  assert.equal(result.stderr, 'handler 0\nlast resort 0\nhandler 1\nlast resort 1\nhandler 2\nlast resort 2\n');
});
