/**
 * Worker threads follow their process's configuration. Only the main thread has a control
 * endpoint; after every change — a configuration applied in code or from a watched file, a push,
 * a `set`, a revert — it broadcasts the loggers' levels (and the config's text) on a
 * `BroadcastChannel`, and each worker thread that loaded the library applies them to its own
 * logger tree (each thread has its own loggers and handlers). The last state is also kept as
 * environment data, which a worker created later reads synchronously when it loads the library,
 * so its first lines already follow the configuration; its `hello` then catches any change made
 * between its creation and its subscription.
 */
import { BroadcastChannel, getEnvironmentData, isMainThread, setEnvironmentData } from 'node:worker_threads';
import { applySpec, onConfigApplied, prepareSpecInSlices } from '../config/apply.js';
import type { ConfigSpec } from '../config/spec.js';
import { NOTSET } from '../core/levels.js';
import { batchLevelChanges, getLogger, loggerIndex } from '../core/logger.js';
import { shown } from './escape.js';
import type { ConfigFormat } from './protocol.js';

const CHANNEL = 'logdial:control';
/** Key of the environment data holding the last {@link ThreadUpdate} (apply and levels). */
const STATE_KEY = 'logdial:thread-state';

/** What the main thread broadcasts. */
export interface ThreadUpdate {
  /**
   * The own level of every logger that has one (name '' is root); every other logger's own level
   * is NOTSET. Only loggers with a level are sent, so a broadcast costs what is configured, not
   * the number of loggers.
   */
  levels?: Record<string, number>;
  /** A config to apply too (applied before the levels); `defaults` are an INI file's `defaults=`. */
  apply?: {
    config: string;
    format: ConfigFormat;
    source: string;
    disableExisting: boolean;
    temporary?: boolean;
    defaults?: Readonly<Record<string, string | number | boolean>> | undefined;
  };
  /** A temporary push ended: a worker returns to the configuration it had before it. */
  revert?: boolean;
  /** A worker asking for the current state. */
  hello?: boolean;
}

let mainChannel: BroadcastChannel | null = null;
/** The last state sent, replayed to workers that say hello. */
let lastApply: ThreadUpdate['apply'] | undefined;
let lastLevels: Record<string, number> | undefined;
let serving = false;

function channel(): BroadcastChannel {
  if (!mainChannel) {
    mainChannel = new BroadcastChannel(CHANNEL);
    // The channel must never keep the process alive.
    (mainChannel as unknown as { unref?: () => void }).unref?.();
  }
  return mainChannel;
}

/** Main thread: starts answering workers' hellos with the current state (listen calls it). */
export function serveThreads(): void {
  if (!isMainThread || serving) return;
  serving = true;
  channel().onmessage = (event: unknown) => {
    const data = (event as { data?: ThreadUpdate }).data;
    if (data?.hello && (lastApply || lastLevels)) {
      const update: ThreadUpdate = {};
      if (lastApply) update.apply = lastApply;
      if (lastLevels) update.levels = lastLevels;
      channel().postMessage(update);
    }
  };
}

/** What a caller publishes: `levels` may be a function, read when the broadcast goes out. */
export type Publication = Omit<ThreadUpdate, 'levels'> & {
  levels?: ThreadUpdate['levels'] | (() => ThreadUpdate['levels']);
};

/** Changes published for the next turn of the event loop, not broadcast yet. */
let pending: Publication[] = [];

/**
 * Main thread: tells worker threads about a change. `soon` (the control plane's changes, which
 * arrive asynchronously anyway) broadcasts at the next turn of the event loop: copying the levels
 * of thousands of loggers into the environment data and the channel is then a piece of its own,
 * not part of the change's one synchronous step. Otherwise (a configuration applied in code, which
 * may create a worker on its next line) it happens now, after whatever was pending. Updates go out
 * in order and a function's levels are read when they go out, so workers converge on the latest
 * state.
 */
export function publishToThreads(update: Publication, when: 'now' | 'soon' = 'now'): void {
  if (!isMainThread) return;
  pending.push(update);
  if (when === 'now') flushToThreads();
  else if (pending.length === 1) setImmediate(flushToThreads).unref();
}

function flushToThreads(): void {
  if (pending.length === 0) return;
  const updates = pending;
  pending = [];
  let levelsNow: ThreadUpdate['levels'];
  for (const { levels, ...rest } of updates) {
    const update: ThreadUpdate = rest;
    if (levels) update.levels = typeof levels === 'function' ? (levelsNow ??= levels()) : levels;
    if (update.apply) lastApply = update.apply;
    if (update.levels) lastLevels = update.levels;
    if (!serving) continue;
    try {
      channel().postMessage(update);
    } catch {
      // a failed broadcast must not fail the change in the main thread
    }
  }
  try {
    setEnvironmentData(STATE_KEY, { apply: lastApply, levels: lastLevels } satisfies ThreadUpdate);
  } catch {
    // not cloneable: workers created later ask with their hello
  }
}

