/**
 * README's tour runs as written: its code blocks are extracted from README.md and run as they
 * stand (only the `'logdial'` specifier points at this build), and print what the README says.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { libraryEntry, repoRoot } from '../helpers/paths.js';
import { run } from '../helpers/proc.js';
import { tempDir } from '../helpers/tmp.js';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

/** The first fenced block of `lang` after `heading`. */
function block(heading: string, lang: string): string {
  const start = readme.indexOf(heading);
  assert.ok(start >= 0, `README has ${heading}`);
  const match = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(readme.slice(start));
  assert.ok(match, `a ${lang} block after ${heading}`);
  return match[1]!;
}

function program(code: string): string {
  return code.replaceAll("from 'logdial'", `from ${JSON.stringify(pathToFileURL(libraryEntry).href)}`);
}

test('tour, 1. Log: runs as written and prints the lines the README shows', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'tour.mjs'), program(block('### 1. Log', 'ts')));
  const result = await run(process.execPath, ['tour.mjs'], {
    cwd: dir,
    timeoutMs: 30_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  assert.equal(result.code, 0, result.stderr);
  const expected = block('It prints:', 'text')
    .trimEnd()
    .split('\n')
    .map((l) => l.trimEnd());
  const actual = result.stdout
    .trimEnd()
    .split('\n')
    .map((l) => l.trimEnd());
  // `    at …` in the README stands for the stack frames.
  const frames = expected.indexOf('    at …');
  assert.ok(frames > 0);
  const firstAfter = actual.findIndex((l, i) => i >= frames && !l.startsWith('    at '));
  assert.deepEqual(
    [...actual.slice(0, frames), ...actual.slice(firstAfter)],
    [...expected.slice(0, frames), ...expected.slice(frames + 1)],
    result.stdout,
  );
});

test('tour, 2. Configure with a file: the INI file shown, loaded as shown', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'logger_config'));
  writeFileSync(join(dir, 'logger_config', 'info.conf'), block('### 2. Configure with a file', 'ini'));
  writeFileSync(join(dir, 'tour.mjs'), program(block('### 2. Configure with a file', 'ts')));
  const result = await run(process.execPath, ['tour.mjs'], {
    cwd: dir,
    timeoutMs: 30_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    result.stderr,
    /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} - tour\.<module> - MainProcess - INFO - configured from the file\n$/,
  );
});
