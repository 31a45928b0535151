/**
 * A real `redis-server` for bus tests and benchmarks: started on a free port in a temporary
 * directory, without persistence (so a restart really loses the data, as a crashed cache would),
 * and always killed at the end.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { connect as tlsConnect } from 'node:tls';
import { delimiter, join } from 'node:path';
import { freePort } from './ports.js';

/**
 * Where `redis-server` is, or null when it is not installed (tests then skip with a reason).
 * `LOGDIAL_REDIS_SERVER` names the binary explicitly (and only it is tried).
 */
export function findRedisServer(): string | null {
  const fromEnv = process.env['LOGDIAL_REDIS_SERVER'];
  const candidates = fromEnv ? [fromEnv] : [];
  if (!fromEnv) {
    for (const dir of (process.env['PATH'] ?? '').split(delimiter)) if (dir) candidates.push(join(dir, 'redis-server'));
    candidates.push('/usr/bin/redis-server', '/usr/local/bin/redis-server');
  }
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next place
    }
  }
  return null;
}

/** Why bus tests are skipped, or false when they can run. */
export const redisSkipReason: string | false = findRedisServer()
  ? false
  : 'redis-server not found on PATH (install it: apt-get install redis-server); Redis bus tests skipped';

/** A running redis-server. */
export interface RedisServer {
  port: number;
  url: string;
  /**
   * Kills the server (SIGKILL, like a crash: the data is lost) and waits until it is gone; with
   * `save`, shuts it down with SHUTDOWN SAVE instead so the next `start()` loads the data.
   */
  stop(options?: { save?: boolean }): Promise<void>;
  /** Starts it again on the same port (empty: no persistence). */
  start(): Promise<void>;
  /** Stops it for good and removes its directory. */
  dispose(): Promise<void>;
  readonly running: boolean;
}

/** Options for {@link startRedis}. */
export interface StartRedisOptions {
  /** Port to use (default: a free one). */
  port?: number;
  /** Do not start it yet (for "Redis down at start"): call `start()` later. */
  stopped?: boolean;
  /** Extra redis-server arguments. */
  args?: string[];
  /** Serve TLS only (the port is the TLS port): PEM files of the server and of its CA. */
  tls?: { cert: string; key: string; ca: string };
}

/** Starts a redis-server on a free port; `t.after` (when given) disposes of it. */
export async function startRedis(
  t?: { after(fn: () => unknown): void },
  options: StartRedisOptions = {},
): Promise<RedisServer> {
  const binary = findRedisServer();
  if (!binary) throw new Error('redis-server not found');
  const extraArgs = options.args ?? [];
  const dir = mkdtempSync(join(tmpdir(), 'logdial-redis-'));
  const port = options.port ?? (await freePort());
  let proc: ChildProcess | null = null;
  let log = '';

  const start = async (): Promise<void> => {
    log = '';
    // Two shared cores and up to ~2000 clients in the benchmark: keep the server lean and quiet.
    const tls = options.tls;
    const portArgs = tls
      ? [
          '--port',
          '0',
          '--tls-port',
          String(port),
          '--tls-cert-file',
          tls.cert,
          '--tls-key-file',
          tls.key,
          '--tls-ca-cert-file',
          tls.ca,
          '--tls-auth-clients',
          'no',
        ]
      : ['--port', String(port)];
    const child = spawn(
      binary,
      [
        ...portArgs,
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        '--maxclients',
        '10000',
        '--loglevel',
        'warning',
        ...extraArgs,
      ],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    proc = child;
    child.stdout?.setEncoding('utf8').on('data', (c: string) => (log = (log + c).slice(-4000)));
    child.stderr?.setEncoding('utf8').on('data', (c: string) => (log = (log + c).slice(-4000)));
    const deadline = Date.now() + 10000;
    // Ready when it answers PING; bounded.
    for (;;) {
      if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}):\n${log}`);
      if (await pingOnce(port, options.tls?.ca)) return;
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`redis-server did not answer on port ${port} within 10 s:\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const stop = async (how: { save?: boolean } = {}): Promise<void> => {
    const child = proc;
    proc = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (how.save) {
      const socket = createConnection({ port, host: '127.0.0.1' });
      socket.on('error', () => undefined);
      socket.on('connect', () => socket.write('SHUTDOWN SAVE\r\n'));
      await Promise.race([gone, new Promise((r) => setTimeout(r, 10000))]);
      socket.destroy();
    }
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
  };

  if (!options.stopped) await start();
  const server: RedisServer = {
    port,
    url: options.tls ? `rediss://localhost:${port}` : `redis://127.0.0.1:${port}`,
    stop,
    start,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
    get running() {
      return proc !== null && proc.exitCode === null;
    },
  };
  t?.after(() => server.dispose());
  return server;
}

/** One PING over a raw (or TLS) socket: true when the server answered (+PONG, or NOAUTH under ACLs). */
function pingOnce(port: number, ca?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = ca
      ? tlsConnect({ port, host: '127.0.0.1', servername: 'localhost', ca: readFileSync(ca) })
      : createConnection({ port, host: '127.0.0.1' });
    let data = '';
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 1000);
    socket.on(ca ? 'secureConnect' : 'connect', () => socket.write('PING\r\n'));
    socket.on('data', (c) => {
      data += (c as Buffer).toString();
      if (data.includes('\r\n')) done(data.startsWith('+PONG') || data.startsWith('-NOAUTH'));
    });
    socket.on('error', () => done(false));
  });
}

// Kept importable from here: the bus tests import it with the Redis helpers.
export { waitUntil } from './wait.js';
