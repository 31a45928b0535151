// Pipe mode searches bytes before decoding: it must find exactly the lines a per-line filter on
// decoded text finds, whatever the chunking, characters, carriage returns, escapes and lengths.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { byteFinder, byteSafe, ByteLines } from '../../src/viewer/byte-lines.js';
import { LineSplitter } from '../../src/viewer/splitter.js';

const WORDS = ['ERROR', 'error', 'ErRoR', 'ok', 'é', '日本', '🙂', 'line', 'x'.repeat(300), '\r', '\x1b[31m', 'Ω'];

/** A log with a little of everything, deterministic. */
function sample(lines: number): string {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const parts: string[] = [];
    for (let k = next() % 6; k > 0; k--) parts.push(WORDS[next() % WORDS.length]!);
    out.push(`${i} ${parts.join(' ')}`);
  }
  return out.join('\n') + '\nlast without newline ERROR é';
}

/** What the splitter alone gives for the same text, filtered line by line. */
function expected(text: string, regex: RegExp, maxLine: number): Array<[string, number]> {
  const lines: Array<[string, number]> = [];
  const splitter = new LineSplitter(maxLine, (t, c) => regex.test(t) && lines.push([t, c]));
  splitter.push(text);
  splitter.end();
  return lines;
}

test('the byte search finds exactly the lines a per-line filter finds, for any chunking', () => {
  const bytes = Buffer.from(sample(2000));
  const text = bytes.toString('utf8');
  for (const [source, caseSensitive] of [
    ['ERROR', false],
    ['ERROR', true],
    ['error|ok', false],
    ['\\bline\\b', true],
    ['r{2}o', false],
    ['', false],
  ] as const) {
    // An empty source stands for no filter at all: every line, with no finder.
    const finder = source === '' ? null : byteFinder([source], caseSensitive);
    assert.ok(finder || source === '', `${source} is searched as bytes`);
    const regex = new RegExp(source, caseSensitive ? '' : 'i');
    const want = expected(text, regex, 200);
    for (const size of [1, 3, 64, 4096, bytes.length]) {
      const got: Array<[string, number]> = [];
      const lines = new ByteLines(200, (t, c) => regex.test(t) && got.push([t, c]), finder);
      for (let at = 0; at < bytes.length; at += size) lines.push(bytes.subarray(at, at + size));
      lines.end();
      assert.deepEqual(got, want, `${source} in chunks of ${size}`);
    }
  }
});

test('patterns that could match a non-ASCII character or a line end are searched in decoded text', () => {
  for (const source of ['a.b', '[^x]', '\\s', '\\W', 'é', '^x', 'x$', '\\x41', '\\u0041', '(?=a)', '(a)\\1', '\\n'])
    assert.equal(byteSafe(source), false, source);
  for (const source of ['ERROR', 'a|b', '[a-z]+\\d', '\\bword\\b', '\\[x\\]', '(?:ab)+'])
    assert.equal(byteSafe(source), true, source);
});

test('a candidate line longer than the cap is cut and its cut counted, as the splitter does', () => {
  const long = `ERROR ${'y'.repeat(5000)}`;
  const got: Array<[number, number]> = [];
  const lines = new ByteLines(
    1000,
    (t, c) => /error/i.test(t) && got.push([t.length, c]),
    byteFinder(['error'], false),
  );
  lines.push(Buffer.from(`a\n${long}\nb\n${long}\n`));
  lines.end();
  assert.deepEqual(got, [
    [1000, long.length - 1000],
    [1000, long.length - 1000],
  ]);
});
