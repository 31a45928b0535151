/**
 * What a Node service does per request, logdial beside pino in the same run: the `pino` preset
 * against pino itself, a child logger made and used once (pino's `child`), a line inside
 * `withContext` (pino with an AsyncLocalStorage `mixin`, its documented way to carry request
 * context), and two redacted paths (pino's `redact`). Every logdial variant writes the pino
 * preset, so both sides write the same line; each measurement runs in its own process writing
 * to /dev/null, rounds alternate the order, and the table shows medians.
 *
 *   node dist/bench/services.js                     (prints JSON; `npm run bench -- --only services` renders it)
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { WorkerJob, WorkerReport } from './common.js';
import { runWorker } from './spawn.js';
import { median } from './stats.js';
import { writeSync } from 'node:fs';

const require = createRequire(import.meta.url);

export const SERVICE_SCENARIOS = {
  preset: "info('hello world'): the pino preset against pino",
  object: 'info with an object of 4 fields: the pino preset against pino',
  child: "child({ reqId }) made per request, then info('hello world')",
  context: "info('hello world') inside a per-request context (withContext against an AsyncLocalStorage mixin)",
  redact: 'info with two redacted paths (user.password, req.headers.authorization)',
} as const;
export type ServiceScenario = keyof typeof SERVICE_SCENARIOS;
export const SERVICE_LIBS = ['logdial', 'pino-sync', 'pino-async'] as const;
export type ServiceLib = (typeof SERVICE_LIBS)[number];

export interface ServicesResult {
  lines: number;
  rounds: number;
  rows: Array<{ scenario: ServiceScenario; lib: ServiceLib; linesPerSec: number }>;
  /** logdial lines/s ÷ pino's, per scenario. */
  ratios: Array<{ scenario: ServiceScenario; theirs: 'pino-sync' | 'pino-async'; ratio: number }>;
}

const REDACT_PATHS = ['user.password', 'req.headers.authorization'];
const object = (i: number) => ({ user: 'alice', id: i, ok: true, path: '/api/v1/orders' });
const secrets = (i: number) => ({
  user: { name: 'alice', password: 'hunter2' },
  req: { headers: { authorization: 'Bearer x', host: 'h' } },
  id: i,
});

type Call = (i: number) => void;

async function logdialCall(scenario: ServiceScenario): Promise<[Call, () => unknown]> {
  const lib = await import('../src/index.js');
  const log = lib.getLogger('app');
  log.setLevel('INFO');
  const handler = new lib.StreamHandler('stdout');
  handler.setFormatter(new lib.JsonFormatter({ preset: 'pino' }));
  log.addHandler(handler);
  if (scenario === 'redact') lib.setRedaction(REDACT_PATHS);
  const calls: Record<ServiceScenario, Call> = {
    preset: () => log.info('hello world'),
    object: (i) => log.info(object(i), 'hello world'),
    child: (i) => log.child({ reqId: i }).info('hello world'),
    context: (i) => lib.withContext({ reqId: i }, () => log.info('hello world')),
    redact: (i) => log.info(secrets(i), 'hello world'),
  };
  return [calls[scenario], () => lib.shutdown()];
}

function pinoCall(scenario: ServiceScenario, sync: boolean): [Call, () => unknown] {
  const pino = (require('pino') as typeof import('pino')).pino;
  const dest = pino.destination({ dest: 1, sync });
  const als = new AsyncLocalStorage<Record<string, unknown>>();
  const options: Record<string, unknown> = { level: 'info', name: 'app' };
  if (scenario === 'context') options['mixin'] = () => als.getStore() ?? {};
  if (scenario === 'redact') options['redact'] = REDACT_PATHS;
  const log = pino(options, dest);
  const calls: Record<ServiceScenario, Call> = {
    preset: () => log.info('hello world'),
    object: (i) => log.info(object(i), 'hello world'),
    child: (i) => log.child({ reqId: i }).info('hello world'),
    context: (i) => als.run({ reqId: i }, () => log.info('hello world')),
    redact: (i) => log.info(secrets(i), 'hello world'),
  };
  return [calls[scenario], () => dest.end()];
}

/** The worker: N calls, then the flush; the clock stops when the process is about to exit. */
async function worker(lib: ServiceLib, scenario: ServiceScenario, n: number): Promise<void> {
  const s0 = process.hrtime.bigint();
  const [call, flush] = lib === 'logdial' ? await logdialCall(scenario) : pinoCall(scenario, lib === 'pino-sync');
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) call(i);
  const tLoop = process.hrtime.bigint();
  process.on('exit', () => {
    const r: WorkerReport = {
      lib: 'logdial-json',
      ns: Number(process.hrtime.bigint() - t0),
      loopNs: Number(tLoop - t0),
      setupNs: Number(t0 - s0),
      lines: n,
      maxRssKb: process.resourceUsage().maxRSS,
    };
    writeSync(3, JSON.stringify(r) + '\n');
  });
  await flush();
}

export async function run(opts: { quick?: boolean; log?: (msg: string) => void } = {}): Promise<ServicesResult> {
  const rounds = opts.quick ? 2 : 5;
  const lines = opts.quick ? 20_000 : 50_000;
  const scenarios = Object.keys(SERVICE_SCENARIOS) as ServiceScenario[];
  const samples = new Map<string, number[]>();
  const self = fileURLToPath(import.meta.url);
  let turn = 0;
  for (let round = 0; round < rounds; round++) {
    for (const scenario of scenarios) {
      const k = turn++ % SERVICE_LIBS.length;
      for (const lib of [...SERVICE_LIBS.slice(k), ...SERVICE_LIBS.slice(0, k)]) {
        const job = {
          lib: 'logdial-json',
          mode: 'throughput',
          scenario,
          dest: 'devnull',
          lines,
        } as unknown as WorkerJob;
        const r = await runWorker(
          job,
          180_000,
          [],
          [process.execPath, [self, '--worker', lib, scenario, String(lines)]],
        );
        const key = `${scenario}|${lib}`;
        samples.set(key, [...(samples.get(key) ?? []), r.report.lines / (r.report.ns / 1e9)]);
      }
      opts.log?.(`\r  services ${round + 1}/${rounds} ${scenario}        `);
    }
  }
  opts.log?.('\n');
  const rows = [...samples].map(([key, v]) => {
    const [scenario, lib] = key.split('|') as [ServiceScenario, ServiceLib];
    return { scenario, lib, linesPerSec: median(v) };
  });
  const rate = (scenario: string, lib: string) =>
    rows.find((r) => r.scenario === scenario && r.lib === lib)!.linesPerSec;
  const ratios = scenarios.flatMap((scenario) =>
    (['pino-sync', 'pino-async'] as const).map((theirs) => ({
      scenario,
      theirs,
      ratio: rate(scenario, 'logdial') / rate(scenario, theirs),
    })),
  );
  return { lines, rounds, rows, ratios };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === '--worker') {
    worker(process.argv[3] as ServiceLib, process.argv[4] as ServiceScenario, Number(process.argv[5])).catch(
      (error) => {
        process.stderr.write(String(error instanceof Error ? (error.stack ?? error.message) : error) + '\n');
        process.exitCode = 2;
      },
    );
  } else {
    void run({ quick: process.argv.includes('--quick'), log: (m) => process.stderr.write(m) }).then((r) =>
      process.stdout.write(JSON.stringify(r, null, 2) + '\n'),
    );
  }
}
