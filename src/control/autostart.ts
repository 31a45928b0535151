/**
 * The control plane as the library's entry point sees it, loaded (by `src/entry/control.ts`) when
 * the environment may ask for an endpoint, in a worker thread, when the config layer loads, or at
 * the first call of `listen` or `executeCommand`. It decides from the environment whether an
 * endpoint starts and loads the rest of `src/control/` only then. What must stay synchronous
 * stays here:
 * - the main thread shares every configuration applied in code with its worker threads (a worker
 *   created right after `dictConfig` logs its first line with it);
 * - a worker thread applies its main thread's configuration before its first line.
 * Never throws: logging must work even if this fails.
 */
import { isMainThread } from 'node:worker_threads';
import { applySpec, getCurrentConfig } from '../config/apply.js';
import { parseConfigText } from '../config/load.js';
import type { ConfigSpec } from '../config/spec.js';
import { getRootLogger, loggerIndex } from '../core/logger.js';
import type { ListenHandle, ListenOptions } from './listen.js';
import { listenOptionsFromEnv } from './listen-env.js';
import type { ControlCommand, ControlReply, Requester } from './protocol.js';
import { restoreLoggers, snapshotLoggers, type LoggerSnapshot } from './state.js';
import { followMainThread, onConfigAppliedOutsideControl, publishToThreads, serveThreads } from './threads.js';

let started = false;
let sharing = false;

/** A worker thread's own base while the main thread runs a temporary push. */
let workerBase: {
  config: { spec: ConfigSpec; source: string | null } | null;
  loggers: Map<string, LoggerSnapshot>;
} | null = null;

/** Called once from the library's entry point. */
export function startControlFromEnv(): void {
  if (started) return;
  started = true;
  try {
    if (isMainThread) {
      shareConfigWithThreads();
      listenFromEnv();
    } else {
      followMainThread({ apply: applyFromMainThread, revert: revertToOwnBase });
    }
  } catch (error) {
    reportNotStarted(error);
  }
}

/** Main thread: configurations applied in code (or by a watched file's reload) reach worker threads. */
export function shareConfigWithThreads(): void {
  if (sharing || !isMainThread) return;
  sharing = true;
  onConfigAppliedOutsideControl(shareWithThreads);
}

/**
 * Starts the control endpoint (see `control/listen.ts`, loaded now). Returns at once; the handle
 * fills in once the endpoint is bound (`await handle.ready`).
 */
export function listen(options: ListenOptions = {}): ListenHandle {
  return deferredHandle(import('./listen.js').then((m) => m.listen(options)));
}

let autoHandle: ListenHandle | null = null;

/**
 * `LOGDIAL_LISTEN=1` (or `LOGDIAL_BUS`): starts {@link listen} with the environment's options
 * (`control/listen-env.ts`); null when the environment asks for none. Main thread only (worker
 * threads follow the main thread instead). Never throws.
 */
export function listenFromEnv(env: NodeJS.ProcessEnv = process.env): ListenHandle | null {
  if (!isMainThread || autoHandle) return autoHandle;
  try {
    if (!listenOptionsFromEnv(env)) return null;
  } catch (error) {
    reportNotStarted(error);
    return null;
  }
  autoHandle = deferredHandle(import('./listen.js').then((m) => m.listenFromEnv(env)));
  return autoHandle;
}

/** Carries out a control command in this process (see `control/operations.ts`, loaded now). */
export async function executeCommand(cmd: ControlCommand, requester: Requester): Promise<ControlReply> {
  const operations = await import('./operations.js');
  return operations.executeCommand(cmd, requester);
}

/** A handle whose endpoint is still being loaded: empty until then, `ready` waits for both. */
function deferredHandle(loading: Promise<ListenHandle | null>): ListenHandle {
  let handle: ListenHandle | null = null;
  const ready = loading
    .then(async (loaded) => {
      handle = loaded;
      await loaded?.ready;
    })
    .catch(reportNotStarted);
  return {
    ready,
    get socketPath() {
      return handle?.socketPath ?? null;
    },
    get port() {
      return handle?.port ?? null;
    },
    get manifest() {
      return handle?.manifest ?? null;
    },
    async close() {
      await ready;
      await handle?.close();
    },
  };
}

function reportNotStarted(error: unknown): void {
  try {
    process.stderr.write(
      `logdial: control plane not started: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  } catch {
    // nothing left to report to
  }
}

/** Worker thread: the main thread's configuration, remembering this thread's own for a temporary one. */
function applyFromMainThread(update: {
  config: string;
  format: 'ini' | 'json' | 'yaml';
  source: string;
  disableExisting: boolean;
  temporary?: boolean;
  defaults?: Readonly<Record<string, string | number | boolean>> | undefined;
}): void {
  const spec = parseConfigText(update.config, update.format, { file: update.source, defaults: update.defaults });
  if (update.temporary && !workerBase) {
    const current = getCurrentConfig();
    workerBase = {
      config: current ? { spec: current.spec, source: current.source ?? null } : null,
      loggers: snapshotLoggers(),
    };
  }
  if (!update.temporary) workerBase = null;
  applySpec(spec, { disableExisting: update.disableExisting, source: update.source });
}

/** Worker thread: a temporary push ended; back to this thread's own configuration. */
function revertToOwnBase(): void {
  const base = workerBase;
  workerBase = null;
  if (!base) return;
  if (base.config) applySpec(base.config.spec, { disableExisting: false, source: base.config.source ?? undefined });
  restoreLoggers(base.loggers);
}

/** Main thread: a configuration applied in code or by a watched file's reload reaches the worker threads. */
function shareWithThreads(spec: ConfigSpec, source: string | null, disableExisting: boolean): void {
  const origin = spec.origin;
  if (!origin) return; // an object config holding functions: it cannot be sent as text
  serveThreads();
  // The loggers with a level of their own (as the control plane sends): the others inherit, and
  // walking every logger would make a configuration's cost grow with the size of the tree.
  const levels: Record<string, number> = { '': getRootLogger().level };
  for (const logger of loggerIndex.withLevel) levels[logger.name] = logger.level;
  publishToThreads({
    apply: {
      config: origin.text,
      format: origin.format,
      source: source ?? spec.file ?? '<config>',
      disableExisting,
      defaults: origin.defaults,
    },
    levels,
  });
}
