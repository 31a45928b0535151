/**
 * Redis bus fan-out: one `set` to 1,000 endpoints, each with its own pair of Redis connections, and
 * to 10,000 endpoints sharing one pair per process, through a local redis-server started here, timed from the start of `send()` (presence listing included, as the CLI does it) until
 * every endpoint has acknowledged. Several rounds after a warm-up; p50/p95 reported.
 *
 * The endpoints live in a few child processes (this same file with `--child`), each endpoint its
 * own identity and presence entry, so the client's event loop is not
 * the one doing the endpoints' work. Their `execute` only records the levels: this measures the
 * bus, not config parsing (see the control benchmark for that).
 *
 * Usage: `node dist/bench/bus-fanout.js [--endpoints N [--processes P] [--shared]] [--rounds 10] [--json]`;
 * `bench/run.ts` imports {@link run}.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { connectBusClient } from '../src/control/bus/client.js';
import { shareBusConnections, startBusEndpoint } from '../src/control/bus/endpoint.js';
import type { ControlCommand, ControlReply, ProcessIdentity } from '../src/control/protocol.js';
import { findRedisServer, startRedis, waitUntil } from '../test/helpers/redis.js';
import { percentile } from './stats.js';

/** Options of {@link run}. */
export interface BusFanoutOptions {
  /** Endpoints in total: one configuration instead of the default two (1,000 own, 10,000 shared). */
  endpoints?: number;
  /** Child processes hosting them (with `endpoints`; default 4). */
  processes?: number;
  /** With `endpoints`: one pair of Redis connections per process shared by its endpoints. */
  shared?: boolean;
  /** Measured rounds after one warm-up (default 10; 5 with `quick`; at least 5). */
  rounds?: number;
  quick?: boolean;
  /** Progress lines. */
  log?: (msg: string) => void;
}

/** One configuration: how many endpoints, in how many processes, on whose connections. */
interface Layout {
  endpoints: number;
  processes: number;
  /** Each process's endpoints share one pair of connections (else each has its own pair). */
  shared: boolean;
  /** p50 goal in ms. */
  targetMs: number;
  /** Presence heartbeat of each endpoint (ms; the endpoint's default is 5,000). */
  heartbeatMs: number;
}

/** One configuration measured. */
export interface BusFanoutRow extends Layout {
  /** Round trips in ms, one per measured round. */
  samplesMs: number[];
  p50Ms: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
  /** Every round acknowledged by every endpoint. */
  allAcknowledged: boolean;
  meetsTarget: boolean;
}

/** What {@link run} returns (also printed with `--json`). */
export interface BusFanoutResult {
  rows: BusFanoutRow[];
  rounds: number;
  redis: string;
  /** For bench/render.ts. */
  table: { header: string[]; rows: string[][] };
  note: string;
}

/**
 * 1,000 endpoints with a pair of connections each (4 processes, as before), and 10,000 sharing
 * one pair per process: 20,000 connections would measure the machine's file and socket limits.
 */
const LAYOUTS: Layout[] = [
  { endpoints: 1000, processes: 4, shared: false, targetMs: 500, heartbeatMs: 5000 },
  // 10,000 heartbeats every 5 s are 2,000 Redis round trips a second on 2 shared cores: presence
  // entries expired before their refresh and the fleet was never all listed. 30 s keeps it listed.
  { endpoints: 10_000, processes: 8, shared: true, targetMs: 300, heartbeatMs: 30_000 },
];
const APP = 'bench-fanout';

/** Runs the benchmark; resolves `{ skipped }` when no redis-server is installed. */
export async function run(options: BusFanoutOptions = {}): Promise<BusFanoutResult | { skipped: string }> {
  const log = options.log ?? (() => undefined);
  if (!findRedisServer()) return { skipped: 'redis-server not found (apt-get install redis-server)' };
  const layouts =
    options.endpoints === undefined
      ? LAYOUTS
      : [
          {
            endpoints: options.endpoints,
            processes: Math.max(1, Math.min(options.processes ?? 4, options.endpoints)),
            shared: options.shared ?? false,
            targetMs: options.endpoints > 1000 ? 300 : 500,
            heartbeatMs: options.endpoints > 1000 ? 30_000 : 5000,
          },
        ];
  // At least 5 rounds: a p95 of fewer samples says nothing.
  const rounds = Math.max(5, options.rounds ?? (options.quick ? 5 : 10));
  const rows: BusFanoutRow[] = [];
  let version = 'redis-server';
  for (const layout of layouts) {
    const redis = await startRedis();
    try {
      version = await redisVersion();
      rows.push(await measure(redis.url, layout, rounds, log));
    } finally {
      await redis.dispose();
    }
  }
  return { rows, rounds, redis: version, table: tableOf(rows), note: noteOf(version) };
}

