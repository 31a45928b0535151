/**
 * Child processes for tests: bounded in time, output collected, always killed at the end.
 */
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import type { TestContext } from 'node:test';

/** A running child with its output so far. */
export interface Child {
  proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when the child has printed text matching `pattern` on stdout or stderr. */
  waitFor(pattern: RegExp | string, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code (or signal name) once the child exits. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns a child that is killed (SIGKILL) when the test ends, if still running. */
export function startChild(
  t: Pick<TestContext, 'after'>,
  command: string,
  args: string[],
  options: SpawnOptions = {},
): Child {
  const proc = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const w of [...waiters]) w();
  });
  proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    for (const w of [...waiters]) w();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.on('close', (code, signal) => {
      for (const w of [...waiters]) w();
      resolve({ code, signal });
    });
  });
  t.after(() => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  });
  return {
    proc,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(pattern, timeoutMs = 15000) {
      const matches = () => (typeof pattern === 'string' ? (out + err).includes(pattern) : pattern.test(out + err));
      return new Promise<void>((resolve, reject) => {
        if (matches()) return resolve();
        const timer = setTimeout(() => {
          remove();
          reject(
            new Error(
              `timed out after ${timeoutMs} ms waiting for ${String(pattern)}\nstdout:\n${out.slice(-2000)}\nstderr:\n${err.slice(-2000)}`,
            ),
          );
        }, timeoutMs);
        const check = () => {
          if (matches()) {
            clearTimeout(timer);
            remove();
            resolve();
          } else if (proc.exitCode !== null || proc.signalCode !== null) {
            clearTimeout(timer);
            remove();
            reject(
              new Error(
                `child exited before printing ${String(pattern)}\nstdout:\n${out.slice(-2000)}\nstderr:\n${err.slice(-2000)}`,
              ),
            );
          }
        };
        const remove = () => {
          const i = waiters.indexOf(check);
          if (i >= 0) waiters.splice(i, 1);
        };
        waiters.push(check);
      });
    },
  };
}

/** Runs a command to completion with a time limit; rejects on timeout. */
export function run(
  command: string,
  args: string[],
  options: SpawnOptions & { timeoutMs?: number; input?: string } = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    proc.stdout?.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    proc.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(
        new Error(
          `${command} ${args.join(' ')} timed out after ${options.timeoutMs ?? 60000} ms\nstdout:\n${stdout.slice(-2000)}\nstderr:\n${stderr.slice(-2000)}`,
        ),
      );
    }, options.timeoutMs ?? 60000);
    proc.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    if (options.input !== undefined) proc.stdin?.end(options.input);
    else proc.stdin?.end();
  });
}
