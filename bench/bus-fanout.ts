/**
 * Redis bus fan-out: one `set` to N endpoints (default 1000) through a local redis-server started
 * here, timed from the start of `send()` (presence listing included, as the CLI does it) until
 * every endpoint has acknowledged. Several rounds after a warm-up; p50/p95 reported.
 *
 * The endpoints live in a few child processes (this same file with `--child`), each endpoint its
 * own identity, presence entry and pair of Redis connections, so the client's event loop is not
 * the one doing the endpoints' work. Their `execute` only records the levels: this measures the
 * bus, not config parsing (see the control benchmark for that).
 *
 * Usage: `node dist/bench/bus-fanout.js [--endpoints 1000] [--processes 4] [--rounds 10] [--json]`;
 * `bench/run.ts` imports {@link run}.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { connectBusClient } from '../src/control/bus/client.js';
import { startBusEndpoint } from '../src/control/bus/endpoint.js';
import type { ControlCommand, ControlReply, ProcessIdentity } from '../src/control/protocol.js';
import { findRedisServer, startRedis, waitUntil } from '../test/helpers/redis.js';
import { percentile } from './stats.js';

/** Options of {@link run}. */
export interface BusFanoutOptions {
  /** Endpoints in total (default 1000). */
  endpoints?: number;
  /** Child processes hosting them (default 4). */
  processes?: number;
  /** Measured rounds after one warm-up (default 10; 5 with `quick`; at least 5). */
  rounds?: number;
  quick?: boolean;
  /** Progress lines. */
  log?: (msg: string) => void;
}

/** What {@link run} returns (also printed with `--json`). */
export interface BusFanoutResult {
  endpoints: number;
  processes: number;
  rounds: number;
  /** Round trips in ms, one per measured round. */
  samplesMs: number[];
  p50Ms: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
  /** Every round acknowledged by every endpoint. */
  allAcknowledged: boolean;
  targetMs: number;
  meetsTarget: boolean;
  redis: string;
  /** For bench/render.ts. */
  table: { header: string[]; rows: string[][] };
  note: string;
}

const TARGET_MS = 500;
const APP = 'bench-fanout';

/** Runs the benchmark; resolves `{ skipped }` when no redis-server is installed. */
export async function run(options: BusFanoutOptions = {}): Promise<BusFanoutResult | { skipped: string }> {
  const log = options.log ?? (() => undefined);
  if (!findRedisServer()) return { skipped: 'redis-server not found (apt-get install redis-server)' };
  // Quick runs keep the 1000 endpoints (the target is about them) and only measure fewer rounds.
  const endpoints = options.endpoints ?? 1000;
  const processes = Math.max(1, Math.min(options.processes ?? 4, endpoints));
  // At least 5 rounds: a p95 of fewer samples says nothing.
  const rounds = Math.max(5, options.rounds ?? (options.quick ? 5 : 10));
  const redis = await startRedis();
  const children: ChildProcess[] = [];
  let client: Awaited<ReturnType<typeof connectBusClient>> | null = null;
  try {
    const version = await redisVersion();
    const self = fileURLToPath(import.meta.url);
    for (let i = 0; i < processes; i++) {
      const count = Math.floor(endpoints / processes) + (i < endpoints % processes ? 1 : 0);
      const child = spawn(process.execPath, [self, '--child'], {
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, BUS_URL: redis.url, BUS_APP: APP, BUS_COUNT: String(count), BUS_NAME: `bench${i}` },
      });
      children.push(child);
    }
    client = await connectBusClient(redis.url);
    log(`    waiting for ${endpoints} endpoints in ${processes} processes…\n`);
    await waitUntil(
      async () => (await client!.list({ app: APP })).length === endpoints,
      120_000,
      `${endpoints} endpoints are present`,
      250,
    );

    const samples: number[] = [];
    let allAcknowledged = true;
    for (let round = 0; round <= rounds; round++) {
      const cmd: ControlCommand = { op: 'set', levels: { root: round % 2 ? 'DEBUG' : 'INFO' } };
      const started = performance.now();
      const { replies, missing } = await client.send(cmd, { app: APP }, 10_000);
      const ms = performance.now() - started;
      const ok = missing.length === 0 && replies.length === endpoints && replies.every((r) => r.ok);
      if (round === 0) continue; // warm-up: connections and JIT
      if (!ok) allAcknowledged = false;
      samples.push(ms);
      log(`    round ${round}: ${ms.toFixed(1)} ms, ${replies.length} acks, ${missing.length} missing\n`);
      // Separate commands, as from separate CLI runs: let the previous fan-out settle (the
      // endpoints refresh their presence up to 1 s after a change).
      await new Promise((r) => setTimeout(r, 1200));
    }
    const p50 = percentile(samples, 50);
    const p95 = percentile(samples, 95);
    const f = (x: number) => x.toFixed(1);
    return {
      endpoints,
      processes,
      rounds,
      samplesMs: samples.map((x) => Math.round(x * 10) / 10),
      p50Ms: Math.round(p50 * 10) / 10,
      p95Ms: Math.round(p95 * 10) / 10,
      minMs: Math.round(Math.min(...samples) * 10) / 10,
      maxMs: Math.round(Math.max(...samples) * 10) / 10,
      allAcknowledged,
      targetMs: TARGET_MS,
      meetsTarget: allAcknowledged && p95 < TARGET_MS,
      redis: version,
      table: {
        header: [
          'endpoints',
          'processes',
          'rounds',
          'p50 ms',
          'p95 ms',
          'max ms',
          'all acknowledged',
          `target < ${TARGET_MS} ms`,
        ],
        rows: [
          [
            String(endpoints),
            String(processes),
            String(rounds),
            f(p50),
            f(p95),
            f(Math.max(...samples)),
            allAcknowledged ? 'yes' : 'NO',
            allAcknowledged && p95 < TARGET_MS ? 'met' : 'MISSED',
          ],
        ],
      },
      note:
        `One \`set\` to every endpoint of an app through a local ${version}; round trip = from the start of send() ` +
        '(presence listing, storing the desired override, PUBLISH) until every endpoint has acknowledged on the reply channel. ' +
        'Each endpoint is its own identity, presence entry and pair of Redis connections.',
    };
  } finally {
    await client?.close();
    for (const child of children) child.kill('SIGKILL');
    await redis.dispose();
  }

  async function redisVersion(): Promise<string> {
    const binary = findRedisServer()!;
    return await new Promise<string>((resolve) => {
      const p = spawn(binary, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      p.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      p.on('close', () =>
        resolve(/v=(\S+)/.exec(out)?.[1] ? `redis-server ${/v=(\S+)/.exec(out)![1]}` : 'redis-server'),
      );
      p.on('error', () => resolve('redis-server'));
    });
  }
}