/** Starts the layout's endpoints against `url`, then times `rounds` fan-outs after a warm-up. */
async function measure(url: string, layout: Layout, rounds: number, log: (msg: string) => void): Promise<BusFanoutRow> {
  const { endpoints, processes } = layout;
  const children: ChildProcess[] = [];
  let client: Awaited<ReturnType<typeof connectBusClient>> | null = null;
  try {
    const self = fileURLToPath(import.meta.url);
    for (let i = 0; i < processes; i++) {
      const count = Math.floor(endpoints / processes) + (i < endpoints % processes ? 1 : 0);
      const child = spawn(process.execPath, [self, '--child'], {
        stdio: ['ignore', 'ignore', 'inherit'],
        env: {
          ...process.env,
          BUS_URL: url,
          BUS_APP: APP,
          BUS_COUNT: String(count),
          BUS_NAME: `bench${i}`,
          BUS_SHARED: layout.shared ? '1' : '',
          BUS_HEARTBEAT_MS: String(layout.heartbeatMs),
        },
      });
      children.push(child);
    }
    client = await connectBusClient(url);
    log(`    waiting for ${endpoints} endpoints in ${processes} processes…\n`);
    await waitUntil(
      async () => (await client!.list({ app: APP })).length === endpoints,
      240_000,
      `${endpoints} endpoints are present`,
      250,
    );
    const samples: number[] = [];
    let allAcknowledged = true;
    for (let round = 0; round <= rounds; round++) {
      const cmd: ControlCommand = { op: 'set', levels: { root: round % 2 ? 'DEBUG' : 'INFO' } };
      const started = performance.now();
      const { replies, missing } = await client.send(cmd, { app: APP }, 20_000);
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
    const tenth = (x: number) => Math.round(x * 10) / 10;
    return {
      ...layout,
      samplesMs: samples.map(tenth),
      p50Ms: tenth(p50),
      p95Ms: tenth(percentile(samples, 95)),
      minMs: tenth(Math.min(...samples)),
      maxMs: tenth(Math.max(...samples)),
      allAcknowledged,
      meetsTarget: allAcknowledged && p50 < layout.targetMs,
    };
  } finally {
    await client?.close();
    for (const child of children) child.kill('SIGKILL');
  }
}

function tableOf(rows: BusFanoutRow[]): { header: string[]; rows: string[][] } {
  const f = (x: number) => x.toFixed(1);
  return {
    header: [
      'endpoints',
      'processes',
      'Redis connections',
      'presence heartbeat',
      'rounds',
      'p50 ms',
      'p95 ms',
      'max ms',
      'all acknowledged',
      'target p50',
    ],
    rows: rows.map((r) => [
      String(r.endpoints),
      String(r.processes),
      r.shared
        ? `${r.processes * 2} (one pair per process, shared by its endpoints)`
        : `${r.endpoints * 2} (a pair per endpoint)`,
      `${r.heartbeatMs / 1000} s`,
      String(r.samplesMs.length),
      f(r.p50Ms),
      f(r.p95Ms),
      f(r.maxMs),
      r.allAcknowledged ? 'yes' : 'NO',
      `< ${r.targetMs} ms: ${r.meetsTarget ? 'met' : 'MISSED'}`,
    ]),
  };
}

function noteOf(version: string): string {
  return (
    `One \`set\` to every endpoint of an app through a local ${version} (a fresh one per row); round trip = from the start of send() ` +
    '(presence listing, storing the desired override, PUBLISH) until every endpoint has acknowledged on the reply channel. ' +
    'Each endpoint is its own identity, presence entry and acknowledgement; with shared connections Redis delivers a command once per process, ' +
    'and every endpoint of the process checks it and answers on the shared command connection. ' +
    "The endpoints' execute only records the levels: this measures the bus, not a process applying the change."
  );
}

async function redisVersion(): Promise<string> {
  const binary = findRedisServer()!;
  return await new Promise<string>((resolve) => {
    const p = spawn(binary, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    p.on('close', () => resolve(/v=(\S+)/.exec(out)?.[1] ? `redis-server ${/v=(\S+)/.exec(out)![1]}` : 'redis-server'));
    p.on('error', () => resolve('redis-server'));
  });
}

/** Child mode: host BUS_COUNT endpoints with a trivial executor until killed. */
function child(): void {
  const url = process.env['BUS_URL']!;
  const count = Number(process.env['BUS_COUNT'] ?? 1);
  const startedAt = new Date().toISOString();
  const shared = process.env['BUS_SHARED'] ? shareBusConnections(url, { unref: false }) : null;
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
    startBusEndpoint(url, {
      app: APP,
      identity,
      execute,
      unref: false,
      heartbeatMs: Number(process.env['BUS_HEARTBEAT_MS'] ?? 5000),
      ...(shared ? { connections: shared } : {}),
    });
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
    shared: process.argv.includes('--shared'),
    rounds: argValue('--rounds'),
    quick: process.argv.includes('--quick'),
    log: json ? undefined : (m) => process.stderr.write(m),
  })
    .then((result) => {
      if (json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      else if ('skipped' in result) process.stdout.write(`bus fan-out skipped: ${result.skipped}\n`);
      else
        for (const row of result.rows)
          process.stdout.write(
            `bus fan-out: ${row.endpoints} endpoints in ${row.processes} processes${row.shared ? ' (shared connections)' : ''}, ${result.rounds} rounds: ` +
              `p50 ${row.p50Ms} ms, p95 ${row.p95Ms} ms, max ${row.maxMs} ms; all acknowledged: ${row.allAcknowledged}; ` +
              `target p50 < ${row.targetMs} ms ${row.meetsTarget ? 'met' : 'MISSED'}\n`,
          );
      process.exit(0);
    })
    .catch((error) => {
      process.stderr.write(String(error instanceof Error ? (error.stack ?? error.message) : error) + '\n');
      process.exit(1);
    });
}
