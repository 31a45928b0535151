/**
 * One measurement of the `attach` suite in its own process:
 * `node attach-worker.js '{"lib":"pino","attached":true,"call":"disabled","calls":N}'`.
 *
 * pino (synchronous destination) or winston (Console transport) writes to stdout, which the
 * harness points at /dev/null; with `attached`, the logger is attached to logdial first
 * (`logdial/pino`, `logdial/winston`). The clock covers the calls and, for enabled calls, the
 * writes they queued (it stops when the process is about to exit). Report: one JSON line on fd 3.
 */
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';

export type AttachLib = 'pino' | 'winston';
export type AttachCall = 'enabled' | 'disabled' | 'child-enabled' | 'child-disabled';

export interface AttachJob {
  lib: AttachLib;
  attached: boolean;
  /** Alone, but with the adapter module loaded (what loading logdial costs, without attaching). */
  imported?: boolean;
  call: AttachCall;
  calls: number;
}

const require = createRequire(import.meta.url);

interface LevelLogger {
  info(msg: string): unknown;
  debug(msg: string): unknown;
  child(meta: Record<string, unknown>): LevelLogger;
}

async function logger(job: AttachJob): Promise<LevelLogger> {
  if (job.lib === 'pino') {
    const pino = require('pino') as ((options: object, dest: unknown) => LevelLogger) & {
      destination: (o: object) => unknown;
    };
    const log = pino({ name: 'app', level: 'info' }, pino.destination({ dest: 1, sync: true }));
    if (!job.attached && !job.imported) return log;
    const { attach } = await import('../src/adapters/pino.js');
    return job.attached ? attach(log as never) : log;
  }
  const winston = require('winston') as typeof import('winston');
  const log = winston.createLogger({
    level: 'info',
    format: winston.format.json(),
    transports: [new winston.transports.Console()],
  }) as LevelLogger;
  if (!job.attached && !job.imported) return log;
  const { attach } = await import('../src/adapters/winston.js');
  return job.attached ? attach(log as never, { name: 'app' }) : log;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as AttachJob;
  const root = await logger(job);
  const log = job.call.startsWith('child') ? root.child({ module: 'db' }) : root;
  const call = job.call.endsWith('disabled') ? () => log.debug('hello world') : () => log.info('hello world');
  // Warm-up: a tenth of the calls, so the timed loop runs optimised code.
  for (let i = 0; i < job.calls / 10; i++) call();
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < job.calls; i++) call();
  process.on('exit', () => {
    const ns = Number(process.hrtime.bigint() - t0);
    const cpu = process.cpuUsage(cpu0);
    const cpuNs = (cpu.user + cpu.system) * 1000;
    writeSync(
      3,
      JSON.stringify({ ...job, ns, cpuNs, nsPerCall: ns / job.calls, cpuNsPerCall: cpuNs / job.calls }) + '\n',
    );
  });
}

main().catch((error) => {
  process.stderr.write(`attach-worker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 2;
});
