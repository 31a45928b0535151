/**
 * What the library does at import for the control plane: `LOGDIAL_LISTEN=1` starts the endpoint
 * in the main thread, which also shares every configuration it applies with its worker threads;
 * a worker thread starts following its main thread's configuration. Never throws: logging must
 * work even if this fails.
 */
import { isMainThread } from 'node:worker_threads';
import { getLogger, getLoggers } from '../core/logger.js';
import { applyConfig, currentConfig, onConfigAppliedOutsideControl, parseConfig, type Spec } from './config-bridge.js';
import { listenFromEnv } from './listen.js';
import { followMainThread, publishToThreads, serveThreads } from './threads.js';

let started = false;

/** A worker thread's own base while the main thread runs a temporary push. */
let workerBase: {
  config: { spec: Spec; source: string | null } | null;
  loggers: Map<string, { level: number; propagate: boolean; disabled: boolean }>;
} | null = null;

/** Called once from the library's entry point. */
export function startControlFromEnv(): void {
  if (started) return;
  started = true;
  try {
    if (isMainThread) {
      onConfigAppliedOutsideControl(shareWithThreads);
      listenFromEnv();
    } else {
      followMainThread({
        apply(update) {
          const spec = parseConfig(update.config, update.format, update.source, update.defaults);
          if (update.temporary && !workerBase) {
            // Remember this thread's own configuration, to return to when the push ends.
            const loggers = new Map(
              getLoggers().map((l) => [l.name, { level: l.level, propagate: l.propagate, disabled: l.disabled }]),
            );
            workerBase = { config: currentConfig(), loggers };
          }
          if (!update.temporary) workerBase = null;
          applyConfig(spec, { disableExisting: update.disableExisting, source: update.source });
        },
        revert() {
          const base = workerBase;
          workerBase = null;
          if (!base) return;
          if (base.config) applyConfig(base.config.spec, { disableExisting: false, source: base.config.source });
          for (const [name, snap] of base.loggers) {
            const logger = getLogger(name);
            logger.setLevel(snap.level);
            logger.propagate = snap.propagate;
            logger.disabled = snap.disabled;
          }
        },
      });
    }
  } catch (error) {
    try {
      process.stderr.write(
        `logdial: control plane not started: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    } catch {
      // nothing left to report to
    }
  }
}

/** Main thread: a configuration applied in code or by a watched file's reload reaches the worker threads. */
function shareWithThreads(spec: Spec, source: string | null, disableExisting: boolean): void {
  const origin = spec.origin;
  if (!origin) return; // an object config holding functions: it cannot be sent as text
  serveThreads();
  const levels: Record<string, number> = {};
  for (const logger of getLoggers()) levels[logger.name] = logger.level;
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
