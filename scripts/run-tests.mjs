#!/usr/bin/env node
// Runs the compiled test files on Node's test runner:
//   node scripts/run-tests.mjs [--unit | --process] [WORD...]
// `--unit` runs dist/test/unit (no processes, no servers: seconds), `--process` dist/test/process
// (real children, sockets, Redis, Python); neither runs both. A WORD keeps the files whose name
// (not path) contains it. Node 20's runner has no glob support, so the files are listed here.
// After the runner's own summary (what CI reads), the time each file spent in its tests is printed,
// slowest first.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const testDir = join(root, 'dist', 'test');
const args = process.argv.slice(2);
const folders = args.includes('--unit') ? ['unit'] : args.includes('--process') ? ['process'] : ['unit', 'process'];
const words = args.filter((a) => !a.startsWith('--'));

/** The compiled test files of one folder, sorted. */
function collect(folder) {
  const dir = join(testDir, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((entry) => entry.endsWith('.test.js'))
    .sort()
    .map((entry) => join(dir, entry));
}

let files = folders.flatMap(collect);
if (words.length > 0) files = files.filter((f) => words.some((word) => basename(f).includes(word)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

// The spec reporter on stdout (what a reader and CI see), and per-test timings in a temp file.
const timingDir = mkdtempSync(join(tmpdir(), 'logdial-tests-'));
const timingFile = join(timingDir, 'durations.jsonl');
const result = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-timeout=240000',
    `--test-concurrency=${process.env.LOGDIAL_TEST_CONCURRENCY ?? 2}`,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${join(root, 'scripts', 'file-durations-reporter.mjs')}`,
    `--test-reporter-destination=${timingFile}`,
    ...files,
  ],
  { stdio: 'inherit' },
);
const timings = existsSync(timingFile) ? readFileSync(timingFile, 'utf8') : '';
rmSync(timingDir, { recursive: true, force: true });
printDurations(fileDurations(timings));
process.exit(result.status ?? 1);

/** Per file: the summed durations of its top-level tests (they run one after another within a file). */
function fileDurations(text) {
  const byFile = new Map();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const { file, ms, ok } = JSON.parse(line);
    const row = byFile.get(file) ?? { file, ms: 0, ok: true };
    row.ms += ms;
    row.ok &&= ok;
    byFile.set(file, row);
  }
  return [...byFile.values()];
}

function printDurations(rows) {
  if (rows.length === 0) return;
  rows.sort((a, b) => b.ms - a.ms);
  console.log('\ntime in tests per file (slowest first):');
  for (const { file, ms, ok } of rows) {
    console.log(`${(ms / 1000).toFixed(2).padStart(8)} s  ${ok ? '  ' : '✖ '}${relative(testDir, file)}`);
  }
}
