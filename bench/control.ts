/**
 * Control benchmarks: `set` round trips to 1, 10, 100 and 300 local logdial processes and to 1,000
 * endpoints hosted 50 in each of 20 processes (p50, p95),
 * a full config push to 100, the `logdial set` CLI as a whole process, and — in the same run, for
 * reference — the seed's approach: update_log_levels.py sending sequentially over TCP to 29 python3
 * `logging.config.listen` listeners.
 *
 * Round trip = from the start of the send (discovery of the runtime directory included) until every
 * target answered; the client library call is what the CLI does once it has started.
 * All processes use a private runtime directory (`LOGDIAL_RUNTIME_DIR`), so other logdial
 * processes on the machine are never touched.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { freemem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchDir, repoRoot } from './common.js';
import type { LatencySummary } from './results.js';
import { percentile } from './stats.js';

export interface ControlOptions {
  quick?: boolean;
  rounds?: number;
  log?: (msg: string) => void;
}

let devNull: number | undefined;
const nullFd = () => (devNull ??= openSync('/dev/null', 'w'));

/** A child that says `ready …` on fd 3 when it can be measured. */
export function spawnReady(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', nullFd(), 'pipe', 'pipe'], env });
    let err = '';
    let out = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-2000)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')}: not ready after ${timeoutMs} ms ${err}`));
    }, timeoutMs);
    const fd3 = child.stdio[3] as NodeJS.ReadableStream;
    fd3.setEncoding('utf8');
    const onData = (d: string) => {
      out += d;
      if (out.includes('ready')) {
        clearTimeout(timer);
        fd3.removeListener('data', onData);
        resolve(child);
      }
    };
    fd3.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited (${code}) before ready: ${err.trim()}`));
    });
  });
}

/** Ends children: close stdin (they exit), SIGTERM, then SIGKILL after a second. */
export async function endAll(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          const kill = setTimeout(() => c.kill('SIGKILL'), 1500);
          c.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          c.stdin?.end();
          setTimeout(() => c.kill('SIGTERM'), 500).unref();
        }),
    ),
  );
}

function memAvailableMb(): number {
  try {
    const m = /MemAvailable:\s+(\d+) kB/.exec(readFileSync('/proc/meminfo', 'utf8'));
    if (m) return Math.round(Number(m[1]) / 1024);
  } catch {
    // not Linux
  }
  return Math.round(freemem() / 2 ** 20);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function summary(label: string, processes: number, ms: number[], acked: number, note?: string): LatencySummary {
  const s: LatencySummary = {
    label,
    processes,
    runs: ms.length,
    p50Ms: percentile(ms, 50),
    p95Ms: percentile(ms, 95),
    minMs: Math.min(...ms),
    maxMs: Math.max(...ms),
    acked,
  };
  if (note) s.note = note;
  return s;
}

function runCapture(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; out: string; err: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err, ms: performance.now() - t0 });
    });
  });
}

export async function run(options: ControlOptions = {}): Promise<{ latency: LatencySummary[]; notes: string[] }> {
  const log = options.log ?? (() => {});
  const quick = options.quick ?? false;
  const latency: LatencySummary[] = [];
  const notes: string[] = [];
  const root = repoRoot();
  const runtime = mkdtempSync(join(tmpdir(), 'logdial-bench-rt-'));
  const previousDir = process.env['LOGDIAL_RUNTIME_DIR'];
  process.env['LOGDIAL_RUNTIME_DIR'] = runtime;
  const app = `bench-${process.pid}`;
  const env = { ...process.env, LOGDIAL_RUNTIME_DIR: runtime, BENCH_APP: app, NO_COLOR: '1' };
  const children: ChildProcess[] = [];
  const client = await import('../src/control/client.js');
  const setRounds = quick ? 8 : 30;
  const cliRounds = quick ? 3 : 7;
  let sizes = quick ? [1, 10, 100] : [1, 10, 100, 300];
  // ~50 MB RSS per node process: only go to 300 when the machine has room for it (shared box).
  const availableMb = memAvailableMb();
  if (sizes.includes(300) && availableMb < 300 * 60 + 4096) {
    sizes = sizes.filter((n) => n !== 300);
    notes.push(`300 processes skipped: ${availableMb} MB available, ~${300 * 60 + 4096} MB wanted`);
  }
  const targetArgs = ['--max-semi-space-size=1', '--max-old-space-size=64', join(benchDir(), 'control-target.js')];
  const infoConf = readFileSync(join(root, 'bench', 'fixtures', 'info.conf'), 'utf8');
  try {
    // ---- logdial processes -------------------------------------------------------------------
    for (const n of sizes) {
      while (children.length < n) {
        const batch = Math.min(n - children.length, 16);
        await startBatch(
          children,
          Array.from({ length: batch }, () => spawnReady(process.execPath, targetArgs, env)),
        );
        log(`\r  control: ${children.length}/${n} processes ready   `);
      }
      await new Promise((r) => setTimeout(r, 300));
      // Warm-up (first connections, JIT in the targets).
      await client.sendToAll(client.localTargets({ app }), { op: 'ping' });
      const times: number[] = [];
      let acked = 0;
      for (let r = 0; r < setRounds; r++) {
        const level = r % 2 === 0 ? 'DEBUG' : 'INFO';
        const t0 = performance.now();
        const results = await client.sendToAll(client.localTargets({ app }), { op: 'set', levels: { root: level } });
        times.push(performance.now() - t0);
        acked = results.filter((x) => x.status === 'ok').length;
      }
      latency.push(
        summary(
          'set root=LEVEL (client library: discovery + send + every ack)',
          n,
          times,
          acked,
          acked === n ? '' : `only ${acked} of ${n} acknowledged`,
        ),
      );

      if (n === 100 || (quick && n === sizes[sizes.length - 1])) {
        const pushTimes: number[] = [];
        let pushAcked = 0;
        for (let r = 0; r < setRounds; r++) {
          const t0 = performance.now();
          const results = await client.sendToAll(client.localTargets({ app }), {
            op: 'apply',
            config: infoConf,
            format: 'ini',
            source: 'bench/fixtures/info.conf',
          });
          pushTimes.push(performance.now() - t0);
          pushAcked = results.filter((x) => x.status === 'ok').length;
          if (pushAcked !== n && r === 0)
            notes.push(`push: ${results.find((x) => x.status !== 'ok')?.error ?? 'not all acknowledged'}`);
        }
        latency.push(summary('push info.conf (apply a full INI config, client library)', n, pushTimes, pushAcked));
      }

      // The CLI as a user runs it: a whole node process (start-up included).
      const cli = join(benchDir(), '..', 'src', 'cli', 'run.js');
      const cliTimes: number[] = [];
      let cliAcked = 0;
      let cliError = '';
      for (let r = 0; r < cliRounds; r++) {
        const res = await runCapture(
          process.execPath,
          [cli, 'set', `root=${r % 2 === 0 ? 'DEBUG' : 'INFO'}`, '--app', app, '--json'],
          env,
        );
        if (res.code !== 0) {
          cliError = (res.err || res.out).trim().split('\n')[0] ?? `exit ${res.code}`;
          break;
        }
        cliTimes.push(res.ms);
        try {
          const parsed = JSON.parse(res.out) as unknown;
          const arr = Array.isArray(parsed)
            ? parsed
            : ((parsed as { results?: unknown[]; targets?: unknown[] }).results ??
              (parsed as { targets?: unknown[] }).targets ??
              []);
          cliAcked = arr.filter(
            (x) => (x as { status?: string; ok?: boolean }).status === 'ok' || (x as { ok?: boolean }).ok === true,
          ).length;
        } catch {
          cliAcked = NaN;
        }
      }
      if (cliTimes.length)
        latency.push(
          summary(
            '`logdial set root=LEVEL --app …` (whole CLI process, node start-up included)',
            n,
            cliTimes,
            cliAcked,
          ),
        );
      else notes.push(`CLI set to ${n}: ${cliError}`);
      log('\n');
    }
    await endAll(children.splice(0));
    latency.push(await hostedEndpoints({ env, app, rounds: setRounds, log, children, client }));
  } finally {
    await endAll(children.splice(0));
    if (previousDir === undefined) delete process.env['LOGDIAL_RUNTIME_DIR'];
    else process.env['LOGDIAL_RUNTIME_DIR'] = previousDir;
  }

  // ---- the seed: 29 python3 listeners, sequential TCP sends ------------------------------------
  const py: ChildProcess[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < 29; i++) ports.push(await freePort());
    const conf = join(root, 'bench', 'fixtures', 'info.conf');
    const listener = join(root, 'bench', 'fixtures', 'py_listener.py');
    for (let i = 0; i < ports.length; i += 10) {
      const started = await Promise.all(ports.slice(i, i + 10).map((p) => spawnPython(listener, [String(p), conf])));
      py.push(...started);
    }
    log(`  control: 29 python3 listeners ready\n`);
    const script = join(root, 'bench', 'fixtures', 'seed_update_log_levels.py');
    const loopMs: number[] = [];
    const wallMs: number[] = [];
    let sent = 0;
    for (let r = 0; r < setRounds; r++) {
      const cfg = join(root, 'bench', 'fixtures', r % 2 === 0 ? 'error.conf' : 'info.conf');
      const res = await runCapture('python3', [script, cfg, ...ports.map(String)], process.env);
      if (res.code !== 0) throw new Error(`seed script: ${res.err.trim()}`);
      const parsed = JSON.parse(res.out.trim().split('\n').pop()!) as { sent: number; ms: number };
      loopMs.push(parsed.ms);
      wallMs.push(res.ms);
      sent = parsed.sent;
    }
    latency.push(
      summary(
        "seed: update_log_levels.py's loop, 29 python3 listeners (sequential TCP, no acknowledgement)",
        29,
        loopMs,
        sent,
        'answered = sent; Python sends no reply',
      ),
    );
    latency.push(summary('seed: update_log_levels.py as a whole python3 process', 29, wallMs, sent, 'answered = sent'));
  } catch (error) {
    notes.push(`seed reference: ${String(error instanceof Error ? error.message : error)}`);
  } finally {
    await endAll(py);
    rmSync(runtime, { recursive: true, force: true });
  }
  return { latency, notes };
}

/**
 * Waits for a batch of starting children; those that started join `children` (and are ended with
 * them) even when another of the batch failed, whose error is then thrown.
 */
async function startBatch(children: ChildProcess[], batch: Promise<ChildProcess>[]): Promise<void> {
  const settled = await Promise.allSettled(batch);
  for (const outcome of settled) if (outcome.status === 'fulfilled') children.push(outcome.value);
  const failed = settled.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
}

/** 1,000 endpoints: 20 processes hosting 50 each (control-host-target.ts). */
const HOSTS = 20;
const ENDPOINTS_PER_HOST = 50;

/**
 * `set` to 1,000 endpoints. 1,000 node processes (~40 MB each) do not fit a 2-core machine; 20
 * processes hosting 50 endpoints each (own socket and manifest) give the client what 1,000 local
 * processes would: 1,000 manifests to discover, 1,000 connections, 1,000 acknowledgements. What
 * it does not include is 1,000 processes waking up, each applying the change.
 */
async function hostedEndpoints(run: {
  env: NodeJS.ProcessEnv;
  app: string;
  rounds: number;
  log: (msg: string) => void;
  children: ChildProcess[];
  client: typeof import('../src/control/client.js');
}): Promise<LatencySummary> {
  const { client, children } = run;
  const env = { ...run.env, BENCH_APP: `${run.app}-hosted`, BENCH_ENDPOINTS: String(ENDPOINTS_PER_HOST) };
  const app = env.BENCH_APP;
  const target = join(benchDir(), 'control-host-target.js');
  for (let started = 0; started < HOSTS; started += 4) {
    const batch = Array.from({ length: Math.min(4, HOSTS - started) }, () =>
      spawnReady(process.execPath, ['--max-semi-space-size=1', target], env),
    );
    await startBatch(children, batch);
    run.log(`\r  control: ${children.length * ENDPOINTS_PER_HOST}/${HOSTS * ENDPOINTS_PER_HOST} endpoints ready   `);
  }
  run.log('\n');
  const total = HOSTS * ENDPOINTS_PER_HOST;
  await client.sendToAll(client.localTargets({ app }), { op: 'ping' });
  const times: number[] = [];
  let acked = 0;
  for (let r = 0; r < run.rounds; r++) {
    const t0 = performance.now();
    const results = await client.sendToAll(client.localTargets({ app }), {
      op: 'set',
      levels: { root: r % 2 === 0 ? 'DEBUG' : 'INFO' },
    });
    times.push(performance.now() - t0);
    acked = results.filter((x) => x.status === 'ok').length;
  }
  return summary(
    `set root=LEVEL to ${total.toLocaleString('en')} endpoints, ${ENDPOINTS_PER_HOST} hosted in each of ${HOSTS} processes (client library: discovery + send + every ack)`,
    HOSTS,
    times,
    acked,
    acked === total ? `${total} endpoints` : `only ${acked} of ${total} endpoints acknowledged`,
  );
}

function spawnPython(script: string, args: string[]): Promise<ChildProcess> {
  // py_listener.py prints `ready PORT` on stdout; adapt to spawnReady's fd 3 by a tiny shim.
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`python listener ${args[0]} not ready: ${err}`));
    }, 20_000);
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-2000)));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('ready')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`python listener exited ${code}: ${err}`));
    });
  });
}
