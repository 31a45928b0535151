/**
 * The control endpoint of a process: a Unix domain socket in the private runtime directory (with
 * a manifest beside it), optionally a TCP port (HMAC-authenticated, or Python-compatible with
 * `legacy: true`), optionally the Redis bus. Every transport decodes a command and calls
 * `executeCommand`.
 *
 * Starting it never blocks or breaks logging: `listen()` returns at once, binds in the
 * background, and reports problems on the `logdial` logger (stderr by default), never by throwing
 * into the application.
 */
import { chmodSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { isMainThread } from 'node:worker_threads';
import { getLogger } from '../core/logger.js';
import { onSignalDeath } from '../handlers/lifecycle.js';
import { formatHello, newNonce } from './auth.js';
import { decodeControlFrame } from './frame-decision.js';
import { DEFAULT_MAX_FRAME, encodeFrame, FrameDeadline, FrameDecoder, FrameTooLargeError } from './framing.js';
import { configureOperations, executeCommand } from './operations.js';
import { controlPlaneUnsupported, socketPathProblem } from './platform.js';
import { errorLine } from './error-line.js';
import { shown } from './escape.js';
import { isTailCommand, startTap } from './tap.js';
import { redactUrl } from './redact.js';
import type { ApplyCommand, ControlCommand, ControlReply, Manifest, Requester } from './protocol.js';
import { endpointPaths, ensureRuntimeDir, removeQuietly, runtimeDir, writeManifest } from './runtime-dir.js';
import { processIdentity, setAppName } from './state.js';
import { serveThreads, stopServingThreads } from './threads.js';
import { rememberFleetBus } from './trigger-fleet.js';

/** Options of {@link listen}. */
export interface ListenOptions {
  /** App name in the manifest and replies (`--app`); default `LOGDIAL_APP` or the script's name. */
  app?: string;
  /** Runtime directory (default `LOGDIAL_RUNTIME_DIR`, `$XDG_RUNTIME_DIR/logdial`, `<tmpdir>/logdial-<uid>`). */
  dir?: string;
  /** Set false for no Unix socket (TCP or bus only). Default true. */
  unix?: boolean;
  /** TCP port, or `[from, to]`: the first port that binds is taken (never probed by connecting). */
  port?: number | [number, number];
  /** TCP host, default 127.0.0.1. */
  host?: string;
  /** HMAC secret; required for TCP unless `legacy` (default `LOGDIAL_SECRET`). */
  secret?: string;
  /** Accept Python's bare frames (INI or dictConfig JSON) on TCP, with Python's semantics. */
  legacy?: boolean;
  /**
   * Python's `verify`: called with each bare (legacy) payload; return the bytes to apply (possibly
   * transformed) or null/undefined to discard it silently. Not applied to logdial commands, which
   * are authenticated by the HMAC instead.
   */
  verify?: (payload: Buffer) => Buffer | string | null | undefined;
  /** Extra directories (or files) a pushed config may write to, besides the base config's. */
  allowPaths?: string[];
  /** Largest payload accepted (default 1 MiB). */
  maxFrameBytes?: number;
  /** A connection silent this long is closed (default 10 s). */
  idleTimeoutMs?: number;
  /** A frame not complete this long after its first byte closes its connection, however busy the sender (default 10 s). */
  frameTimeoutMs?: number;
  /** Open connections kept at most, all transports together (default 32); the longest-idle one makes room. */
  maxConnections?: number;
  /** Redis URL for the fleet bus (`LOGDIAL_BUS`). */
  bus?: string;
}

/** What {@link listen} returns. */
export interface ListenHandle {
  /** Resolves once every endpoint is bound (or failed and was reported); never rejects. */
  readonly ready: Promise<void>;
  /** The Unix socket path, once bound. */
  readonly socketPath: string | null;
  /** The TCP port, once bound. */
  readonly port: number | null;
  /** The manifest written for this endpoint, once bound. */
  readonly manifest: Manifest | null;
  /** Stops listening and removes the socket and the manifest. */
  close(): Promise<void>;
}

const log = () => getLogger('logdial');

/** One line on the `logdial` logger; peer text in it (addresses, config errors) is shown escaped and redacted. */
function report(message: string, error?: unknown): void {
  const detail = shown(error === undefined ? '' : `: ${error instanceof Error ? error.message : String(error)}`);
  message = shown(message);
  try {
    log().error('logdial control: %s%s', message, detail);
  } catch {
    try {
      process.stderr.write(`logdial control: ${message}${detail}\n`);
    } catch {
      // nowhere left to report
    }
  }
}

let endpointCount = 0;

/**
 * Unix endpoints of this process, by runtime directory. A second `listen()` into the same
 * directory (say `LOGDIAL_LISTEN=1` plus an explicit call) adds no second socket, which would make
 * the process appear, and apply every change, twice; it refreshes the manifest instead.
 */
const unixEndpoints = new Map<string, { rewrite(): void }>();

/** Connections of every endpoint of this process, for the shared cap. */
interface Conn {
  socket: Socket;
  lastActivity: number;
}

/**
 * Starts the control endpoint. Returns at once; binding happens in the background (see
 * `handle.ready`). Closed automatically when the process exits.
 */
export function listen(options: ListenOptions = {}): ListenHandle {
  const unsupported = controlPlaneUnsupported();
  if (unsupported) {
    report(unsupported);
    return inertHandle();
  }
  if (!isMainThread) {
    // A worker thread shares its process's pid and endpoint; it follows the main thread's
    // configuration instead (see threads.ts). An inert handle keeps shared start-up code working.
    return inertHandle();
  }
  const secret = options.secret ?? process.env['LOGDIAL_SECRET'] ?? undefined;
  const legacy = options.legacy === true;
  const maxFrame = options.maxFrameBytes ?? DEFAULT_MAX_FRAME;
  const idleTimeout = options.idleTimeoutMs ?? 10_000;
  const frameTimeout = options.frameTimeoutMs ?? 10_000;
  const maxConnections = Math.max(1, options.maxConnections ?? 32);
  const tcpHost = options.host ?? '127.0.0.1';
  const appBefore = processIdentity().app;
  setAppName(options.app);
  if (processIdentity().app !== appBefore) for (const endpoint of unixEndpoints.values()) endpoint.rewrite();
  if (options.allowPaths) configureOperations({ allowPaths: options.allowPaths });

  const conns = new Set<Conn>();
  const servers: Server[] = [];
  let socketPath: string | null = null;
  let manifestPath: string | null = null;
  let manifest: Manifest | null = null;
  let port: number | null = null;
  let closed = false;
  let busHandle: { close(): unknown } | null = null;
  let unixDir: string | null = null;

  /** Makes room under the cap by closing the connection idle the longest. */
  const admit = (socket: Socket): Conn => {
    if (conns.size >= maxConnections) {
      let oldest: Conn | null = null;
      for (const c of conns) if (!oldest || c.lastActivity < oldest.lastActivity) oldest = c;
      if (oldest) {
        conns.delete(oldest);
        oldest.socket.destroy();
      }
    }
    // A control connection never keeps a process alive that would otherwise exit.
    socket.unref();
    const conn: Conn = { socket, lastActivity: Date.now() };
    conns.add(conn);
    socket.on('close', () => conns.delete(conn));
    socket.on('error', () => {
      // ECONNRESET, EPIPE: the peer went away; nothing to do.
    });
    socket.setTimeout(idleTimeout, () => socket.destroy());
    return conn;
  };

  const serveConnection = (socket: Socket, via: 'unix' | 'tcp') => {
    if (closed) {
      socket.destroy();
      return;
    }
    const conn = admit(socket);
    const decoder = new FrameDecoder(maxFrame);
    const address = via === 'tcp' ? `${socket.remoteAddress}:${socket.remotePort}` : undefined;
    let nonce: string | null = null;
    if (via === 'tcp') {
      nonce = newNonce();
      const identity = processIdentity();
      socket.write(
        formatHello({
          logdial: 1,
          nonce,
          auth: secret ? 'hmac-sha256' : null,
          legacy,
          pid: identity.pid,
          app: identity.app,
          processName: identity.processName,
          now: Date.now(),
        }),
      );
    }
    let busy = Promise.resolve();
    const send = (reply: ControlReply) => {
      if (socket.destroyed || !socket.writable) return;
      // A peer that sends commands but never reads the replies would make us buffer without end.
      if (socket.writableLength > Math.max(maxFrame, 1 << 20)) {
        socket.destroy();
        return;
      }
      socket.write(encodeFrame(JSON.stringify(reply)));
    };
    let dead = false;
    /** Stops reading, answers `why` (best effort) and closes; what the decoder held is released. */
    const refuse = (why: string) => {
      dead = true;
      frameDeadline.stop();
      decoder.reset();
      socket.pause();
      send(rejection(why));
      socket.end();
      setTimeout(() => socket.destroy(), 1000).unref();
    };
    const frameDeadline = new FrameDeadline(frameTimeout, () =>
      refuse(`frame not complete within ${frameTimeout} ms of its first byte; connection closed`),
    );
    socket.on('close', () => {
      frameDeadline.stop();
      decoder.reset();
    });
    socket.on('data', (chunk: Buffer) => {
      if (dead) return;
      conn.lastActivity = Date.now();
      let frames: Buffer[];
      try {
        frames = decoder.push(chunk);
      } catch (error) {
        if (error instanceof FrameTooLargeError) {
          // Refuse before buffering a byte of it; stop reading this connection altogether.
          refuse(error.message);
          return;
        }
        // Never into the application's event loop.
        report('control connection failed', error);
        socket.destroy();
        return;
      }
      frameDeadline.update(frames.length, decoder.partial);
      if (frames.length === 0) return;
      // One frame at a time: pause reading while a command runs, so a flood cannot queue work.
      socket.pause();
      busy = busy
        .then(async () => {
          // A complete frame is carried out even if the peer is gone already (Python's senders
          // close right after sending).
          for (const frame of frames) await handleFrame(frame);
          if (!socket.destroyed && !dead) socket.resume();
        })
        .catch((error: unknown) => report('control command failed', error));
    });
    // Python's listener spins forever on a peer that closes mid-frame; we discard the partial
    // frame, answer what was complete, and close.
    socket.on('end', () => {
      frameDeadline.stop();
      decoder.reset();
      dead = true;
      void busy.then(() => socket.end());
    });

    const requesterOf = (cmd: ControlCommand | null): Requester => {
      const requester: Requester = { via };
      if (address) requester.address = address;
      const sender = cmd?.sender;
      if (sender && typeof sender === 'object') {
        if (Number.isInteger(sender.pid)) requester.pid = sender.pid!;
        if (Number.isInteger(sender.uid)) requester.uid = sender.uid!;
        if (typeof sender.user === 'string') requester.user = sender.user.slice(0, 64);
        if (typeof sender.host === 'string') requester.host = sender.host.slice(0, 255);
      }
      return requester;
    };

    /** A `tail` takes the connection over (control/tap.ts); any other command gets one reply. */
    const execute = async (cmd: ControlCommand, requester: Requester): Promise<void> => {
      if (isTailCommand(cmd)) {
        if (startTap(socket, cmd)) dead = true;
        return;
      }
      send(await executeCommand(cmd, requester));
    };

    const handleFrame = async (frame: Buffer): Promise<void> => {
      const decision = decodeControlFrame(frame, { via, secret, nonce, legacy });
      switch (decision.kind) {
        case 'execute':
          if (decision.spendNonce) nonce = null;
          await execute(decision.command as ControlCommand, requesterOf(decision.command as ControlCommand));
          return;
        case 'reject':
          if (decision.spendNonce) nonce = null;
          if (decision.audit) report(`${decision.audit} (from ${address ?? via})`);
          if (decision.reply) send(rejection(decision.message));
          return;
        case 'legacy':
          // Python reads one config per connection.
          dead = true;
          await applyLegacy(frame, decision.object, decision.text, address ?? 'tcp');
          socket.end();
          return;
      }
    };
  };

  /** Python's listen semantics for a bare frame: dictConfig JSON, else fileConfig INI (disable_existing_loggers=True). */
  const applyLegacy = async (
    frame: Buffer,
    obj: Record<string, unknown> | null,
    text: string,
    address: string,
  ): Promise<void> => {
    let payload: Buffer | string = frame;
    if (options.verify) {
      try {
        const verified = options.verify(frame);
        if (verified === null || verified === undefined) return;
        payload = verified;
      } catch (error) {
        report(`verify hook failed for a frame from ${address}`, error);
        return;
      }
      if (payload !== frame) {
        text = typeof payload === 'string' ? payload : payload.toString('utf8');
        try {
          const again = JSON.parse(text) as unknown;
          obj = again && typeof again === 'object' && !Array.isArray(again) ? (again as Record<string, unknown>) : null;
        } catch {
          obj = null;
        }
      }
    }
    const requester: Requester = { via: 'legacy', address };
    let jsonError: ControlReply | null = null;
    if (obj) {
      const disable = obj['disable_existing_loggers'];
      const cmd: ApplyCommand = {
        op: 'apply',
        config: text,
        format: 'json',
        source: `legacy frame from ${address}`,
        disableExisting: disable === undefined ? true : Boolean(disable),
      };
      const reply = await executeCommand(cmd, requester);
      if (reply.ok) return;
      jsonError = reply;
    }
    const cmd: ApplyCommand = {
      op: 'apply',
      config: text,
      format: 'ini',
      source: `legacy frame from ${address}`,
      disableExisting: true,
    };
    const reply = await executeCommand(cmd, requester);
    if (reply.ok) return;
    const refused = jsonError ?? reply;
    report(`rejected a config from ${address}: ${refused.error ? errorLine(refused.error) : 'unknown error'}`);
  };

  const bindUnix = async (): Promise<void> => {
    const wanted = options.dir ?? runtimeDir();
    // Checked before anything is created: a path over the limit would bind at a truncated one.
    const tooLong = socketPathProblem(endpointPaths(wanted, process.pid, endpointCount + 1).socket);
    if (tooLong) throw new Error(tooLong);
    const dir = ensureRuntimeDir(wanted);
    if (unixEndpoints.has(dir)) return;
    unixDir = dir;
    unixEndpoints.set(dir, { rewrite: () => writeOwnManifest() });
    const index = ++endpointCount;
    const paths = endpointPaths(dir, process.pid, index);
    // A socket left by an earlier process with our pid (pid reuse) is stale by definition.
    removeQuietly(paths.socket);
    const server = createServer({ allowHalfOpen: true }, (socket) => serveConnection(socket, 'unix'));
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(paths.socket, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      unixEndpoints.delete(dir);
      unixDir = null;
      throw error;
    }
    server.on('error', (error) => report('unix socket error', error));
    server.unref();
    chmodSync(paths.socket, 0o600);
    servers.push(server);
    socketPath = paths.socket;
    manifestPath = paths.manifest;
  };

  const bindTcp = async (): Promise<void> => {
    if (options.port === undefined) return;
    if (!secret && !legacy) {
      report(
        'TCP endpoint not started: a secret is required (option secret or LOGDIAL_SECRET), or legacy: true for Python-compatible unauthenticated frames',
      );
      return;
    }
    const [from, to] = Array.isArray(options.port) ? options.port : [options.port, options.port];
    for (let candidate = from; candidate <= to; candidate++) {
      const server = createServer({ allowHalfOpen: true }, (socket) => serveConnection(socket, 'tcp'));
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          // exclusive: in a cluster worker, a shared handle would let every worker "bind" one port.
          server.listen({ port: candidate, host: tcpHost, exclusive: true }, () => {
            server.off('error', reject);
            resolve();
          });
        });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE' && candidate < to) continue;
        report(`TCP endpoint not started on ${tcpHost}:${from === to ? from : `${from}-${to}`}`, error);
        return;
      }
      server.on('error', (error) => report('TCP endpoint error', error));
      server.unref();
      servers.push(server);
      const address = server.address();
      port = typeof address === 'object' && address ? address.port : candidate;
      if (legacy && !isLoopback(tcpHost)) {
        // Python's protocol has no authentication: anyone who reaches the port can push a config.
        log().warning(
          "logdial control: legacy TCP endpoint on %s:%d accepts unauthenticated configurations from the network (Python's protocol); bind it to 127.0.0.1 or keep the port behind a firewall",
          tcpHost,
          port,
        );
      }
      if (closed) server.close();
      return;
    }
  };

  const start = async (): Promise<void> => {
    if (options.unix !== false) {
      try {
        await bindUnix();
      } catch (error) {
        report('unix socket endpoint not started', error);
      }
    }
    try {
      await bindTcp();
    } catch (error) {
      report('TCP endpoint not started', error);
    }
    if (options.bus) {
      try {
        busHandle = await startBus(options.bus, secret, maxFrame);
        rememberFleetBus(options.bus, secret); // a trigger with scope: app sends its window there
      } catch (error) {
        report(`bus endpoint not started (${redactUrl(options.bus)})`, error);
      }
    }
    if (closed) return cleanup();
    writeOwnManifest();
    serveThreads();
  };

  const writeOwnManifest = () => {
    if (socketPath && manifestPath && !closed) {
      const id = processIdentity();
      manifest = { ...id, socket: socketPath };
      if (port !== null) {
        manifest.port = port;
        manifest.tcpHost = tcpHost;
        if (legacy) manifest.legacy = true;
      }
      try {
        writeManifest(manifestPath, manifest);
      } catch (error) {
        report('manifest not written', error);
      }
    }
  };

  const cleanup = () => {
    for (const server of servers) server.close();
    for (const c of conns) c.socket.destroy();
    conns.clear();
    if (manifestPath) removeQuietly(manifestPath);
    if (socketPath) removeQuietly(socketPath);
    if (unixDir) unixEndpoints.delete(unixDir);
    process.off('exit', cleanup);
    forgetSignalCleanup();
  };
  process.on('exit', cleanup);
  // Killed by SIGTERM/SIGINT/SIGHUP without a handler of the app's: `exit` never fires, so the
  // lifecycle runs this before re-raising the signal and no stale entry is left behind.
  const forgetSignalCleanup = onSignalDeath(cleanup);

  const ready = start().catch((error) => report('control endpoint failed', error));

  return {
    ready,
    get socketPath() {
      return socketPath;
    },
    get port() {
      return port;
    },
    get manifest() {
      return manifest;
    },
    async close() {
      if (closed) return;
      closed = true;
      await ready;
      cleanup();
      stopServingThreads();
      try {
        await busHandle?.close();
      } catch (error) {
        report('bus endpoint close failed', error);
      }
    },
  };
}

