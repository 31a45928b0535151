/**
 * The control endpoint of a process: a Unix domain socket in the private runtime directory (with
 * a manifest beside it), optionally a TCP port (HMAC-authenticated, or Python-compatible with
 * `legacy: true`), optionally the Redis bus. Every transport decodes a command and calls
 * `executeCommand`. `listen()` is the facade; the endpoint itself is a `ControlServer`
 * (control/control-server.ts).
 *
 * Starting it never blocks or breaks logging: `listen()` returns at once, binds in the
 * background, and reports problems on the `logdial` logger (stderr by default), never by throwing
 * into the application.
 */
import { isMainThread } from 'node:worker_threads';
import { ControlServer, rewriteManifests } from './control-server.js';
import { listenOptionsFromEnv } from './listen-env.js';
import { configureOperations } from './operations.js';
import { controlPlaneUnsupported } from './platform.js';
import type { Manifest } from './protocol.js';
import { report } from './report.js';
import { processIdentity, setAppName } from './state.js';

export { parseAllowList } from './listen-env.js';

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
  // A worker thread shares its process's pid and endpoint; it follows the main thread's
  // configuration instead (see threads.ts). An inert handle keeps shared start-up code working.
  if (!isMainThread) return inertHandle();
  const appBefore = processIdentity().app;
  setAppName(options.app);
  if (processIdentity().app !== appBefore) rewriteManifests();
  if (options.allowPaths) configureOperations({ allowPaths: options.allowPaths });
  const server = new ControlServer(options);
  const ready = server.start().catch((error) => report('control endpoint failed', error));
  return {
    ready,
    get socketPath() {
      return server.socketPath;
    },
    get port() {
      return server.port;
    },
    get manifest() {
      return server.manifest;
    },
    close: () => server.close(ready),
  };
}

/** A handle with nothing behind it, so shared start-up code works where no endpoint is started. */
function inertHandle(): ListenHandle {
  return { ready: Promise.resolve(), socketPath: null, port: null, manifest: null, close: async () => {} };
}

let autoHandle: ListenHandle | null = null;

/**
 * `LOGDIAL_LISTEN=1` at import: starts {@link listen} with `LOGDIAL_APP`, `LOGDIAL_PORT`
 * (`N` or `A-B`), `LOGDIAL_SECRET`, `LOGDIAL_LEGACY=1`, `LOGDIAL_BUS` (see control/listen-env.ts).
 * Main thread only (worker threads follow the main thread instead). Never throws.
 */
export function listenFromEnv(env: NodeJS.ProcessEnv = process.env): ListenHandle | null {
  try {
    if (!isMainThread || autoHandle) return autoHandle;
    const options = listenOptionsFromEnv(env);
    if (!options) return null;
    autoHandle = listen(options);
    return autoHandle;
  } catch (error) {
    report('LOGDIAL_LISTEN: control endpoint not started', error);
    return null;
  }
}
