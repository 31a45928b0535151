/**
 * A parent and four forked children log 20 000 numbered ~200-byte lines each to one shared stdout
 * pipe; no line may be torn, merged, missing or duplicated (whole-line writes of at most
 * PIPE_BUF bytes are atomic, so lines from several processes never interleave mid-line).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import type { Readable } from 'node:stream';
import { compiledFixtures } from '../helpers/paths.js';
import { tempDir } from '../helpers/tmp.js';

const fixture = join(compiledFixtures, 'handlers-shared-pipe.js');
const COUNT = 20_000;
const PROCESSES = 5;

/**
 * Starts the fixture with stdout on a real pipe (a FIFO, as in `node app | cat`) or on Node's own
 * stdio 'pipe', which is a unix socketpair (as under process managers written in Node).
 */
function start(t: TestContext, kind: 'pipe' | 'socketpair'): { proc: ChildProcess; stdout: Readable } {
  if (kind === 'socketpair') {
    const proc = spawn(process.execPath, [fixture, String(COUNT)], { stdio: ['ignore', 'pipe', 'pipe'] });
    return { proc, stdout: proc.stdout };
  }
  const fifo = join(tempDir(t), 'stdout.fifo');
  execFileSync('mkfifo', [fifo]);
  const readFd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const writeFd = openSync(fifo, constants.O_WRONLY);
  const proc = spawn(process.execPath, [fixture, String(COUNT)], { stdio: ['ignore', writeFd, 'pipe'] });
  closeSync(writeFd);
  return { proc, stdout: new Socket({ fd: readFd, readable: true, writable: false }) };
}

for (const kind of ['pipe', 'socketpair'] as const) {
  test(`${PROCESSES} processes x ${COUNT} lines on one shared stdout (${kind}): none torn, missing or duplicated`, (t) =>
    checkSharedOutput(t, kind));
}

async function checkSharedOutput(t: TestContext, kind: 'pipe' | 'socketpair'): Promise<void> {
  const { proc, stdout } = start(t, kind);
  t.after(() => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  });
  const chunks: Buffer[] = [];
  let stderr = '';
  // Read slowly now and then, so the pipe fills up and the writers contend for it (a full pipe
  // is where writes larger than PIPE_BUF get split and interleaved).
  let reads = 0;
  stdout.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    if (++reads % 8 === 0) {
      stdout.pause();
      setTimeout(() => stdout.resume(), 2);
    }
  });
  proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out; stderr: ${stderr}`)), 120_000);
    let exitCode: number | null = null;
    let pending = 2;
    const done = (): void => {
      if (--pending > 0) return;
      clearTimeout(timer);
      resolve(exitCode);
    };
    proc.on('close', (c) => {
      exitCode = c;
      done();
    });
    // EOF once every process holding the write end has exited.
    stdout.on('end', done);
  });
  assert.equal(code, 0, stderr);
  assert.equal(stderr, '');
  const text = Buffer.concat(chunks).toString('utf8');
  const lines = text.split('\n');
  assert.equal(lines.pop(), '', 'output ends with a whole line');
  const nextExpected = new Array<number>(PROCESSES).fill(0);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = /^(\d):(\d+):([a-e]+)$/.exec(line);
    if (!m) assert.fail(`line ${i + 1} is torn or merged: ${JSON.stringify(line.slice(0, 120))}…`);
    const id = Number(m[1]);
    const n = Number(m[2]);
    const body = m[3]!;
    if (line.length !== 200 || body !== String.fromCharCode(97 + id).repeat(body.length)) {
      assert.fail(`line ${i + 1} mixes processes or has the wrong length: ${JSON.stringify(line.slice(0, 120))}…`);
    }
    // Each process's lines arrive in its own order, each exactly once.
    if (n !== nextExpected[id])
      assert.fail(`process ${id}: expected line ${nextExpected[id]}, got ${n} (missing or duplicated)`);
    nextExpected[id] = n + 1;
  }
  assert.deepEqual(nextExpected, new Array(PROCESSES).fill(COUNT));
  assert.equal(lines.length, PROCESSES * COUNT);
}
