/**
 * The fd sink's write policy, observed at the `write(2)` boundary (fs.writeSync replaced by a
 * recorder): whole lines only, at most one chunk per write (a longer line alone), EAGAIN retried,
 * EPIPE silent, other errors reported, partial writes completed.
 */
import assert from 'node:assert/strict';
import fs, { closeSync, openSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { afterEach, beforeEach, test } from 'node:test';
import { FdSink, PIPE_CHUNK, normalizeEncoding } from '../../src/handlers/index.js';

type WriteImpl = (fd: number, buffer: Buffer, offset: number, length: number) => number;
const realWriteSync = fs.writeSync;
let writes: Buffer[] = [];
let behaviour: WriteImpl | null = null;
let fd = -1;

beforeEach(() => {
  writes = [];
  behaviour = null;
  fd = openSync('/dev/null', 'w');
  // The sink imports writeSync from node:fs; syncBuiltinESMExports makes the replacement visible.
  (fs as { writeSync: unknown }).writeSync = (f: number, buffer: Buffer, offset: number, length: number): number => {
    if (behaviour) return behaviour(f, buffer, offset, length);
    writes.push(Buffer.from(buffer.subarray(offset, offset + length)));
    return length;
  };
  syncBuiltinESMExports();
});

afterEach(() => {
  (fs as { writeSync: unknown }).writeSync = realWriteSync;
  syncBuiltinESMExports();
  closeSync(fd);
});

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: test`), { code });
}

test('pipe-sized writes hold only whole lines, at most 4096 bytes; a longer line is written alone', () => {
  const sink = new FdSink(fd, { chunkSize: PIPE_CHUNK });
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const line = i === 1234 ? 'L'.repeat(9000) : `${i}:` + 'é'.repeat(i % 157);
    lines.push(line);
    sink.write(line);
  }
  sink.flush();
  sink.close();
  assert.equal(Buffer.concat(writes).toString('utf8'), lines.join('\n') + '\n');
  for (const chunk of writes) {
    assert.equal(chunk[chunk.length - 1], 10, 'every write ends at a line end');
    const inner = chunk.subarray(0, -1).includes(10);
    assert.ok(chunk.length <= PIPE_CHUNK || !inner, `a write over 4096 bytes (${chunk.length}) holds a single line`);
  }
  assert.ok(
    writes.some((w) => w.length === 9001),
    'the long line went alone',
  );
});

test('nothing is written synchronously for a small burst; setImmediate flushes it', async () => {
  const sink = new FdSink(fd, { chunkSize: PIPE_CHUNK });
  sink.write('a');
  sink.write('b');
  assert.equal(writes.length, 0);
  assert.equal(sink.pending, 4);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(Buffer.concat(writes).toString(), 'a\nb\n');
  sink.close();
});

test('EAGAIN is retried until the write succeeds; partial writes are completed', () => {
  let calls = 0;
  behaviour = (_f, buffer, offset, length) => {
    calls++;
    if (calls <= 3) throw errno('EAGAIN');
    const n = Math.min(length, 7); // partial writes
    writes.push(Buffer.from(buffer.subarray(offset, offset + n)));
    return n;
  };
  const errors: unknown[] = [];
  const sink = new FdSink(fd, { chunkSize: PIPE_CHUNK, onError: (e) => errors.push(e) });
  for (let i = 0; i < 100; i++) sink.write(`line ${i}`);
  sink.flush();
  assert.deepEqual(errors, []);
  assert.equal(Buffer.concat(writes).toString(), Array.from({ length: 100 }, (_, i) => `line ${i}\n`).join(''));
  sink.close();
});

test('EPIPE drops output quietly from then on; other errors are reported and logging continues', () => {
  let calls = 0;
  behaviour = () => {
    calls++;
    throw errno('EPIPE');
  };
  const errors: unknown[] = [];
  const sink = new FdSink(fd, { onError: (e) => errors.push(e) });
  sink.write('x');
  sink.flush();
  sink.write('y');
  sink.flush();
  assert.equal(sink.broken, true);
  assert.equal(calls, 1, 'no write after EPIPE');
  assert.deepEqual(errors, []);
  sink.close();

  behaviour = () => {
    throw errno('ENOSPC');
  };
  const failures: unknown[] = [];
  const full = new FdSink(fd, { onError: (e) => failures.push(e) });
  full.write('x');
  full.flush();
  full.write('y');
  full.flush();
  assert.equal(failures.length, 2, 'each failed flush is passed on (the handler reports once)');
  assert.equal((failures[0] as NodeJS.ErrnoException).code, 'ENOSPC');
  assert.equal(full.pending, 0, 'failed data is dropped: memory stays bounded');
  full.close();
});

test('UTF-16LE: chunks end at a real newline code unit', () => {
  const sink = new FdSink(fd, { chunkSize: 64, encoding: 'utf16le' });
  // U+0A0A has 0x0A bytes that are not a newline.
  const lines = Array.from({ length: 40 }, (_, i) => `${i}\u0a0a${'\u010a'.repeat(i % 9)}`);
  for (const line of lines) sink.write(line);
  sink.close();
  for (const chunk of writes) assert.equal(chunk.toString('utf16le').endsWith('\n'), true);
  assert.equal(Buffer.concat(writes).toString('utf16le'), lines.join('\n') + '\n');
});

test('normalizeEncoding accepts Python spellings', () => {
  assert.equal(normalizeEncoding('UTF-8'), 'utf8');
  assert.equal(normalizeEncoding(null), 'utf8');
  assert.equal(normalizeEncoding('latin_1'), 'latin1');
  assert.equal(normalizeEncoding('ISO-8859-1'), 'latin1');
  assert.equal(normalizeEncoding('utf-16-le'), 'utf16le');
  assert.throws(() => normalizeEncoding('cp1252'), /unsupported encoding/);
});

test('flush() never throws: a failing beforeWrite hook is reported and the lines are still written', () => {
  const errors: unknown[] = [];
  const sink = new FdSink(fd, { chunkSize: PIPE_CHUNK, onError: (e) => errors.push(e) });
  sink.beforeWrite = () => {
    throw new Error('stat failed');
  };
  sink.write('kept');
  assert.doesNotThrow(() => sink.flush());
  assert.equal((errors[0] as Error).message, 'stat failed');
  assert.equal(Buffer.concat(writes).toString(), 'kept\n');
  sink.close();
});
