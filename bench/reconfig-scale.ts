/**
 * What a reconfiguration costs the main thread as the number of loggers grows: one process per
 * logger count (500, 2,000, 10,000, 50,000; `--quick` stops at 10,000) creates that many loggers
 * in a two-level hierarchy (`svc<k>.mod<i>`), then times, in-process and synchronously (so every
 * figure is a pause of the thread that logs; the millisecond figures are CPU time, the one
 * `setLevel` the median wall time of 1,000):
 *
 * - `setLevel` of one leaf logger (median of 1,000 alternating changes);
 * - 200 `setLevel` calls on 200 different leaf loggers;
 * - `dictConfig` naming 200 loggers with levels (a root handler; `disable_existing_loggers` false,
 *   and true once the other loggers are disabled — plus the first such config, which disables
 *   every other logger and so changes them all);
 * - a control `set` of 200 logger levels (`executeCommand`, what a push of levels runs).
 *
 * Run as `node reconfig-scale.js <loggers>` it is that worker and prints one JSON line.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from './stats.js';
import type { DictConfig } from '../src/index.js';

export interface ScaleRow {
  loggers: number;
  /** One `setLevel` on one leaf logger, µs (median). */
  setLevelOneUs: number;
  /** 200 `setLevel` calls on 200 leaf loggers, ms. */
  setLevel200Ms: number;
  /** `dictConfig` of 200 logger levels, existing loggers kept, ms. */
  dictConfig200Ms: number;
  /** The same with `disable_existing_loggers: true`, the other loggers already disabled, ms. */
  dictConfig200DisableMs: number;
  /** The first such config, which disables every other logger, ms. */
  firstDisableAllMs: number;
  /** `executeCommand({ op: 'set' })` of 200 logger levels, ms. */
  controlSet200Ms: number;
  /** The fastest repeat of each ms figure above (same keys): the cost without interference. */
  fastest?: { setLevel200Ms: number; dictConfig200Ms: number; dictConfig200DisableMs: number; controlSet200Ms: number };
}

export interface ScaleSummary {
  rows: ScaleRow[];
  note: string;
}

const CHANGED = 200;
const REPEATS = 11;

function leafName(i: number): string {
  return `svc${i % 50}.mod${i}`;
}

async function worker(count: number): Promise<ScaleRow> {
  const logdial = await import('../src/index.js');
  const { executeCommand } = await import('../src/control/operations.js');
  logdial.getRootLogger().setLevel('INFO');
  for (let i = 0; i < count; i++) logdial.getLogger(leafName(i));
  const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
  // CPU time of the process (µs resolution): on a shared machine a wall clock also counts the
  // time this process waited for a core.
  const cpuStart = () => process.cpuUsage();
  const cpuMs = (c0: NodeJS.CpuUsage) => {
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000;
  };
  const leaf = logdial.getLogger(leafName(7));
  const one: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const t0 = process.hrtime.bigint();
    leaf.setLevel(i % 2 === 0 ? 'DEBUG' : 'ERROR');
    one.push(ms(t0) * 1000);
  }
  const names = Array.from({ length: CHANGED }, (_, i) => leafName(Math.floor((i * count) / CHANGED)));
  const many: number[] = [];
  const dict: number[] = [];
  const dictDisable: number[] = [];
  const control: number[] = [];
  const dictWith = (level: string, disable: boolean): DictConfig => ({
    version: 1,
    disable_existing_loggers: disable,
    handlers: { null: { class: 'logging.NullHandler' } },
    root: { level: 'INFO', handlers: ['null'] },
    loggers: Object.fromEntries(names.map((n) => [n, { level }])),
  });
  const requester = { via: 'local' as const, user: 'bench' };
  // Round 0 warms up (lazy imports, first compilation) and is not counted.
  for (let r = -1; r < REPEATS; r++) {
    const level = r % 2 === 0 ? 'DEBUG' : 'WARNING';
    let t0 = cpuStart();
    for (const n of names) logdial.getLogger(n).setLevel(level);
    if (r >= 0) many.push(cpuMs(t0));
    const config = dictWith(r % 2 === 0 ? 'ERROR' : 'DEBUG', false);
    t0 = cpuStart();
    logdial.dictConfig(config);
    if (r >= 0) dict.push(cpuMs(t0));
    const levels = Object.fromEntries(names.map((n) => [n, r % 2 === 0 ? 'ERROR' : 'INFO']));
    t0 = cpuStart();
    // Synchronous inside: the promise only carries the reply.
    const pending = executeCommand({ op: 'set', levels }, requester);
    if (r >= 0) control.push(cpuMs(t0));
    const answer = await pending;
    if (!answer.ok) throw new Error(`set rejected: ${JSON.stringify(answer.error)}`);
  }
  // disable_existing_loggers: the first such config disables every other logger (a change to all
  // of them); the repeats change the 200 levels only.
  let firstDisableMs = 0;
  for (let r = 0; r <= REPEATS; r++) {
    const disabling = dictWith(r % 2 === 0 ? 'DEBUG' : 'WARNING', true);
    const t0 = cpuStart();
    logdial.dictConfig(disabling);
    if (r === 0) firstDisableMs = cpuMs(t0);
    else dictDisable.push(cpuMs(t0));
  }
  return {
    loggers: count,
    setLevelOneUs: median(one),
    setLevel200Ms: median(many),
    dictConfig200Ms: median(dict),
    dictConfig200DisableMs: median(dictDisable),
    firstDisableAllMs: firstDisableMs,
    controlSet200Ms: median(control),
    fastest: {
      setLevel200Ms: Math.min(...many),
      dictConfig200Ms: Math.min(...dict),
      dictConfig200DisableMs: Math.min(...dictDisable),
      controlSet200Ms: Math.min(...control),
    },
  };
}

export function run(options: { quick?: boolean; log?: (m: string) => void } = {}): ScaleSummary {
  const log = options.log ?? (() => {});
  const counts = options.quick ? [500, 2_000, 10_000] : [500, 2_000, 10_000, 50_000];
  const rows: ScaleRow[] = [];
  for (const count of counts) {
    log(`\r  reconfiguration at ${count} loggers      `);
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), String(count)], {
      encoding: 'utf8',
      timeout: 300_000,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    rows.push(JSON.parse(out.trim().split('\n').pop()!) as ScaleRow);
  }
  log('\n');
  return {
    rows,
    note: `In-process, synchronous (a pause of the logging thread): CPU time of the process, median of ${REPEATS} repeats after a warm-up, and in brackets the fastest repeat (the median also counts the GC's helper threads and, on a loaded machine, more); one setLevel: median wall time of 1,000. Loggers svc<k>.mod<i> under 50 parents; the ${CHANGED} changed loggers are spread over them.`,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const count = Number(process.argv[2]);
  worker(count).then(
    (row) => {
      process.stdout.write(JSON.stringify(row) + '\n');
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(String(error instanceof Error ? error.stack : error) + '\n');
      process.exit(1);
    },
  );
}
