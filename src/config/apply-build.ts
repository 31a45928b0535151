/**
 * The steps of an apply that happen off to the side: check the destinations against the
 * allow-list, build every formatter, filter and handler, and plan each configured logger's new
 * state. Nothing here touches a live logger; the only registry change is creating a logger the
 * configuration names and the process has not created yet (with the defaults every new logger
 * has, so no log call can tell), after everything was built.
 *
 * Written as generators that yield between items, so a push can be prepared in slices of a few
 * milliseconds (`slices.ts`) while the process keeps logging.
 */
import { resolve as resolvePath } from 'node:path';
import type { FilterLike } from '../core/filter.js';
import { type Logger, type RecordHandler, getLogger } from '../core/logger.js';
import type { RecordFormatter } from '../format/types.js';
import { type Handler, getLiveHandlers } from '../handlers/handler.js';
import { ConfigError, type ConfigLocation } from './errors.js';
import type { ClassCall, ConfigSpec, HandlerSpec, LoggerSpec } from './spec.js';

/** The allow-lists an apply checks destinations against (throwing rejects the configuration). */
export interface Destinations {
  allowPath?: ((path: string) => void) | undefined;
  allowAddress?: ((address: string) => void) | undefined;
}

/** What a configuration built: none of it attached anywhere yet. */
export interface Built {
  readonly formatters: Map<string, RecordFormatter>;
  readonly filters: Map<string, FilterLike>;
  readonly handlers: Map<string, Handler>;
}

/** One configured logger's new state, computed before the swap. */
export interface LoggerPlan {
  readonly logger: Logger;
  readonly spec: LoggerSpec;
  /** The `root` section (it keeps its propagate and disabled flags); not `loggers: {'': …}`. */
  readonly isRootSection: boolean;
  readonly handlers: readonly RecordHandler[];
  readonly filters: readonly FilterLike[];
}

function pythonTypeOf(error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  if (code === 'ENOENT') return 'FileNotFoundError';
  if (code === 'EACCES' || code === 'EPERM') return 'PermissionError';
  if (code === 'EISDIR') return 'IsADirectoryError';
  if (code === 'ENOTDIR') return 'NotADirectoryError';
  if (code === 'EEXIST') return 'FileExistsError';
  if (error instanceof TypeError) return 'TypeError';
  return 'ValueError';
}

/** `error` as a located {@link ConfigError} (kept as it is when it is one). */
export function located(loc: ConfigLocation, message: string, error: unknown, expected?: string): ConfigError {
  if (error instanceof ConfigError) return error;
  return new ConfigError(message, { ...loc, pythonType: pythonTypeOf(error), expected, cause: error });
}

/** Step 1: every file and network destination of the spec against the allow-lists, before anything is opened. */
export function checkDestinations(spec: ConfigSpec, allow: Destinations): void {
  for (const h of spec.handlers) {
    if (allow.allowPath) {
      for (const f of h.call.entry.files?.(h.call.bound) ?? []) {
        const path = resolvePath(f);
        guard(() => allow.allowPath?.(path), h, `may not write to ${path}`, 'a path the allow-list accepts');
      }
    }
    if (allow.allowAddress) {
      for (const address of h.call.entry.addresses?.(h.call.bound) ?? [])
        guard(
          () => allow.allowAddress?.(address),
          h,
          `may not send to ${address}`,
          'a destination the allow-list accepts',
        );
    }
  }
}

function guard(check: () => void, h: HandlerSpec, what: string, expected: string): void {
  try {
    check();
  } catch (e) {
    throw located(h.call.loc, `handler '${h.id}' ${what}: ${(e as Error).message}`, e, expected);
  }
}

/** Existing attributes `'.'` may set, as Python configs do (`'.': {'terminator': '!\\n'}`). */
const SETTABLE_ATTRIBUTES: ReadonlySet<string> = new Set(['terminator']);

/**
 * Constructs a class call, then sets its dictConfig `'.'` attributes. Those may only add new
 * attributes (Python's documented use: `foo: bar` on a custom object), or a handler's
 * `terminator`: replacing a method or a field the logging path reads (`filters`, `level`, `emit`,
 * `__proto__`…) could make every log call throw into the application.
 */
function construct(call: ClassCall): unknown {
  const obj = call.entry.create(call.bound);
  if (!call.props || !obj || typeof obj !== 'object') return obj;
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
  return obj;
}