/** A handle with nothing behind it, so shared start-up code works where no endpoint is started. */
function inertHandle(): ListenHandle {
  return { ready: Promise.resolve(), socketPath: null, port: null, manifest: null, close: async () => {} };
}

function rejection(message: string): ControlReply {
  return {
    ok: false,
    op: 'unknown',
    result: 'rejected',
    process: processIdentity(),
    error: { message },
    levels: {},
    override: null,
  };
}

/**
 * Starts `control/bus/` beside the socket. Loaded
 * dynamically so the socket works without the bus module (and without Redis installed).
 */
async function startBus(
  url: string,
  secret: string | undefined,
  maxMessageBytes: number,
): Promise<{ close(): unknown }> {
  const modulePath = './bus/endpoint.js';
  type BusOptions = { app: string; secret?: string; maxMessageBytes: number; execute: typeof executeCommand };
  const bus = (await import(modulePath)) as {
    startBusEndpoint(url: string, options: BusOptions): Promise<{ close(): unknown }> | { close(): unknown };
  };
  // The socket's frame limit applies to bus messages too: a command too big for one is too big for the other.
  const options: BusOptions = { app: processIdentity().app, maxMessageBytes, execute: executeCommand };
  if (secret) options.secret = secret;
  return await bus.startBusEndpoint(url, options);
}

