/**
 * All-or-nothing application of a {@link ConfigSpec}, in named steps:
 *
 * 1. check destinations — every file and address against the allow-lists, before anything opens;
 * 2. build — formatters, filters and handlers constructed, each configured logger's new state
 *    computed, off to the side (`apply-build.ts`): no live logger is touched;
 * 3. swap — the loggers take their new states, synchronously, so between two log calls on Node's
 *    single thread no record can be lost, duplicated or half-written; it cannot fail; the cached
 *    thresholds are refreshed once for all the changed loggers (`batchLevelChanges`);
 * 4. close the replaced — handlers no longer attached anywhere are flushed, then closed.
 *
 * CPython's fileConfig/dictConfig close the running handlers first and then build the new ones, so
 * a bad handler leaves the process half-configured. Here any failure in steps 1–2 closes what was
 * built, throws a {@link ConfigError} and changes nothing (running handlers keep writing). Steps
 * 1–2 may run in slices with the event loop running between them ({@link prepareSpecInSlices}),
 * so a large push never stalls the process for long; step 3 stays one piece.
 */
import type { FilterLike } from '../core/filter.js';
import { NOTSET } from '../core/levels.js';
import {
  type Logger,
  type RecordHandler,
  batchLevelChanges,
  getLogger,
  getRootLogger,
  hasLogger,
  loggerIndex,
  loggersBelow,
} from '../core/logger.js';
import type { RecordFormatter } from '../format/types.js';
import { setRedaction } from '../format/redaction.js';
import { type Handler, getLiveHandlers } from '../handlers/handler.js';
import {
  type Built,
  type LoggerPlan,
  type Plans,
  buildAll,
  checkDestinations,
  closeQuietly,
  planLoggers,
} from './apply-build.js';
import { ConfigError } from './errors.js';
import { compareText } from './order.js';
import { runAll, runInSlices } from './slices.js';
import { planTriggers } from './triggers-spec.js';
import type { ConfigSpec, LoggerSpec } from './spec.js';
import { resolve as resolvePath } from 'node:path';

/** Options of {@link applySpec}. */
export interface ApplyOptions {
  /** Overrides the spec's `disable_existing_loggers`. */
  disableExisting?: boolean | undefined;
  /**
   * Called with the absolute path of every file a handler would open, before anything is built;
   * throwing rejects the whole configuration (the control plane's allow-list).
   */
  allowPath?: ((path: string) => void) | undefined;
  /**
   * Called with every network destination a handler would send to (`udp://host:514`), before
   * anything is built; throwing rejects the whole configuration (the control plane's allow-list).
   */
  allowAddress?: ((address: string) => void) | undefined;
  /** Where the configuration came from, for status (`/etc/app/info.conf`, `push from pid 42`). */
  source?: string | undefined;
  /**
   * Loggers (and their descendants) never disabled by `disable_existing_loggers`, so the process can
   * still report what it applied. Default `['logdial']`.
   */
  keepEnabled?: readonly string[] | undefined;
}

/** The configuration in effect, as {@link applySpec} left it. */
export interface AppliedConfig {
  readonly spec: ConfigSpec;
  /** `options.source`, else the spec's file. */
  readonly source: string | undefined;
  readonly appliedAt: Date;
  /** The handlers this configuration built, by id. */
  readonly handlers: ReadonlyMap<string, Handler>;
  readonly formatters: ReadonlyMap<string, RecordFormatter>;
  /** Handlers that were replaced and closed by this apply. */
  readonly closedHandlers: number;
}

let current: AppliedConfig | null = null;
/** Every handler configuration built and that is not closed yet (including ones still attached to untouched loggers). */
const configHandlers = new Set<Handler>();
/** Filters configuration put on loggers (replaced, not accumulated, on the next apply). */
const configLoggerFilters = new Map<Logger, FilterLike[]>();

/** The configuration most recently applied (`null` before the first), for status. */
export function getCurrentConfig(): AppliedConfig | null {
  return current;
}

/** Absolute paths of every file the spec's handlers would open (for allow-lists). */
export function specFilePaths(spec: ConfigSpec): string[] {
  const out: string[] = [];
  for (const h of spec.handlers) {
    for (const f of h.call.entry.files?.(h.call.bound) ?? []) out.push(resolvePath(f));
  }
  return [...new Set(out)];
}

/** Network destinations of the spec's handlers (`udp://host:514`), for allow-lists. */
export function specAddresses(spec: ConfigSpec): string[] {
  const out: string[] = [];
  for (const h of spec.handlers) out.push(...(h.call.entry.addresses?.(h.call.bound) ?? []));
  return [...new Set(out)];
}

/**
 * Applies a spec: builds everything, then swaps it in atomically, then flushes and closes what it
 * replaced. Throws a located {@link ConfigError} — and changes nothing — if anything fails first.
 *
 * Semantics are Python's `fileConfig`/`dictConfig`: configured loggers get their level, handlers, propagate and are
 * enabled; existing loggers below a configured one are reset; every other existing logger is
 * disabled when `disable_existing_loggers` is true (re-enabled when false). Deliberate
 * differences: `disable_existing_loggers` defaults to false (the parsers'); nothing changes on error; only handlers no longer attached anywhere are closed
 * (Python closes every handler but leaves closed ones attached, where they keep writing); the
 * `logdial` logger stays enabled (see {@link ApplyOptions.keepEnabled}).
 */
