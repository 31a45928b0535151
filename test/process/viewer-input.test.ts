// What reaches `logdial view`: lines of any length, progress bars, files that rotate, several
// sources at once, and a history bounded in bytes.
import assert from 'node:assert/strict';
import { appendFileSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FilterSet } from '../../src/viewer/filters.js';
import { LineStore } from '../../src/viewer/line-store.js';
import { LineSplitter } from '../../src/viewer/splitter.js';
import { cliEntry } from '../helpers/paths.js';
import { run, startChild } from '../helpers/proc.js';
import { tempDir } from '../helpers/tmp.js';

function split(chunks: string[], maxLine = 1000): Array<[string, number]> {
  const lines: Array<[string, number]> = [];
  const splitter = new LineSplitter(maxLine, (text, cut) => lines.push([text, cut]));
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return lines;
}

test('lines split the same whatever the chunking; carriage returns overwrite like a terminal; \\r\\n ends a line', () => {
  const text = 'a\r\nprogress 10%\rprogress 50%\rprogress 100%\ndone\r\nlast';
  const expected: Array<[string, number]> = [
    ['a', 0],
    ['progress 100%', 0],
    ['done', 0],
    ['last', 0],
  ];
  assert.deepEqual(split([text]), expected);
  for (let at = 1; at < text.length; at++)
    assert.deepEqual(split([text.slice(0, at), text.slice(at)]), expected, `split at ${at}`);
  assert.deepEqual(split([...text]), expected, 'one character a chunk');
});

test('a very long line is capped and its cut counted, in one pass (a 50 MB line without newlines)', () => {
  const chunk = 'x'.repeat(1 << 16);
  const lines: Array<[number, number]> = [];
  const splitter = new LineSplitter(4096, (text, cut) => lines.push([text.length, cut]));
  for (let i = 0; i < 800; i++) splitter.push(chunk);
  splitter.push('\nshort\n');
  assert.deepEqual(lines, [
    [4096, 800 * (1 << 16) - 4096],
    [5, 0],
  ]);
});

test('pipe mode marks a capped line and passes the rest through', async () => {
  const long = 'y'.repeat(200_000);
  const result = await run(process.execPath, [cliEntry, 'view'], { input: `${long}\nafter\n`, timeoutMs: 30000 });
  assert.equal(result.code, 0, result.stderr);
  const [first, second] = result.stdout.split('\n');
  assert.equal(first, `${'y'.repeat(65536)} … [${200_000 - 65536} more characters not kept]`);
  assert.equal(second, 'after');
});

test('history is bounded in bytes: the oldest lines go first, and filters run over everything retained', () => {
  const filters = new FilterSet();
  filters.add('in', '7$');
  const store = new LineStore(1024 * 1024, filters);
  for (let i = 0; i < 100_000; i++) store.push(`line ${i} ${'z'.repeat(i % 50)}`.trimEnd() + ` ${i}`, 0, 'out', 0);
  assert.ok(store.bytes <= 1024 * 1024, `${store.bytes} bytes`);
  assert.ok(store.dropped > 0 && store.size + store.dropped === 100_000);
  const first = store.bySeq(store.dropped)!;
  assert.equal(first.seq, store.dropped);
  let expected = 0;
  for (let seq = store.dropped; seq < 100_000; seq++) if (seq % 10 === 7) expected++;
  assert.equal(store.shownCount, expected);
  assert.equal(store.shownAt(store.shownCount - 1)!.plain.endsWith(' 99997'), true);
  filters.add('out', '3');
  store.refilter();
  assert.ok(store.shownCount < expected && store.shownCount > 0);
});

test('files are followed like tail -F across rotation and truncation, several merged and tagged by source', async (t) => {
  const dir = tempDir(t);
  const a = join(dir, 'a.log');
  const b = join(dir, 'b.log');
  writeFileSync(a, 'a1\n');
  writeFileSync(b, 'b1 a longer first line\n');
  const viewer = startChild(t, process.execPath, [cliEntry, 'view', '-F', '--tags', a, b]);
  await viewer.waitFor('[b.log] b1 a longer first line');
  await viewer.waitFor('[a.log] a1');
  appendFileSync(a, 'a2\n');
  await viewer.waitFor('[a.log] a2');
  appendFileSync(a, 'a3 before rotation\n');
  renameSync(a, `${a}.1`);
  writeFileSync(a, 'a4 new file\n');
  await viewer.waitFor('[a.log] a4 new file');
  assert.match(viewer.stdout(), /\[a\.log\] a3 before rotation/);
  truncateSync(b, 0);
  appendFileSync(b, 'b2 short\n');
  await viewer.waitFor('[b.log] b2 short');
  viewer.proc.kill('SIGTERM');
  const { code, signal } = await viewer.exited;
  assert.equal(code ?? signal, 143);
});

test('an unreadable file is an error before anything starts', async (t) => {
  const dir = tempDir(t);
  const result = await run(process.execPath, [cliEntry, 'view', join(dir, 'missing.log')], { timeoutMs: 15000 });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /missing\.log.*(ENOENT|no such file)/);
});

test('stdout and stderr keep the order a program wrote them in, each line tagged with its stream; several commands merged, tagged by source', async (t) => {
  const dir = tempDir(t);
  const script = join(dir, 'alternate.sh');
  writeFileSync(script, 'for i in 0 1 2 3 4 5; do echo o$i; sleep 0.02; echo e$i >&2; sleep 0.02; done\n');
  const result = await run(process.execPath, [cliEntry, 'view', '--tags', '-e', `sh ${script}`, '-e', 'echo other'], {
    timeoutMs: 30000,
  });
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.trim().split('\n');
  const mine = lines.filter((line) => line.startsWith(`[sh ${script}:`));
  assert.deepEqual(
    mine.map((line) => line.slice(`[sh ${script}:`.length)),
    [0, 1, 2, 3, 4, 5].flatMap((i) => [`out] o${i}`, `err] e${i}`]),
  );
  assert.ok(lines.includes('[echo other:out] other'), lines.join('\n'));
});

test('a command runs in a pseudo-terminal (so line-buffered tools flush as they go); --no-pty gives it plain pipes', async () => {
  const program = 'if [ -t 1 ]; then echo stdout-is-a-terminal; else echo stdout-is-a-pipe; fi';
  const pty = await run(process.execPath, [cliEntry, 'view', '-e', program], { timeoutMs: 30000 });
  assert.equal(pty.code, 0, pty.stderr);
  assert.equal(pty.stdout, 'stdout-is-a-terminal\n');
  const pipes = await run(process.execPath, [cliEntry, 'view', '--no-pty', '-e', program], { timeoutMs: 30000 });
  assert.equal(pipes.code, 0, pipes.stderr);
  assert.equal(pipes.stdout, 'stdout-is-a-pipe\n');
});
