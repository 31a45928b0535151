/**
 * The `attach` suite: what attaching costs pino's and winston's own hot paths. The same calls run
 * on the library alone and on the library attached to logdial (`logdial/pino`, `logdial/winston`),
 * alternating within each round, each measurement in its own process; the table shows medians of
 * CPU nanoseconds per call (user + system: steadier than wall time on a shared machine) and the
 * ratio attached / alone (the goal: at most 1.05). A third variant, alone with logdial's adapter
 * module loaded but nothing attached, tells what attaching costs from what loading logdial costs.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { AttachCall, AttachJob, AttachLib } from './attach-worker.js';
import { benchDir } from './common.js';
import { median } from './stats.js';

type Variant = 'alone' | 'imported' | 'attached';

const CALLS: Record<AttachLib, Record<AttachCall, number>> = {
  pino: { enabled: 300_000, disabled: 20_000_000, 'child-enabled': 300_000, 'child-disabled': 20_000_000 },
  winston: { enabled: 60_000, disabled: 300_000, 'child-enabled': 60_000, 'child-disabled': 300_000 },
};

function measure(job: AttachJob): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(benchDir(), 'attach-worker.js'), JSON.stringify(job)], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-2000)));
    (child.stdio[3] as NodeJS.ReadableStream).setEncoding('utf8').on('data', (d: string) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop();
      if (code !== 0 || !line)
        reject(
          new Error(`attach ${job.lib} ${job.call}${job.attached ? ' attached' : ''}: exit ${code}: ${err.trim()}`),
        );
      else resolve((JSON.parse(line) as { cpuNsPerCall: number }).cpuNsPerCall);
    });
  });
}

export interface AttachSummary {
  table: { header: string[]; rows: string[][] };
  note: string;
  rows: Array<{
    lib: AttachLib;
    call: AttachCall;
    calls: number;
    aloneNs: number;
    importedNs: number;
    attachedNs: number;
    ratio: number;
  }>;
}

export async function run(options: { quick?: boolean; log?: (msg: string) => void }): Promise<AttachSummary> {
  const rounds = options.quick ? 3 : 7;
  const samples = new Map<string, number[]>();
  const libs: AttachLib[] = ['pino', 'winston'];
  const calls: AttachCall[] = ['enabled', 'disabled', 'child-enabled', 'child-disabled'];
  for (let round = 0; round < rounds; round++) {
    for (const lib of libs) {
      for (const call of calls) {
        // Rotate which variant goes first, round by round.
        const variants: Variant[] = ['alone', 'imported', 'attached'];
        for (let k = 0; k < variants.length; k++) {
          const variant = variants[(k + round) % variants.length]!;
          const key = `${lib}|${call}|${variant}`;
          const ns = await measure({
            lib,
            attached: variant === 'attached',
            imported: variant === 'imported',
            call,
            calls: CALLS[lib][call] / (options.quick ? 2 : 1),
          });
          samples.set(key, [...(samples.get(key) ?? []), ns]);
        }
      }
    }
    options.log?.(`\r  attach round ${round + 1}/${rounds}`);
  }
  options.log?.('\n');
  const rows: AttachSummary['rows'] = [];
  for (const lib of libs) {
    for (const call of calls) {
      const aloneNs = median(samples.get(`${lib}|${call}|alone`)!);
      const importedNs = median(samples.get(`${lib}|${call}|imported`)!);
      const attachedNs = median(samples.get(`${lib}|${call}|attached`)!);
      rows.push({ lib, call, calls: CALLS[lib][call], aloneNs, importedNs, attachedNs, ratio: attachedNs / aloneNs });
    }
  }
  const fmt = (ns: number) => (ns < 10 ? ns.toFixed(2) : ns < 100 ? ns.toFixed(1) : ns.toFixed(0));
  return {
    rows,
    table: {
      header: [
        'library',
        'call',
        'alone (CPU ns/call)',
        'logdial loaded, not attached',
        'attached (CPU ns/call)',
        'attached / alone',
        'attached / loaded',
      ],
      rows: rows.map((r) => [
        r.lib,
        r.call,
        fmt(r.aloneNs),
        fmt(r.importedNs),
        fmt(r.attachedNs),
        r.ratio.toFixed(3),
        (r.attachedNs / r.importedNs).toFixed(3),
      ]),
    },
    note: `Medians of ${rounds} rounds of the process's CPU time (user + system) per call, each measurement in its own process, the three variants in turn; goal: attached / alone ≤ 1.05. "logdial loaded, not attached": alone, with logdial's adapter module imported (what loading logdial costs the library's calls, attach or not). enabled: info('hello world') on an INFO logger writing JSON to stdout → /dev/null; disabled: debug('hello world') on it; child-*: the same on a child bound with module 'db'.`,
  };
}