export function applySpec(spec: ConfigSpec, options: ApplyOptions = {}): AppliedConfig {
  return runAll(prepareSteps(spec, options)).commit();
}

/**
 * Steps 1–2 of {@link applySpec} in slices of a few milliseconds, the event loop running in
 * between; `commit()` on the result is the swap (one piece). Rejects with a located
 * {@link ConfigError}, having changed nothing.
 */
export function prepareSpecInSlices(spec: ConfigSpec, options: ApplyOptions = {}): Promise<PreparedApply> {
  return runInSlices(prepareSteps(spec, options));
}

/** A configuration checked and built, not swapped in yet: {@link commit} or {@link discard} it. */
export interface PreparedApply {
  readonly spec: ConfigSpec;
  /** Swaps it in (cannot fail), closes what it replaced, tells the listeners. */
  commit(): AppliedConfig;
  /** Closes what was built; nothing was changed. */
  discard(): void;
}

function* prepareSteps(spec: ConfigSpec, options: ApplyOptions): Generator<unknown, PreparedApply> {
  const installTriggers = planTriggers(spec.triggers, spec.incremental); // checked before any change
  if (spec.incremental) {
    const changes = handlerLevelChanges(spec);
    return prepared(spec, options, { swap: () => applyIncremental(spec, options, changes), installTriggers }, () => {});
  }
  checkDestinations(spec, options);
  const built = yield* buildAll(spec);
  const plans = yield* planLoggers(spec, built);
  return prepared(spec, options, { swap: () => swapIn(spec, options, built, plans), installTriggers }, () => {
    for (const h of [...built.handlers.values()].reverse()) closeQuietly(h);
  });
}

function prepared(
  spec: ConfigSpec,
  options: ApplyOptions,
  { swap, installTriggers }: { swap: () => AppliedConfig; installTriggers: () => void },
  discard: () => void,
): PreparedApply {
  let done = false;
  const once = () => {
    if (done) throw new Error('a prepared configuration is committed or discarded once');
    done = true;
  };
  return {
    spec,
    commit() {
      once();
      const applied = swap();
      // After the rest succeeded: a failed configuration changes nothing, redaction included.
      if (spec.redact) setRedaction(spec.redact.redactor);
      installTriggers();
      for (const listener of appliedListeners) {
        try {
          listener(applied, options);
        } catch {
          // A listener (worker-thread sharing) must not undo or fail an applied configuration.
        }
      }
      return applied;
    },
    discard() {
      once();
      discard();
    },
  };
}

const appliedListeners: Array<(applied: AppliedConfig, options: ApplyOptions) => void> = [];

/** Calls `listener` after every successful {@link applySpec} (higher layers share the change). */
export function onConfigApplied(listener: (applied: AppliedConfig, options: ApplyOptions) => void): void {
  appliedListeners.push(listener);
}

/** Incremental: the running handlers the spec names, each with its new level (a missing one is an error). */
function handlerLevelChanges(spec: ConfigSpec): Array<[Handler, number]> {
  const live = getLiveHandlers();
  const changes: Array<[Handler, number]> = [];
  for (const h of spec.handlerLevels) {
    const handler = [...live].reverse().find((x) => x.name === h.id);
    if (!handler)
      throw new ConfigError(`No handler found with name '${h.id}'`, {
        ...h.loc,
        pythonType: 'ValueError',
        expected: `a running handler: ${
          live
            .map((x) => x.name)
            .filter(Boolean)
            .join(', ') || '(none named)'
        }`,
      });
    if (h.level !== undefined) changes.push([handler, h.level]);
  }
  return changes;
}

function applyIncremental(spec: ConfigSpec, options: ApplyOptions, changes: Array<[Handler, number]>): AppliedConfig {
  for (const [handler, level] of changes) handler.setLevel(level);
  const loggers = [...spec.loggers, ...(spec.root ? [spec.root] : [])];
  batchLevelChanges(() => {
    for (const l of loggers) {
      const logger = getLogger(l.name);
      if (l.level !== undefined) logger.setLevel(l.level);
      if (l !== spec.root) {
        logger.disabled = false;
        if (l.propagate !== undefined) logger.propagate = l.propagate;
      }
    }
  });
  current = {
    spec,
    source: options.source ?? spec.file,
    appliedAt: new Date(),
    handlers: current?.handlers ?? new Map(),
    formatters: current?.formatters ?? new Map(),
    closedHandlers: 0,
  };
  return current;
}