/** Stops serving (listen's close). */
export function stopServingThreads(): void {
  serving = false;
  mainChannel?.close();
  mainChannel = null;
}

let following: BroadcastChannel | null = null;

type FollowCallbacks = { apply?: (apply: NonNullable<ThreadUpdate['apply']>) => void; revert?: () => void };

/**
 * Worker thread: applies the main thread's state at once (from the environment data it had when
 * this worker was created), then its broadcasts, to this thread's loggers. Idempotent.
 */
export function followMainThread(callbacks: FollowCallbacks = {}): void {
  if (isMainThread || following) return;
  let appliedText: string | undefined;
  const follow = (data: ThreadUpdate): void => {
    try {
      if (data.revert) {
        appliedText = undefined;
        callbacks.revert?.();
      }
      // The hello's answer repeats what the environment data held: applied once.
      if (data.apply && callbacks.apply && (data.revert || data.apply.config + data.apply.source !== appliedText)) {
        callbacks.apply(data.apply);
        appliedText = data.apply.config + data.apply.source;
      }
      if (data.levels) applyOwnLevels(data.levels);
    } catch (error) {
      process.stderr.write(
        `logdial: worker thread could not follow the main thread's config: ${shown((error as Error).message)}\n`,
      );
    }
  };
  const initial = getEnvironmentData(STATE_KEY) as ThreadUpdate | undefined;
  if (initial) follow(initial);
  following = new BroadcastChannel(CHANNEL);
  (following as unknown as { unref?: () => void }).unref?.();
  following.onmessage = (event: unknown) => {
    const data = (event as { data?: ThreadUpdate }).data;
    if (data && !data.hello) follow(data);
  };
  following.postMessage({ hello: true } satisfies ThreadUpdate);
}

/** Gives every logger the level `levels` names, NOTSET to the others that have one. */
function applyOwnLevels(levels: Record<string, number>): void {
  batchLevelChanges(() => {
    for (const logger of [...loggerIndex.withLevel]) if (!Object.hasOwn(levels, logger.name)) logger.setLevel(NOTSET);
    for (const [name, level] of Object.entries(levels)) getLogger(name).setLevel(level);
  });
}

/** Worker thread: stops following (tests). */
export function unfollowMainThread(): void {
  following?.close();
  following = null;
}

let controlApplying = false;

/**
 * Applies a spec all-or-nothing as the control plane (throws and changes nothing on error): the
 * control plane tells worker threads about its own changes, so the hook of
 * {@link onConfigAppliedOutsideControl} skips this one. `allowPath`/`allowAddress` throw for a
 * destination the spec may not use; the config layer checks them all before opening anything.
 */
export function applyAsControl(
  spec: ConfigSpec,
  options: {
    disableExisting: boolean;
    allowPath?: (path: string) => void;
    allowAddress?: (address: string) => void;
    source?: string | null;
  },
): void {
  controlApplying = true;
  try {
    applySpec(spec, {
      disableExisting: options.disableExisting,
      source: options.source ?? undefined,
      allowPath: options.allowPath,
      allowAddress: options.allowAddress,
    });
  } finally {
    controlApplying = false;
  }
}

/** A pushed configuration checked and built, not swapped in yet. */
export interface PreparedConfig {
  /** Swaps it in: one synchronous step that cannot fail. */
  commit(): void;
  /** Closes what was built; nothing changed. */
  discard(): void;
}

/**
 * {@link applyAsControl} in two parts: checks the spec's destinations and builds it off to the
 * side, in slices of a few milliseconds (the process keeps logging meanwhile); nothing changes
 * until `commit()`. Rejects with a located `ConfigError`.
 */
export async function prepareAsControl(
  spec: ConfigSpec,
  options: Parameters<typeof applyAsControl>[1],
): Promise<PreparedConfig> {
  const prepared = await prepareSpecInSlices(spec, {
    disableExisting: options.disableExisting,
    source: options.source ?? undefined,
    allowPath: options.allowPath,
    allowAddress: options.allowAddress,
  });
  return {
    commit() {
      controlApplying = true;
      try {
        prepared.commit();
      } finally {
        controlApplying = false;
      }
    },
    discard: () => prepared.discard(),
  };
}

/** Calls `listener` after every configuration applied outside the control plane (in code, or a watched file's reload). */
export function onConfigAppliedOutsideControl(
  listener: (spec: ConfigSpec, source: string | null, disableExisting: boolean) => void,
): void {
  onConfigApplied((applied, options) => {
    if (!controlApplying)
      listener(applied.spec, applied.source ?? null, options.disableExisting ?? applied.spec.disableExistingLoggers);
  });
}
