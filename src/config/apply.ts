/**
 * All-or-nothing application of a {@link ConfigSpec}.
 *
 * CPython's fileConfig/dictConfig close the running handlers first and then build the new ones, so
 * a bad handler leaves the process half-configured. Here every formatter, filter and handler is
 * built first; any failure closes what was built, throws a {@link ConfigError} and changes nothing
 * (running handlers keep writing). Only then are loggers rewired — synchronously, so between two
 * log calls on Node's single thread no record can be lost, duplicated or half-written — and the
 * replaced handlers are flushed, then closed.
 */
import { resolve as resolvePath } from 'node:path';
import type { FilterLike } from '../core/filter.js';
import { NOTSET } from '../core/levels.js';
import {
  type Logger,
  type RecordHandler,
  getLogger,
  getRootLogger,
  hasLogger,
  loggerIndex,
  loggersBelow,
} from '../core/logger.js';
import type { RecordFormatter } from '../format/types.js';
import { setRedaction } from '../format/redaction.js';
import { type Handler, getLiveHandlers } from '../handlers/handler.js';
import { ConfigError, type ConfigLocation } from './errors.js';
import { planTriggers } from './triggers-spec.js';
import type { ClassCall, ConfigSpec, LoggerSpec } from './spec.js';

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

function pythonTypeOf(error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  if (code === 'ENOENT') return 'FileNotFoundError';
  if (code === 'EACCES' || code === 'EPERM') return 'PermissionError';
  if (code === 'EISDIR') return 'IsADirectoryError';
  if (code === 'ENOTDIR') return 'NotADirectoryError';
  if (code === 'EEXIST') return 'FileExistsError';
  if (error instanceof TypeError) return 'TypeError';
  if (error instanceof RangeError) return 'ValueError';
  return 'ValueError';
}

function located(loc: ConfigLocation, message: string, error: unknown, expected?: string): ConfigError {
  if (error instanceof ConfigError) return error;
  return new ConfigError(message, { ...loc, pythonType: pythonTypeOf(error), expected, cause: error });
}

/** Existing attributes `'.'` may set, as Python configs do (`'.': {'terminator': '!\\n'}`). */
const SETTABLE_ATTRIBUTES: ReadonlySet<string> = new Set(['terminator']);

/**
 * Constructs a class call, then sets its dictConfig `'.'` attributes. Those may only add new
 * attributes (Python's documented use: `foo: bar` on a custom object), or a handler's `terminator`: replacing a method or a
 * field the logging path reads (`filters`, `level`, `emit`, `__proto__`…) could make every log
 * call throw into the application.
 */
function build(call: ClassCall): unknown {
  const obj = call.entry.create(call.bound);
  if (call.props && obj && typeof obj === 'object') {
    for (const [k, v] of Object.entries(call.props)) {
      if (SETTABLE_ATTRIBUTES.has(k) && k in obj) {
        (obj as Record<string, unknown>)[k] = v; // through the class's setter, which checks the value
        continue;
      }
      if (k in obj || k === '__proto__') {
        throw new ConfigError(`'.' may only add new attributes: '${k}' already exists on ${call.name}`, {
          ...call.loc,
          pythonType: 'AttributeError',
          expected: "attribute names the object does not have (use the constructor's arguments to configure it)",
        });
      }
      Object.defineProperty(obj, k, { value: v, writable: true, enumerable: true, configurable: true });
    }
  }
  return obj;
}

/** Builds a formatter or filter and checks it is one; a located {@link ConfigError} otherwise. */
function buildChecked<T>(
  call: ClassCall,
  what: string,
  isValid: (value: unknown) => boolean,
  kind: string,
  expected?: string,
): T {
  let value: unknown;
  try {
    value = build(call);
  } catch (e) {
    throw located(call.loc, `${what}: ${(e as Error).message}`, e, expected);
  }
  if (!isValid(value)) {
    throw new ConfigError(`${what}: ${call.name} did not construct ${kind}`, {
      ...call.loc,
      pythonType: 'TypeError',
      expected: `a class that builds ${kind} (logging.Formatter, logging.Filter, … or a registered class)`,
    });
  }
  return value as T;
}

function closeQuietly(handler: { flush?: () => void; close?: () => void }): void {
  try {
    handler.flush?.();
  } catch {
    // flushing a handler we are discarding must not hide the original error
  }
  try {
    handler.close?.();
  } catch {
    // ditto
  }
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
  const installTriggers = planTriggers(spec.triggers, spec.incremental); // checked before any change
  const applied = spec.incremental ? applyIncremental(spec, options) : applyFull(spec, options);
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
}