/** Step 3, the swap: synchronous, cannot fail; then step 4. */
function swapIn(spec: ConfigSpec, options: ApplyOptions, built: Built, plans: Plans): AppliedConfig {
  const disableExisting = options.disableExisting ?? spec.disableExistingLoggers;
  const keep = options.keepEnabled ?? ['logdial'];
  const removed = new Set<RecordHandler>();
  const configured = new Set(spec.loggers.map((l) => l.name));
  // One refresh of the changed subtrees at the end, not one per logger; before any handler
  // closes, so whatever a closing handler logs meets the new levels.
  batchLevelChanges(() => {
    if (spec.rootFirst && plans.root) configure(plans.root, removed);
    for (const plan of plans.loggers) configure(plan, removed);
    settleExisting(spec.loggers, configured, { disableExisting, keep }, removed);
    if (!spec.rootFirst && plans.root) configure(plans.root, removed);
  });
  const closed = closeReplaced(built, removed);
  current = {
    spec,
    source: options.source ?? spec.file,
    appliedAt: new Date(),
    handlers: built.handlers,
    formatters: built.formatters,
    closedHandlers: closed,
  };
  return current;
}

/** One logger takes its planned state; the handlers it had go to `removed`. */
function configure(plan: LoggerPlan, removed: Set<RecordHandler>): void {
  const { logger, spec: l } = plan;
  if (l.level !== undefined) logger.setLevel(l.level);
  if (logger.handlers.length > 0)
    for (const h of [...logger.handlers]) {
      logger.removeHandler(h);
      removed.add(h);
    }
  for (const h of plan.handlers) logger.addHandler(h);
  const oldFilters = configLoggerFilters.get(logger);
  if (oldFilters) for (const f of oldFilters) logger.removeFilter(f);
  for (const f of plan.filters) logger.addFilter(f);
  if (plan.filters.length > 0) configLoggerFilters.set(logger, [...plan.filters]);
  else configLoggerFilters.delete(logger);
  if (!plan.isRootSection) {
    if (l.propagate !== undefined) logger.propagate = l.propagate;
    logger.disabled = false;
  }
}

/** Step 4: flushes and closes every handler no longer attached anywhere; returns how many. */
function closeReplaced(built: Built, removed: ReadonlySet<RecordHandler>): number {
  const attached = new Set<RecordHandler>();
  for (const logger of loggerIndex.withHandlers) for (const h of logger.handlers) attached.add(h);
  const fresh = new Set<RecordHandler>(built.handlers.values());
  // Most recent first, as Python's shutdown: a MemoryHandler flushes into its target before the target closes.
  const candidates = [...new Set<RecordHandler>([...configHandlers, ...removed])].reverse();
  let closed = 0;
  for (const h of candidates) {
    if (fresh.has(h) || attached.has(h)) continue;
    closeQuietly(h as Handler);
    configHandlers.delete(h as Handler);
    closed++;
  }
  for (const h of built.handlers.values()) configHandlers.add(h);
  return closed;
}

/**
 * The existing loggers the config does not name: those below a configured logger are reset (level
 * NOTSET, no handlers — added to `removed` — propagate on); the others are disabled or enabled.
 * Python visits every existing logger; here only those whose state can change are visited (the
 * enabled ones when disabling, the disabled ones otherwise, the subtrees of configured loggers),
 * so the cost does not grow with loggers the config leaves as they are. The loggers the config
 * created itself are configured ones, so they are never "existing" here.
 */
function settleExisting(
  named: readonly LoggerSpec[],
  configured: ReadonlySet<string>,
  how: { disableExisting: boolean; keep: readonly string[] },
  removed: Set<RecordHandler>,
): void {
  const root = getRootLogger();
  const untouched = (logger: Logger) =>
    logger !== root && !configured.has(logger.name) && !hasAncestorIn(logger.name, configured);
  if (how.disableExisting) {
    const kept = new Set<Logger>();
    for (const k of how.keep) {
      if (hasLogger(k)) kept.add(getLogger(k));
      for (const logger of loggersBelow(k)) kept.add(logger);
    }
    for (const logger of [...loggerIndex.enabled]) if (!kept.has(logger) && untouched(logger)) logger.disabled = true;
    for (const logger of kept) if (untouched(logger)) logger.disabled = false;
  } else {
    for (const logger of [...loggerIndex.disabled]) if (untouched(logger)) logger.disabled = false;
  }
  const children = new Set<Logger>();
  for (const l of named) {
    // Every named logger exists by now (the build created it), so one without children has none below.
    if (hasLogger(l.name) && getLogger(l.name).children.size === 0) continue;
    for (const logger of loggersBelow(l.name)) if (!configured.has(logger.name)) children.add(logger);
  }
  // By name, as Python visits them: the order in which replaced handlers are later closed.
  const sorted = [...children].sort((a, b) => compareText(a.name, b.name));
  for (const logger of sorted) {
    logger.setLevel(NOTSET);
    for (const h of [...logger.handlers]) {
      logger.removeHandler(h);
      removed.add(h);
    }
    logger.propagate = true;
  }
}

/** True when a proper ancestor name of `name` (`a` and `a.b` for `a.b.c`) is in `names`. */
function hasAncestorIn(name: string, names: ReadonlySet<string>): boolean {
  let cut = name.lastIndexOf('.');
  while (cut > 0) {
    if (names.has(name.slice(0, cut))) return true;
    cut = name.lastIndexOf('.', cut - 1);
  }
  return false;
}
