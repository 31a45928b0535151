/**
 * The control endpoint of a process as an object: its listening sockets (Unix, TCP), its open
 * connections under one cap, its manifest, the optional Redis bus, and shutdown. `listen()` is
 * the facade that makes one; each connection is a {@link ControlConnection}.
 *
 * Invariants: starting never throws (problems are reported on the `logdial` logger); one Unix
 * endpoint per runtime directory per process; at most `maxConnections` open connections over all
 * transports (the longest-idle one makes room); nothing here keeps the process alive; closing
 * removes the socket and the manifest, also when the process dies of a signal.
 */
import { chmodSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { getLogger } from '../core/logger.js';
import { onSignalDeath } from '../handlers/lifecycle.js';
import type { BusEndpoint, BusEndpointOptions } from './bus/endpoint.js';
import { ControlConnection, type ConnectionSettings } from './control-connection.js';
import { DEFAULT_MAX_FRAME } from './framing.js';
import type { ListenOptions } from './listen.js';
import { executeCommand } from './operations.js';
import { socketPathProblem } from './platform.js';
import type { Manifest } from './protocol.js';
import { redactUrl } from './redact.js';
import { report } from './report.js';
import { endpointPaths, ensureRuntimeDir, removeQuietly, runtimeDir, writeManifest } from './runtime-dir.js';
import { connectionToEvict, isLoopback } from './server-policy.js';
import { processIdentity } from './state.js';
import { serveThreads, stopServingThreads } from './threads.js';
import { rememberFleetBus } from './trigger-fleet.js';

let endpointCount = 0;

/**
 * Unix endpoints of this process, by runtime directory. A second `listen()` into the same
 * directory (say `LOGDIAL_LISTEN=1` plus an explicit call) adds no second socket, which would make
 * the process appear, and apply every change, twice; it refreshes the manifest instead.
 */
const unixEndpoints = new Map<string, ControlServer>();

/** Rewrites every endpoint's manifest (the app name changed). */
export function rewriteManifests(): void {
  for (const server of unixEndpoints.values()) server.writeOwnManifest();
}

export class ControlServer {
  socketPath: string | null = null;
  port: number | null = null;
  manifest: Manifest | null = null;
  private manifestPath: string | null = null;
  private unixDir: string | null = null;
  private closed = false;
  private bus: BusEndpoint | null = null;
  private readonly servers: Server[] = [];
  private readonly connections = new Set<ControlConnection>();
  private readonly settings: ConnectionSettings;
  private readonly idleTimeoutMs: number;
  private readonly maxConnections: number;
  private readonly tcpHost: string;
  private readonly forgetSignalCleanup: () => void;
  private readonly cleanupAtExit = () => this.cleanup();

  /**
   * `placement: 'additional'` binds a further endpoint even where this process has one in the same
   * runtime directory already (it appears once more to the clients; for hosting many endpoints in
   * one process, as benchmarks of client fan-out do). `listen()` never does.
   */
  constructor(
    private readonly options: ListenOptions,
    private readonly placement: 'one-per-dir' | 'additional' = 'one-per-dir',
  ) {
    this.settings = {
      secret: options.secret ?? process.env['LOGDIAL_SECRET'] ?? undefined,
      legacy: options.legacy === true,
      maxFrame: options.maxFrameBytes ?? DEFAULT_MAX_FRAME,
      frameTimeoutMs: options.frameTimeoutMs ?? 10_000,
      verify: options.verify,
    };
    this.idleTimeoutMs = options.idleTimeoutMs ?? 10_000;
    this.maxConnections = Math.max(1, options.maxConnections ?? 32);
    this.tcpHost = options.host ?? '127.0.0.1';
    process.on('exit', this.cleanupAtExit);
    // Killed by SIGTERM/SIGINT/SIGHUP without a handler of the app's: `exit` never fires, so the
    // lifecycle runs this before re-raising the signal and no stale entry is left behind.
    this.forgetSignalCleanup = onSignalDeath(this.cleanupAtExit);
  }

  /** Binds every endpoint asked for, reporting (never throwing) what fails. */
  async start(): Promise<void> {
    if (this.options.unix !== false) {
      try {
        await this.bindUnix();
      } catch (error) {
        report('unix socket endpoint not started', error);
      }
    }
    try {
      await this.bindTcp();
    } catch (error) {
      report('TCP endpoint not started', error);
    }
    if (this.options.bus) await this.startBus(this.options.bus);
    if (this.closed) return this.cleanup();
    this.writeOwnManifest();
    serveThreads();
  }

  /** Stops listening, closes every connection and the bus, removes the socket and the manifest. */
  async close(ready: Promise<void>): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await ready;
    this.cleanup();
    stopServingThreads();
    try {
      await this.bus?.close();
    } catch (error) {
      report('bus endpoint close failed', error);
    }
  }

  writeOwnManifest(): void {
    if (!this.socketPath || !this.manifestPath || this.closed) return;
    const manifest: Manifest = { ...processIdentity(), socket: this.socketPath };
    if (this.port !== null) {
      manifest.port = this.port;
      manifest.tcpHost = this.tcpHost;
      if (this.settings.legacy) manifest.legacy = true;
    }
    this.manifest = manifest;
    try {
      writeManifest(this.manifestPath, manifest);
    } catch (error) {
      report('manifest not written', error);
    }
  }

  private accept(socket: Socket, via: 'unix' | 'tcp'): void {
    if (this.closed) return void socket.destroy();
    const evicted = connectionToEvict(this.connections, this.connections.size, this.maxConnections);
    if (evicted) {
      this.connections.delete(evicted);
      evicted.socket.destroy();
    }
    // A control connection never keeps a process alive that would otherwise exit.
    socket.unref();
    socket.on('error', () => {
      // ECONNRESET, EPIPE: the peer went away; nothing to do.
    });
    socket.setTimeout(this.idleTimeoutMs, () => socket.destroy());
    const connection = new ControlConnection(socket, via, this.settings);
    this.connections.add(connection);
    socket.on('close', () => this.connections.delete(connection));
  }

  private async bindUnix(): Promise<void> {
    const wanted = this.options.dir ?? runtimeDir();
    // Checked before anything is created: a path over the limit would bind at a truncated one.
    const tooLong = socketPathProblem(endpointPaths(wanted, process.pid, endpointCount + 1).socket);
    if (tooLong) throw new Error(tooLong);
    const dir = ensureRuntimeDir(wanted);
    const additional = this.placement === 'additional';
    if (!additional) {
      if (unixEndpoints.has(dir)) return;
      unixEndpoints.set(dir, this);
      this.unixDir = dir;
    }
    const paths = endpointPaths(dir, process.pid, ++endpointCount);
    // A socket left by an earlier process with our pid (pid reuse) is stale by definition.
    removeQuietly(paths.socket);
    const server = createServer({ allowHalfOpen: true }, (socket) => this.accept(socket, 'unix'));
    try {
      await listenOn(server, paths.socket);
    } catch (error) {
      if (!additional) unixEndpoints.delete(dir);
      this.unixDir = null;
      throw error;
    }
    server.on('error', (error) => report('unix socket error', error));
    server.unref();
    chmodSync(paths.socket, 0o600);
    this.servers.push(server);
    this.socketPath = paths.socket;
    this.manifestPath = paths.manifest;
  }

  private async bindTcp(): Promise<void> {
    const { port } = this.options;
    if (port === undefined) return;
    if (!this.settings.secret && !this.settings.legacy) {
      report(
        'TCP endpoint not started: a secret is required (option secret or LOGDIAL_SECRET), or legacy: true for Python-compatible unauthenticated frames',
      );
      return;
    }
    const host = this.tcpHost;
    const [from, to] = Array.isArray(port) ? port : [port, port];
    for (let candidate = from; candidate <= to; candidate++) {
      const server = createServer({ allowHalfOpen: true }, (socket) => this.accept(socket, 'tcp'));
      try {
        // exclusive: in a cluster worker, a shared handle would let every worker "bind" one port.
        await listenOn(server, { port: candidate, host, exclusive: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE' && candidate < to) continue;
        report(`TCP endpoint not started on ${host}:${from === to ? from : `${from}-${to}`}`, error);
        return;
      }
      this.tcpBound(server, candidate);
      return;
    }
  }

  private tcpBound(server: Server, candidate: number): void {
    server.on('error', (error) => report('TCP endpoint error', error));
    server.unref();
    this.servers.push(server);
    const address = server.address();
    this.port = typeof address === 'object' && address ? address.port : candidate;
    if (this.settings.legacy && !isLoopback(this.tcpHost)) {
      // Python's protocol has no authentication: anyone who reaches the port can push a config.
      getLogger('logdial').warning(
        "logdial control: legacy TCP endpoint on %s:%d accepts unauthenticated configurations from the network (Python's protocol); bind it to 127.0.0.1 or keep the port behind a firewall",
        this.tcpHost,
        this.port,
      );
    }
    if (this.closed) server.close();
  }

  /**
   * Joins the Redis bus. Its modules (and ioredis) load only here, so the socket works without
   * Redis installed; the socket's frame limit applies to bus messages too.
   */
  private async startBus(url: string): Promise<void> {
    try {
      const { startBusEndpoint } = await import('./bus/endpoint.js');
      const options: BusEndpointOptions = {
        app: processIdentity().app,
        maxMessageBytes: this.settings.maxFrame,
        execute: executeCommand,
      };
      if (this.settings.secret) options.secret = this.settings.secret;
      this.bus = startBusEndpoint(url, options);
      rememberFleetBus(url, this.settings.secret); // a trigger with scope: app sends its window there
    } catch (error) {
      report(`bus endpoint not started (${redactUrl(url)})`, error);
    }
  }

  private cleanup(): void {
    for (const server of this.servers) server.close();
    for (const connection of this.connections) connection.socket.destroy();
    this.connections.clear();
    if (this.manifestPath) removeQuietly(this.manifestPath);
    if (this.socketPath) removeQuietly(this.socketPath);
    if (this.unixDir) unixEndpoints.delete(this.unixDir);
    process.off('exit', this.cleanupAtExit);
    this.forgetSignalCleanup();
  }
}

function listenOn(server: Server, where: string | { port: number; host: string; exclusive: boolean }): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(where, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
