/**
 * What a caller capture costs in V8: logdial's `captureCallSite` (src/core/caller.ts) called
 * through a small logger-like method from an optimised caller, from a caller kept unoptimised, and
 * the fixed cost of an `Error.captureStackTrace` that collects no frame at all.
 *
 *   node --allow-natives-syntax dist/bench/caller-cost.js     (prints JSON)
 *
 * `run()` (used by bench/run.ts) spawns it with the flag.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { captureCallSite, describeCallSite } from '../src/core/caller.js';

export interface CallerCost {
  /** ns per captureCallSite() from an optimised caller (the normal case in a hot path). */
  optimizedNs: number;
  /** ns per captureCallSite() + describeCallSite(). */
  optimizedDescribeNs: number;
  /** ns per captureCallSite() from a caller V8 is told never to optimise. */
  unoptimizedNs: number;
  /** ns per Error.captureStackTrace with stackTraceLimit = 0 (the fixed part, no frame walked). */
  noFrameNs: number;
  /** ns per Error.captureStackTrace(holder, entry) with stackTraceLimit = 1, `.stack` never read. */
  captureOnlyNs: number;
}

class MiniLogger {
  info(_msg: string): NodeJS.CallSite | undefined {
    return captureCallSite(this.info);
  }
}

function measure(f: () => unknown, n: number): number {
  for (let i = 0; i < n / 5; i++) f();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) f();
  return Number(process.hrtime.bigint() - t0) / n;
}

function child(): CallerCost {
  const log = new MiniLogger();
  const n = 300_000;
  function write_logs(): unknown {
    return log.info('hello');
  }
  function write_logs_described(): unknown {
    return describeCallSite(log.info('hello'));
  }
  function write_logs_cold(): unknown {
    return log.info('hello');
  }
  const holder = {};
  class CaptureOnly {
    info(_msg: string): unknown {
      const saved = Error.stackTraceLimit;
      Error.stackTraceLimit = 1;
      Error.captureStackTrace(holder, this.info);
      Error.stackTraceLimit = saved;
      return holder;
    }
  }
  const bare = new CaptureOnly();
  function write_logs_capture_only(): unknown {
    return bare.info('hello');
  }
  function noFrame(): unknown {
    const saved = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    Error.captureStackTrace(holder, noFrame);
    Error.stackTraceLimit = saved;
    return holder;
  }
  // Keep the "cold" caller and the logger method out of the optimiser (needs --allow-natives-syntax).
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- V8 natives syntax cannot appear in TypeScript source
  const never = new Function('f', '%NeverOptimizeFunction(f)') as (f: unknown) => void;
  never(write_logs_cold);
  const optimizedNs = measure(write_logs, n);
  const optimizedDescribeNs = measure(write_logs_described, n);
  const unoptimizedNs = measure(write_logs_cold, n);
  const noFrameNs = measure(noFrame, n);
  const captureOnlyNs = measure(write_logs_capture_only, n);
  return { optimizedNs, optimizedDescribeNs, unoptimizedNs, noFrameNs, captureOnlyNs };
}

export function run(): Promise<CallerCost> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--allow-natives-syntax', fileURLToPath(import.meta.url)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    p.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    p.on('close', (code) => {
      if (code !== 0) reject(new Error(`caller-cost: exit ${code}: ${err.trim()}`));
      else resolve(JSON.parse(out) as CallerCost);
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(JSON.stringify(child()) + '\n');
}