/** Builds a formatter or filter and checks it is one; a located {@link ConfigError} otherwise. */
function constructChecked<T>(
  call: ClassCall,
  what: string,
  isValid: (value: unknown) => boolean,
  kind: string,
  expected?: string,
): T {
  let value: unknown;
  try {
    value = construct(call);
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

/** Flushes and closes, ignoring errors: a handler being discarded must not hide the real outcome. */
export function closeQuietly(handler: { flush?: () => void; close?: () => void }): void {
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
 * Step 2: builds every formatter, filter and handler (yielding between items). On any error,
 * closes what it built — and handlers a failed constructor left registered — and throws.
 */
export function* buildAll(spec: ConfigSpec): Generator<unknown, Built> {
  const built: Built = { formatters: new Map(), filters: new Map(), handlers: new Map() };
  const stray: Handler[] = [];
  try {
    // Checked here, not at the first log call: a non-formatter would fail every record it meets,
    // and a non-filter on a logger would throw into the application's log call.
    for (const f of spec.formatters) {
      const isFormatter = (x: unknown) => typeof (x as RecordFormatter | null)?.format === 'function';
      const what = `formatter '${f.id}'`;
      built.formatters.set(
        f.id,
        constructChecked(f.call, what, isFormatter, 'a formatter', 'a valid format for the style'),
      );
      yield;
    }
    for (const f of spec.filters) {
      const isFilter = (x: unknown) =>
        typeof x === 'function' || typeof (x as { filter?: unknown } | null)?.filter === 'function';
      built.filters.set(f.id, constructChecked(f.call, `filter '${f.id}'`, isFilter, 'a filter'));
      yield;
    }
    for (const h of spec.handlers) {
      built.handlers.set(h.id, buildHandler(h, built, stray));
      yield;
    }
    setTargets(spec, built);
    checkLoggerReferences(spec, built);
  } catch (e) {
    for (const h of [...built.handlers.values()].reverse()) closeQuietly(h);
    for (const h of stray) closeQuietly(h);
    throw e instanceof ConfigError ? e : located({ file: spec.file }, (e as Error).message, e);
  }
  return built;
}

/** One handler: constructed, named, levelled, given its formatter and filters. */
function buildHandler(h: HandlerSpec, built: Built, stray: Handler[]): Handler {
  const liveBefore = getLiveHandlers().length;
  let handler: Handler;
  try {
    handler = construct(h.call) as Handler;
  } catch (e) {
    // A constructor that throws after the base class registered the handler leaves it live.
    stray.push(...getLiveHandlers().slice(liveBefore));
    throw located(h.call.loc, `handler '${h.id}' (${h.call.name}): ${(e as Error).message}`, e);
  }
  if (!handler || typeof handler.handle !== 'function') {
    stray.push(...getLiveHandlers().slice(liveBefore));
    throw new ConfigError(`handler '${h.id}': ${h.call.name} did not construct a handler`, {
      ...h.keyLoc['class'],
      ...h.loc,
      pythonType: 'AttributeError',
      expected: 'a class extending Handler',
    });
  }
  try {
    handler.name = h.id;
    if (h.level !== undefined) {
      if (typeof handler.setLevel === 'function') handler.setLevel(h.level);
      else handler.level = h.level;
    }
    if (h.formatter) {
      const formatter = required(built.formatters, h.formatter, 'formatter', h.keyLoc['formatter'] ?? h.loc);
      if (typeof handler.setFormatter === 'function') handler.setFormatter(formatter);
      else handler.formatter = formatter;
    }
    for (const id of h.filters) handler.addFilter(required(built.filters, id, 'filter', h.keyLoc['filters'] ?? h.loc));
  } catch (e) {
    stray.push(handler);
    throw located(h.loc, `handler '${h.id}': ${(e as Error).message}`, e);
  }
  return handler;
}

function required<T>(map: ReadonlyMap<string, T>, id: string, kind: string, loc: ConfigLocation): T {
  const value = map.get(id);
  if (value === undefined)
    throw new ConfigError(`${kind === 'target' ? 'target handler' : kind} '${id}' is not defined`, {
      ...loc,
      pythonType: 'KeyError',
    });
  return value;
}

/** MemoryHandler targets, once every handler exists. */
function setTargets(spec: ConfigSpec, built: Built): void {
  for (const h of spec.handlers) {
    if (h.target === undefined) continue;
    const target = required(built.handlers, h.target, 'target', h.keyLoc['target'] ?? h.loc);
    (built.handlers.get(h.id) as unknown as { setTarget(t: RecordHandler): void }).setTarget(target);
  }
}

function checkLoggerReferences(spec: ConfigSpec, built: Built): void {
  for (const l of [...spec.loggers, ...(spec.root ? [spec.root] : [])]) {
    for (const id of l.handlers) required(built.handlers, id, 'handler', l.keyLoc['handlers'] ?? l.loc);
    for (const id of l.filters) required(built.filters, id, 'filter', l.keyLoc['filters'] ?? l.loc);
  }
}

/** The empty list most plans share (a push may plan hundreds of loggers without handlers). */
const NONE: readonly never[] = Object.freeze([]);

/** The configured loggers' new states: the `root` section apart (it goes first or last). */
export interface Plans {
  readonly root: LoggerPlan | undefined;
  readonly loggers: readonly LoggerPlan[];
}

/**
 * Step 3: each configured logger's new state (yielding between loggers). A logger the process
 * has not created yet is created here, with the defaults, so the swap only sets fields.
 */
export function* planLoggers(spec: ConfigSpec, built: Built): Generator<unknown, Plans> {
  const plan = (l: LoggerSpec, isRootSection: boolean): LoggerPlan => ({
    logger: getLogger(l.name),
    spec: l,
    isRootSection,
    handlers: l.handlers.length === 0 ? NONE : l.handlers.map((id) => built.handlers.get(id)!),
    filters: l.filters.length === 0 ? NONE : l.filters.map((id) => built.filters.get(id)!),
  });
  const loggers: LoggerPlan[] = [];
  for (const l of spec.loggers) {
    loggers.push(plan(l, false));
    yield;
  }
  return { root: spec.root ? plan(spec.root, true) : undefined, loggers };
}
