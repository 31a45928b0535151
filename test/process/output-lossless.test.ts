/**
 * Output that loses nothing: every line logged before process.exit(), an uncaught exception, an
 * unhandled rejection, SIGTERM or SIGINT reaches the file, exactly once, in order and whole;
 * EPIPE ends quietly; a full disk is reported once and the app carries on.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { compiledFixtures } from '../helpers/paths.js';
import { run, startChild } from '../helpers/proc.js';
import { tempDir } from '../helpers/tmp.js';

const fixture = join(compiledFixtures, 'handlers-lossless.js');
const COUNT = 100_000;
const pad = 'x'.repeat(40);

/** Asserts that `text` holds exactly lines `n=0` … `n=count-1`, in order, each whole. */
function assertAllLines(text: string, count: number, extra: string[] = []): void {
  const lines = text.split('\n');
  assert.equal(lines.pop(), '', 'the file ends with a newline (no torn last line)');
  assert.equal(lines.length, count + extra.length, `expected ${count} lines (+${extra.length}), got ${lines.length}`);
  for (let i = 0; i < count; i++) {
    if (lines[i] !== `n=${i} ${pad}`) assert.fail(`line ${i + 1} is ${JSON.stringify(lines[i])}, expected n=${i}`);
  }
  assert.deepEqual(lines.slice(count), extra);
}

for (const mode of ['exit', 'throw', 'reject'] as const) {
  test(`${COUNT} lines reach the file before the process ends by ${mode}`, async (t) => {
    const dir = tempDir(t);
    const file = join(dir, `${mode}.log`);
    const result = await run(process.execPath, [fixture, mode, file, String(COUNT)], { timeoutMs: 60_000 });
    if (mode === 'exit') assert.equal(result.code, 0, result.stderr);
    else {
      assert.equal(result.code, 1, 'an uncaught error exits with status 1');
      assert.match(result.stderr, mode === 'throw' ? /uncaught on purpose/ : /rejected on purpose/);
    }
    assertAllLines(readFileSync(file, 'utf8'), COUNT);
  });
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`${COUNT} lines reach the file when ${signal} kills the process, which still dies by the signal`, async (t) => {
    const dir = tempDir(t);
    const file = join(dir, `${signal}.log`);
    const child = startChild(t, process.execPath, [fixture, signal, file, String(COUNT)], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    await child.waitFor(/READY pending=\d+/, 60_000);
    const pending = Number(/READY pending=(\d+)/.exec(child.stdout())![1]);
    assert.ok(pending > 0, 'lines were still buffered when the signal came (the signal path flushes them)');
    child.proc.kill(signal);
    child.proc.stdin!.end('x');
    const { code, signal: killedBy } = await child.exited;
    assert.equal(killedBy, signal, `exit status stays "killed by ${signal}" (code ${code}, stderr ${child.stderr()})`);
    assertAllLines(readFileSync(file, 'utf8'), COUNT);
  });
}

/** Asserts that `text` holds lines `n=0` … `n=k-1` for some k >= min, in order, each whole. */
function assertWholePrefix(text: string, min: number): number {
  const lines = text.split('\n');
  assert.equal(lines.pop(), '', 'the file ends with a newline (no torn last line)');
  lines.forEach((line, i) => {
    if (line !== `n=${i} ${pad}`) assert.fail(`line ${i + 1} is ${JSON.stringify(line)}, expected n=${i}`);
  });
  assert.ok(lines.length >= min, `at least the ${min} lines logged before READY (got ${lines.length})`);
  return lines.length;
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`${signal} at an arbitrary point while logging: the file holds a whole, gap-free prefix`, async (t) => {
    const file = join(tempDir(t), `mid-${signal}.log`);
    const child = startChild(t, process.execPath, [fixture, 'midstream', file, String(COUNT)]);
    await child.waitFor('READY', 60_000);
    child.proc.kill(signal);
    const { signal: killedBy } = await child.exited;
    assert.equal(killedBy, signal, child.stderr());
    assertWholePrefix(readFileSync(file, 'utf8'), 1000);
  });
}

test('an app with its own SIGTERM listener decides: lines are flushed, it logs more and exits 0', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'own.log');
  const child = startChild(t, process.execPath, [fixture, 'SIGTERM-own', file, '20000'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  await child.waitFor('READY', 60_000);
  child.proc.kill('SIGTERM');
  child.proc.stdin!.end('x');
  const { code, signal } = await child.exited;
  assert.equal(signal, null);
  assert.equal(code, 0, child.stderr());
  assertAllLines(readFileSync(file, 'utf8'), 20000, ['bye']);
});

test('lines logged by an exit listener the app added later are written too (write-through after exit)', async (t) => {
  const file = join(tempDir(t), 'listener.log');
  const result = await run(process.execPath, [fixture, 'exit-listener', file, '30000'], { timeoutMs: 60_000 });
  assert.equal(result.code, 0, result.stderr);
  assertAllLines(readFileSync(file, 'utf8'), 30000, ['from exit listener']);
});

test('records held by a MemoryHandler reach its target file when the process ends', async (t) => {
  const file = join(tempDir(t), 'memory.log');
  const result = await run(process.execPath, [fixture, 'memory-exit', file, '20000'], { timeoutMs: 60_000 });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, 'buffered=20000\n');
  assertAllLines(readFileSync(file, 'utf8'), 20000);
});

test('shutdown() flushes and closes every handler', async (t) => {
  const file = join(tempDir(t), 'shutdown.log');
  const result = await run(process.execPath, [fixture, 'shutdown', file, '30000'], { timeoutMs: 60_000 });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, 'closed=true\n');
  assertAllLines(readFileSync(file, 'utf8'), 30000);
});

test('on an uncaught exception, log lines buffered for stderr come before the crash report', async () => {
  const result = await run(process.execPath, [fixture, 'stderr-throw', '-', '5000'], { timeoutMs: 60_000 });
  assert.equal(result.code, 1);
  const crash = result.stderr.indexOf('uncaught on purpose');
  assert.ok(crash > 0, result.stderr.slice(-500));
  const before = result.stderr.slice(0, result.stderr.lastIndexOf('\n', crash) + 1);
  // Node prints the throwing source line first; every log line precedes it.
  const logLines = before.split('\n').filter((l) => l.startsWith('n='));
  assert.equal(logLines.length, 5000);
  assert.equal(logLines[4999], `n=4999 ${pad}`);
});

test('EPIPE on stdout (`| head -1`) ends quietly: no crash, no error report, the app runs to its end', async () => {
  const script = `"${process.execPath}" "${fixture}" epipe - ${COUNT} | head -1; echo "status=\${PIPESTATUS[0]}" >&2`;
  const result = await run('bash', ['-c', script], { timeoutMs: 60_000 });
  assert.equal(result.stdout, `n=0 ${pad}\n`);
  assert.match(result.stderr, /^done\nstatus=0\n$/, `stderr was: ${result.stderr}`);
});

test('a full disk (/dev/full) is reported once, Python style, and the app carries on', async () => {
  const result = await run(process.execPath, [fixture, 'devfull', '-', '50000'], { timeoutMs: 60_000 });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, 'continued\n');
  const reports = result.stderr.split('--- Logging error ---').length - 1;
  assert.equal(reports, 1, `one report, got: ${result.stderr}`);
  assert.match(result.stderr, /ENOSPC/);
  assert.match(result.stderr, /Handler: FileHandler -> \/dev\/full/);
});