/** Child mode: host BUS_COUNT endpoints with a trivial executor until killed. */
function child(): void {
  const url = process.env['BUS_URL']!;
  const count = Number(process.env['BUS_COUNT'] ?? 1);
  const startedAt = new Date().toISOString();
  for (let k = 0; k < count; k++) {
    const identity: ProcessIdentity = {
      pid: process.pid,
      app: APP,
      processName: `${process.env['BUS_NAME']}/ep${k}`,
      host: hostname(),
      startedAt,
      version: 'bench',
    };
    let levels: Record<string, string> = { root: 'WARNING' };
    const execute = (cmd: ControlCommand): Promise<ControlReply> => {
      if (cmd.op === 'set')
        levels = {
          ...levels,
          ...Object.fromEntries(Object.entries(cmd.levels).map(([n, l]) => [n || 'root', String(l)])),
        };
      if (cmd.op === 'revert') levels = { root: 'WARNING' };
      return Promise.resolve({
        ok: true,
        op: cmd.op,
        result: cmd.op === 'ping' ? 'pong' : 'applied',
        process: identity,
        levels,
        override: null,
      });
    };
    startBusEndpoint(url, { app: APP, identity, execute, unref: false });
  }
  setInterval(() => undefined, 1 << 30);
}

function argValue(name: string): number | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? Number(process.argv[i + 1]) : undefined;
}

const direct = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (direct && process.argv.includes('--child')) {
  child();
} else if (direct) {
  const json = process.argv.includes('--json');
  run({
    endpoints: argValue('--endpoints'),
    processes: argValue('--processes'),
    rounds: argValue('--rounds'),
    quick: process.argv.includes('--quick'),
    log: json ? undefined : (m) => process.stderr.write(m),
  })
    .then((result) => {
      if (json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      else if ('skipped' in result) process.stdout.write(`bus fan-out skipped: ${result.skipped}\n`);
      else
        process.stdout.write(
          `bus fan-out: ${result.endpoints} endpoints in ${result.processes} processes, ${result.rounds} rounds: ` +
            `p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms, max ${result.maxMs} ms; all acknowledged: ${result.allAcknowledged}; ` +
            `target < ${result.targetMs} ms ${result.meetsTarget ? 'met' : 'MISSED'}\n`,
        );
      process.exit(0);
    })
    .catch((error) => {
      process.stderr.write(String(error instanceof Error ? (error.stack ?? error.message) : error) + '\n');
      process.exit(1);
    });
}
