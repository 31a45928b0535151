/** Runs one worker process (Node or python3) for one measurement and collects its report. */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { benchDir, libraryNodeFlags, repoRoot, type WorkerJob, type WorkerReport } from './common.js';

export interface WorkerResult {
  report: WorkerReport;
  /** Wall time of the whole process, spawn to exit, in nanoseconds (includes start-up and import). */
  wallNs: number;
  /** Lines found in the destination file afterwards (dest = file). */
  fileLines?: number;
  fileBytes?: number;
}

let devNullFd: number | undefined;

function devNull(): number {
  devNullFd ??= openSync('/dev/null', 'w');
  return devNullFd;
}

export function workerCommand(job: WorkerJob, nodeFlags: string[] = []): [string, string[]] {
  if (job.lib === 'python') return ['python3', [join(repoRoot(), 'bench', 'py_worker.py'), JSON.stringify(job)]];
  return [
    process.execPath,
    [...libraryNodeFlags(job.lib), ...nodeFlags, join(benchDir(), 'worker.js'), JSON.stringify(job)],
  ];
}

/** `command` replaces the usual worker (a suite with a worker of its own, as services.ts). */
export function runWorker(
  job: WorkerJob,
  timeoutMs = 180_000,
  nodeFlags: string[] = [],
  command: [string, string[]] = workerCommand(job, nodeFlags),
): Promise<WorkerResult> {
  const [cmd, args] = command;
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(cmd, args, {
      stdio: ['ignore', devNull(), 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    let out = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d.length < 4000 ? d : d.slice(0, 4000)));
    (child.stdio[3] as NodeJS.ReadableStream).setEncoding('utf8');
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (d: string) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wallNs = Number(process.hrtime.bigint() - start);
      const line = out.trim().split('\n').pop();
      if (code !== 0 || !line) {
        reject(
          new Error(
            `${job.lib} ${job.mode} ${job.scenario}/${job.dest}: exit ${code ?? signal}${stderr ? ': ' + stderr.trim().slice(0, 1500) : ''}`,
          ),
        );
        return;
      }
      const result: WorkerResult = { report: JSON.parse(line) as WorkerReport, wallNs };
      if (job.dest === 'file' && job.file) Object.assign(result, countLines(job.file));
      resolve(result);
    });
  });
}

/** Counts newline bytes in a file (to check that every line reached it). */
export function countLines(path: string): { fileLines: number; fileBytes: number } {
  let fileBytes = 0;
  try {
    fileBytes = statSync(path).size;
  } catch {
    return { fileLines: 0, fileBytes: 0 };
  }
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  let fileLines = 0;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n <= 0) break;
      let at = buf.indexOf(10, 0);
      while (at !== -1 && at < n) {
        fileLines++;
        at = buf.indexOf(10, at + 1);
      }
    }
  } finally {
    closeSync(fd);
  }
  return { fileLines, fileBytes };
}