const appliedListeners: Array<(applied: AppliedConfig, options: ApplyOptions) => void> = [];

/** Calls `listener` after every successful {@link applySpec} (higher layers share the change). */
export function onConfigApplied(listener: (applied: AppliedConfig, options: ApplyOptions) => void): void {
  appliedListeners.push(listener);
}

function applyIncremental(spec: ConfigSpec, options: ApplyOptions): AppliedConfig {
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
  // Nothing can fail from here on.
  for (const [handler, level] of changes) handler.setLevel(level);
  const loggers = [...spec.loggers, ...(spec.root ? [spec.root] : [])];
  for (const l of loggers) {
    const logger = getLogger(l.name);
    if (l.level !== undefined) logger.setLevel(l.level);
    if (l !== spec.root) {
      logger.disabled = false;
      if (l.propagate !== undefined) logger.propagate = l.propagate;
    }
  }
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

function applyFull(spec: ConfigSpec, options: ApplyOptions): AppliedConfig {
  // --- 0. the allow-list, before anything is opened ----------------------------------------------
  if (options.allowPath) {
    for (const h of spec.handlers) {
      for (const f of h.call.entry.files?.(h.call.bound) ?? []) {
        const path = resolvePath(f);
        try {
          options.allowPath(path);
        } catch (e) {
          throw located(
            h.call.loc,
            `handler '${h.id}' may not write to ${path}: ${(e as Error).message}`,
            e,
            'a path the allow-list accepts',
          );
        }
      }
    }
  }
  if (options.allowAddress) {
    for (const h of spec.handlers) {
      for (const address of h.call.entry.addresses?.(h.call.bound) ?? []) {
        try {
          options.allowAddress(address);
        } catch (e) {
          throw located(
            h.call.loc,
            `handler '${h.id}' may not send to ${address}: ${(e as Error).message}`,
            e,
            'a destination the allow-list accepts',
          );
        }
      }
    }
  }

  // --- 1. build everything ---------------------------------------------------------------------------
  const formatters = new Map<string, RecordFormatter>();
  const filters = new Map<string, FilterLike>();
  const handlers = new Map<string, Handler>();
  const built: Handler[] = [];
  // A constructor that throws after the base class registered the handler leaves it live; close those too.
  const liveBefore = new Set(getLiveHandlers());
  try {
    // Checked here, not at the first log call: a non-formatter would fail every record it meets,
    // and a non-filter on a logger would throw into the application's log call.
    for (const f of spec.formatters) {
      formatters.set(
        f.id,
        buildChecked<RecordFormatter>(
          f.call,
          `formatter '${f.id}'`,
          (x) => typeof (x as RecordFormatter | null)?.format === 'function',
          'a formatter',
          'a valid format for the style',
        ),
      );
    }
    for (const f of spec.filters) {
      filters.set(
        f.id,
        buildChecked<FilterLike>(
          f.call,
          `filter '${f.id}'`,
          (x) => typeof x === 'function' || typeof (x as { filter?: unknown } | null)?.filter === 'function',
          'a filter',
        ),
      );
    }
    for (const h of spec.handlers) {
      let handler: Handler;
      try {
        handler = build(h.call) as Handler;
      } catch (e) {
        throw located(h.call.loc, `handler '${h.id}' (${h.call.name}): ${(e as Error).message}`, e);
      }
      if (!handler || typeof handler.handle !== 'function') {
        throw new ConfigError(`handler '${h.id}': ${h.call.name} did not construct a handler`, {
          ...h.keyLoc['class'],
          ...h.loc,
          pythonType: 'AttributeError',
          expected: 'a class extending Handler',
        });
      }
      built.push(handler);
      handlers.set(h.id, handler);
      try {
        handler.name = h.id;
        if (h.level !== undefined) {
          if (typeof handler.setLevel === 'function') handler.setLevel(h.level);
          else handler.level = h.level;
        }
        if (h.formatter) {
          const formatter = formatters.get(h.formatter);
          if (!formatter)
            throw new ConfigError(`formatter '${h.formatter}' is not defined`, {
              ...(h.keyLoc['formatter'] ?? h.loc),
              pythonType: 'KeyError',
            });
          if (typeof handler.setFormatter === 'function') handler.setFormatter(formatter);
          else handler.formatter = formatter;
        }
        for (const id of h.filters) {
          const filter = filters.get(id);
          if (!filter)
            throw new ConfigError(`filter '${id}' is not defined`, {
              ...(h.keyLoc['filters'] ?? h.loc),
              pythonType: 'KeyError',
            });
          handler.addFilter(filter);
        }
      } catch (e) {
        throw located(h.loc, `handler '${h.id}': ${(e as Error).message}`, e);
      }
    }
    for (const h of spec.handlers) {
      if (h.target === undefined) continue;
      const target = handlers.get(h.target);
      if (!target)
        throw new ConfigError(`target handler '${h.target}' is not defined`, {
          ...(h.keyLoc['target'] ?? h.loc),
          pythonType: 'KeyError',
        });
      (handlers.get(h.id) as unknown as { setTarget(t: RecordHandler): void }).setTarget(target);
    }
    for (const l of [...spec.loggers, ...(spec.root ? [spec.root] : [])]) {
      for (const id of l.handlers) {
        if (!handlers.has(id))
          throw new ConfigError(`handler '${id}' is not defined`, {
            ...(l.keyLoc['handlers'] ?? l.loc),
            pythonType: 'KeyError',
          });
      }
      for (const id of l.filters) {
        if (!filters.has(id))
          throw new ConfigError(`filter '${id}' is not defined`, {
            ...(l.keyLoc['filters'] ?? l.loc),
            pythonType: 'KeyError',
          });
      }
    }
  } catch (e) {
    for (const h of built.reverse()) closeQuietly(h);
    for (const h of getLiveHandlers()) if (!liveBefore.has(h)) closeQuietly(h);
    throw e instanceof ConfigError ? e : located({ file: spec.file }, (e as Error).message, e);
  }

  // --- 2. swap: synchronous, cannot fail ---------------------------------------------------------------
  const disableExisting = options.disableExisting ?? spec.disableExistingLoggers;
  const keep = options.keepEnabled ?? ['logdial'];
  const removed = new Set<RecordHandler>();
  const configured = new Set(spec.loggers.map((l) => l.name));

  const configure = (l: LoggerSpec, isRootSection: boolean): void => {
    const logger = getLogger(l.name);
    if (l.level !== undefined) logger.setLevel(l.level);
    for (const h of [...logger.handlers]) {
      logger.removeHandler(h);
      removed.add(h);
    }
    for (const id of l.handlers) logger.addHandler(handlers.get(id)!);
    const oldFilters = configLoggerFilters.get(logger);
    if (oldFilters) for (const f of oldFilters) logger.removeFilter(f);
    const newFilters = l.filters.map((id) => filters.get(id)!);
    for (const f of newFilters) logger.addFilter(f);
    if (newFilters.length > 0) configLoggerFilters.set(logger, newFilters);
    else configLoggerFilters.delete(logger);
    if (!isRootSection) {
      if (l.propagate !== undefined) logger.propagate = l.propagate;
      logger.disabled = false;
    }
  };

  if (spec.rootFirst && spec.root) configure(spec.root, true);
  for (const l of spec.loggers) configure(l, false);
  settleExisting(spec.loggers, configured, { disableExisting, keep }, removed);
  if (!spec.rootFirst && spec.root) configure(spec.root, true);

  // --- 3. flush and close what was replaced --------------------------------------------------------------
  const attached = new Set<RecordHandler>();
  for (const logger of loggerIndex.withHandlers) for (const h of logger.handlers) attached.add(h);
  const fresh = new Set<RecordHandler>(handlers.values());
  // Most recent first, as Python's shutdown: a MemoryHandler flushes into its target before the target closes.
  const candidates = [...new Set<RecordHandler>([...configHandlers, ...removed])].reverse();
  let closed = 0;
  for (const h of candidates) {
    if (fresh.has(h) || attached.has(h)) continue;
    closeQuietly(h as Handler);
    configHandlers.delete(h as Handler);
    closed++;
  }
  for (const h of handlers.values()) configHandlers.add(h);

  current = {
    spec,
    source: options.source ?? spec.file,
    appliedAt: new Date(),
    handlers,
    formatters,
    closedHandlers: closed,
  };
  return current;
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
  for (const l of named)
    for (const logger of loggersBelow(l.name)) if (!configured.has(logger.name)) children.add(logger);
  // By name, as Python visits them: the order in which replaced handlers are later closed.
  const sorted = [...children].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
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
