/**
 * Exit flushing and `shutdown()`.
 *
 * Buffered output must reach its destination however the process ends. Hooks are installed once,
 * lazily, when the first sink is created:
 * - `exit` (normal end, `process.exit()`, and an uncaught exception or unhandled rejection, after
 *   which Node still emits `exit`): flush every live handler (so a MemoryHandler hands its records
 *   to its target, as Python's `atexit` shutdown does), then every sink, synchronously; then switch
 *   the sinks to write-through, so lines logged by later `exit` listeners are written too.
 * - `uncaughtExceptionMonitor` (also fired for unhandled rejections): flush the sinks before any
 *   `uncaughtException` listener or Node's report runs, so log lines come before the crash trace.
 * - `SIGTERM` / `SIGINT` / `SIGHUP`: flush; then, if no other listener handles the signal, remove ours and
 *   re-raise it so the process still dies "killed by signal" (the default behaviour the app
 *   expects). When the app has its own listener, we only flush and leave the rest to it.
 *
 * Signal hooks are installed only on the main thread (workers do not receive signals).
 */
const { isMainThread } = process.getBuiltinModule('node:worker_threads');
import { getLiveHandlers } from './handler.js';

/** What the lifecycle needs from a sink (avoids importing the sink module here). */
export interface FlushableSink {
  flush(): void;
  writeThrough(): void;
}

const sinks = new Set<FlushableSink>();
let hooksInstalled = false;
let exiting = false;

/** Signals after which buffered output is flushed before the process dies. */
export const FLUSHED_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

/** @internal registers a sink for exit flushing (called by the sink's constructor). */
export function trackSink(sink: FlushableSink): void {
  sinks.add(sink);
  if (!hooksInstalled) installHooks();
}

/** @internal installs the exit hooks now (handlers that buffer without a sink, e.g. MemoryHandler). */
export function ensureExitHooks(): void {
  if (!hooksInstalled) installHooks();
}

/** @internal */
export function untrackSink(sink: FlushableSink): void {
  sinks.delete(sink);
}

const signalDeathCleanups = new Set<() => void>();

/**
 * Registers a synchronous cleanup that runs when a signal is about to kill the process (after the
 * output is flushed, before the signal is re-raised) — when the process dies that way, `exit`
 * listeners never run. The control endpoint removes its socket and manifest here. Installs the
 * signal hooks if they are not yet. Returns a function that unregisters it.
 */
export function onSignalDeath(cleanup: () => void): () => void {
  signalDeathCleanups.add(cleanup);
  if (!hooksInstalled) installHooks();
  return () => signalDeathCleanups.delete(cleanup);
}

/** True once the process emitted `exit`: sinks write through from then on. */
export function isExiting(): boolean {
  return exiting;
}

/** Writes everything buffered in every sink, synchronously. Never throws. */
export function flushAll(): void {
  for (const sink of sinks) {
    try {
      sink.flush();
    } catch {
      // A sink never throws; a handler-level failure was reported already.
    }
  }
}

/**
 * Python's `logging.shutdown()`: flushes and closes every live handler (most recent first), then
 * flushes anything still buffered. Handlers must not be used afterwards.
 */
export function shutdown(): void {
  for (const handler of getLiveHandlers().reverse()) {
    try {
      handler.flush();
      handler.close();
    } catch {
      // Python ignores errors here too: shutdown must reach every handler.
    }
  }
  flushAll();
}

/** Flushes every live handler (newest first, as Python's shutdown), then every sink. */
function flushEverything(): void {
  for (const handler of getLiveHandlers().reverse()) {
    try {
      handler.flush();
    } catch {
      // A broken handler must not keep the others' output from being written.
    }
  }
  flushAll();
}

function onExit(): void {
  exiting = true;
  flushEverything();
  for (const sink of sinks) sink.writeThrough();
}

function onSignal(signal: NodeJS.Signals): void {
  // Someone else handles this signal: their decision (they may log more and exit themselves, or
  // carry on). Only write what is buffered; handlers such as MemoryHandler keep their records.
  if (process.listenerCount(signal) > 1) {
    flushAll();
    return;
  }
  exiting = true;
  flushEverything();
  for (const sink of sinks) sink.writeThrough();
  for (const cleanup of signalDeathCleanups) {
    try {
      cleanup();
    } catch {
      // The process is going down; one failed cleanup must not stop the others.
    }
  }
  // The listener that called us (installHooks).
  const listener = signalListeners[signal];
  if (listener) process.removeListener(signal, listener);
  // With no listener left, Node restores the default disposition; re-raise so the exit status
  // stays "killed by SIGTERM/SIGINT" for supervisors and shells.
  process.kill(process.pid, signal);
}

const signalListeners: Partial<Record<NodeJS.Signals, () => void>> = {};

function installHooks(): void {
  hooksInstalled = true;
  process.on('exit', onExit);
  // A monitor never changes what happens to the error; it only runs before Node reports it.
  // Sinks only: the app may handle the error and carry on, so handlers keep their records.
  process.on('uncaughtExceptionMonitor', () => flushAll());
  if (!isMainThread) return;
  for (const signal of FLUSHED_SIGNALS) {
    const listener = (): void => onSignal(signal);
    signalListeners[signal] = listener;
    process.on(signal, listener);
  }
}

/** @internal for tests: whether the exit hooks are installed. */
export function hooksAreInstalled(): boolean {
  return hooksInstalled;
}