/** True for a host name or address that only this machine can reach. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * `LOGDIAL_ALLOW_PATHS`: `:`-separated like PATH, where `udp://host:514` and `tcp://[::1]:601`
 * stay whole (their colons are not separators).
 */
export function parseAllowList(value: string): string[] {
  return value.match(/(?:udp|tcp):\/\/(?:\[[^\]]*\]|[^:/]+)(?::\d+)?|[^:]+/g) ?? [];
}

function parsePortEnv(value: string | undefined): number | [number, number] | undefined {
  if (!value) return undefined;
  const m = /^(\d+)(?:-(\d+))?$/.exec(value.trim());
  if (!m) return undefined;
  return m[2] ? [Number(m[1]), Number(m[2])] : Number(m[1]);
}

let autoHandle: ListenHandle | null = null;

/**
 * `LOGDIAL_LISTEN=1` at import: starts {@link listen} with `LOGDIAL_APP`, `LOGDIAL_PORT`
 * (`N` or `A-B`), `LOGDIAL_SECRET`, `LOGDIAL_LEGACY=1`, `LOGDIAL_BUS`. Main thread only (worker
 * threads follow the main thread instead). Never throws.
 */
export function listenFromEnv(env: NodeJS.ProcessEnv = process.env): ListenHandle | null {
  try {
    if (!isMainThread || autoHandle) return autoHandle;
    const flag = (env['LOGDIAL_LISTEN'] ?? '').toLowerCase();
    // LOGDIAL_BUS alone also starts it (DESIGN: `bus` or LOGDIAL_BUS joins the fleet). [bus wiring]
    if (!['1', 'true', 'yes', 'on'].includes(flag) && !env['LOGDIAL_BUS']) return null;
    const options: ListenOptions = {};
    if (env['LOGDIAL_APP']) options.app = env['LOGDIAL_APP'];
    const port = parsePortEnv(env['LOGDIAL_PORT']);
    if (port !== undefined) options.port = port;
    if (env['LOGDIAL_SECRET']) options.secret = env['LOGDIAL_SECRET'];
    if (env['LOGDIAL_LEGACY'] === '1') options.legacy = true;
    if (env['LOGDIAL_BUS']) options.bus = env['LOGDIAL_BUS'];
    if (env['LOGDIAL_ALLOW_PATHS']) options.allowPaths = parseAllowList(env['LOGDIAL_ALLOW_PATHS']);
    autoHandle = listen(options);
    return autoHandle;
  } catch (error) {
    report('LOGDIAL_LISTEN: control endpoint not started', error);
    return null;
  }
}
