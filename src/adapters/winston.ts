/**
 * `logdial/winston`: puts winston loggers, `winston.loggers` containers and child loggers under
 * logdial's control plane.
 *
 *   import winston from 'winston';
 *   import { attach } from 'logdial/winston';
 *   const log = attach(winston.createLogger({ transports: [new winston.transports.Console()] }), { name: 'app' });
 *
 * Names: an attached logger is `options.name`, else its `defaultMeta.name`, else `root`; a
 * container's loggers are named by their ids; a child bound with the naming binding
 * (`options.childName`, default `module`) is `<parent>.<value>`. Each transport's own level is
 * held by the logdial logger `<name>/<transport>` (`app/console`): NOTSET means "the logger's
 * level", as a transport without a level in winston.
 *
 * winston filters by level in its transports, against the logger's level, so a child cannot have
 * a level of its own there. A child whose logdial level is more verbose than its logger's lowers
 * the logger's winston level to it, and a gate drops the records of everyone else below their own
 * level; the gate is installed only while such a child level exists. Otherwise winston's path is
 * untouched, apart from one flag test in the `write` of children created after attach (a level
 * test too, while some child's level differs from its logger's).
 */
import { type LevelMap, registerLevelNames, winstonLevelMap } from '../core/foreign-levels.js';
import { onLevelChange } from '../core/level-events.js';
import { NOTSET } from '../core/levels.js';
import { getLogger, type Logger } from '../core/logger.js';
import { type ForeignLoggerView, setForeignView } from '../control/foreign-loggers.js';
import { InstanceTracker, childLoggerName, loggerKey } from './tracker.js';

/** What attach needs of a winston transport. */
export interface TransportLike {
  name?: string;
  level?: string | undefined;
  silent?: boolean;
}

/** What attach needs of a winston logger (winston 3). */
export interface WinstonLike {
  level: string;
  levels: Readonly<Record<string, number>>;
  silent?: boolean;
  readonly transports: TransportLike[];
  defaultMeta?: unknown;
  child: (this: WinstonLike, meta: Record<string, unknown>) => WinstonLike;
  write(info: object): unknown;
}

/** What attach needs of a `winston.Container` (`winston.loggers`). */
export interface ContainerLike {
  loggers: Map<string, WinstonLike>;
  add(id: string, options?: unknown): WinstonLike;
}

/** Options of {@link attach}. */
export interface WinstonAttachOptions {
  /** The logdial logger name (default: `defaultMeta.name`, else `root`); ignored for a container. */
  name?: string;
  /** The meta key that names a child: `module` (default), `component`, `name`, … */
  childName?: string;
}

/** Where a record came from (set by a child's write): the logdial logger that already passed it. */
const ORIGIN = Symbol('logdial.origin');
/** winston's record level key (triple-beam's LEVEL). */
const LEVEL = Symbol.for('level');
const MAX_NAMES = 10_000;

type Info = Record<string | symbol, unknown>;

/** One attached winston logger: its name, levels, transports and the names of its children. */
class AttachedWinston {
  readonly childNames = new Set<string>();
  /** The winston level last given to the children of each name. */
  readonly childLevels = new Map<string, string>();
  readonly transports: Array<{ name: string; logger: Logger; transport: TransportLike }> = [];
  readonly own: Logger;
  /** True while the gate is installed (a child's level is more verbose than the logger's). */
  gated = false;
  /**
   * True while every child follows the logger's threshold exactly: winston's own filter then
   * decides alone, and a child's `write` passes records on untouched (no level lookup, no mark).
   */
  uniform = true;
  /** True when the logger is silent because logdial made it so. */
  silencedHere = false;
  /** How status shows this logger and its children. */
  view: ForeignLoggerView = { kind: 'winston', display: (level) => this.map.display(level) };
  /** How status shows its children (the transports belong to the logger). */
  readonly childView: ForeignLoggerView = { kind: 'winston', display: (level) => this.map.display(level) };

  constructor(
    readonly instance: WinstonLike,
    readonly name: string,
    readonly map: LevelMap,
  ) {
    this.own = getLogger(name);
  }

  /** Python level of a record (unknown levels pass). */
  levelOf(info: Info): number {
    const level = (info[LEVEL] ?? info['level']) as string;
    return this.map.toPython(level) ?? Number.MAX_SAFE_INTEGER;
  }
}

class WinstonBridge {
  readonly children = new InstanceTracker<WinstonLike>(MAX_NAMES);
  readonly attached = new Map<WinstonLike, AttachedWinston>();
  private subscribed = false;

  add(instance: WinstonLike, name: string, childName: string): AttachedWinston {
    if (!this.subscribed) {
      onLevelChange(() => this.sync());
      this.subscribed = true;
    }
    const map = winstonLevelMap(instance.levels);
    registerLevelNames(map);
    const state = new AttachedWinston(instance, name, map);
    // Levels as the application set them, read before the first sync changes anything.
    const level = instance.level;
    const transportLevels = instance.transports.map((t) => t.level);
    this.attached.set(instance, state);
    this.children.track(name, instance);
    state.view = {
      kind: 'winston',
      display: (value) => map.display(value),
      transports: () => state.transports.map((t) => ({ name: t.name, logger: t.logger.name })),
    };
    setForeignView(name, state.view);
    state.own.setLevel(map.toPython(level) ?? NOTSET);
    const used = new Set<string>();
    for (const [i, transport] of instance.transports.entries()) {
      const base = transport.name ?? (transport.constructor?.name || 'transport').toLowerCase();
      let tname = base;
      for (let n = 2; used.has(tname); n++) tname = `${base}-${n}`;
      used.add(tname);
      const key = `${name === '' ? 'root' : name}/${tname}`;
      const logger = getLogger(key);
      setForeignView(key, {
        kind: 'winston-transport',
        display: (level) => map.display(level),
        effectiveLevel: () => (logger.level === NOTSET ? state.own.threshold : logger.level),
      });
      const own = transportLevels[i];
      state.transports.push({ name: tname, logger, transport });
      logger.setLevel(own === undefined ? NOTSET : (map.toPython(own) ?? NOTSET));
    }
    wrapChild(instance, state, childName);
    this.syncOne(state);
    return state;
  }

  /** A child of `state`'s logger created as `name`: gated, tracked, and the logger's level follows it. */
  addChild(state: AttachedWinston, made: WinstonLike, name: string): WinstonLike {
    const child = gatedChild(made, state, getLogger(name));
    setForeignView(name, state.childView);
    this.children.track(name, child);
    if (state.childNames.has(name)) {
      const level = state.childLevels.get(name);
      if (level !== undefined) child.level = level;
    } else {
      // A new name may lower the logger's level: the full sync, once per name, not per child.
      state.childNames.add(name);
      this.syncOne(state);
    }
    return child;
  }

  sync(): void {
    for (const state of this.attached.values()) this.syncOne(state);
  }

  /** The logger's winston level, silent flag, gate, children's levels and transports' levels. */
  private syncOne(state: AttachedWinston): void {
    const own = state.own.threshold;
    let least = own;
    let uniform = true;
    for (const name of state.childNames) {
      if (this.children.live(name).next().done) {
        state.childNames.delete(name);
        state.childLevels.delete(name);
        continue;
      }
      const threshold = getLogger(name).threshold;
      if (threshold < least) least = threshold;
      if (threshold !== own) uniform = false;
      // For isLevelEnabled() on the children; their records are filtered by gatedChild.
      const want = state.map.fromPython(threshold) ?? undefined;
      if (want === undefined || state.childLevels.get(name) === want) continue;
      state.childLevels.set(name, want);
      for (const child of this.children.live(name)) child.level = want;
    }
    const level = state.map.fromPython(least);
    const instance = state.instance;
    if (level === null) {
      if (!instance.silent) {
        instance.silent = true;
        state.silencedHere = true;
      }
    } else {
      if (state.silencedHere) {
        instance.silent = false;
        state.silencedHere = false;
      }
      if (instance.level !== level) instance.level = level;
    }
    state.uniform = uniform;
    setGate(state, least < own);
    for (const { logger, transport } of state.transports) syncTransport(state.map, logger, transport);
  }
}

/** Transports logdial silenced (a transport the application silenced itself stays so). */
const silencedTransports = new WeakSet<TransportLike>();

/** A transport's level from its logdial logger: NOTSET → none (the logger's), disabled → silent. */
function syncTransport(map: LevelMap, logger: Logger, transport: TransportLike): void {
  const level = logger.level === NOTSET ? undefined : map.fromPython(logger.level);
  if (logger.disabled || level === null) {
    if (!transport.silent) {
      transport.silent = true;
      silencedTransports.add(transport);
    }
    return;
  }
  if (silencedTransports.delete(transport)) transport.silent = false;
  if (transport.level !== level) transport.level = level;
}

/** Installs or removes the gate: the logger's own records below its own level are dropped. */
function setGate(state: AttachedWinston, on: boolean): void {
  if (on === state.gated) return;
  state.gated = on;
  const instance = state.instance as unknown as Record<string, unknown>;
  if (!on) {
    delete instance['write'];
    return;
  }
  const proto = Object.getPrototypeOf(state.instance) as { write: (info: object) => unknown };
  Object.defineProperty(instance, 'write', {
    value(this: WinstonLike, info: Info): unknown {
      if (info[ORIGIN] === undefined && state.levelOf(info) < state.own.threshold) return true;
      return proto.write.call(this, info);
    },
    writable: true,
    configurable: true,
    enumerable: false,
  });
}

/**
 * The child the application gets: winston's child (whose `write` cannot be redefined) with a
 * `write` in front that drops records below the child's own logdial level and marks the ones it
 * passes, so the logger's gate lets them through.
 */
function gatedChild(made: WinstonLike, state: AttachedWinston, logger: Logger): WinstonLike {
  return Object.create(made, {
    write: {
      value(info: Info): unknown {
        if (state.uniform) return made.write(info);
        if (info[ORIGIN] === undefined) {
          if (state.levelOf(info) < logger.threshold) return true;
          info[ORIGIN] = logger.name;
        }
        return made.write(info);
      },
      writable: true,
      configurable: true,
    },
  }) as WinstonLike;
}

/** Makes `child()` of `instance` and of its descendants track what it creates. */
function wrapChild(instance: WinstonLike, state: AttachedWinston, childName: string): void {
  // Read as a property: it is called below with the `this` of each descendant.
  const original = (instance as { child: (this: WinstonLike, meta: Record<string, unknown>) => WinstonLike }).child;
  const child = function (this: WinstonLike, meta: Record<string, unknown>): WinstonLike {
    const made = original.call(this, meta);
    const parent = bridge.children.nameOf(this) ?? state.name;
    let name = childLoggerName(parent, meta?.[childName]);
    if (!bridge.children.roomFor(name)) name = parent;
    return bridge.addChild(state, made, name);
  };
  // Children are created from the logger with Object.create, so they inherit the wrapper.
  Object.defineProperty(instance, 'child', { value: child, writable: true, configurable: true, enumerable: false });
}

const bridge = new WinstonBridge();

function isContainer(value: unknown): value is ContainerLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as ContainerLike).loggers instanceof Map &&
    typeof (value as ContainerLike).add === 'function'
  );
}

/**
 * Puts a winston logger (and its children, present and future) or a `winston.Container` (each of
 * its loggers, by id, and those added later) under logdial's control plane; returns its argument.
 * Attaching the same logger again changes nothing.
 */
export function attach<T extends WinstonLike | ContainerLike>(target: T, options: WinstonAttachOptions = {}): T {
  const childName = options.childName ?? 'module';
  const given: WinstonLike | ContainerLike = target;
  if (isContainer(given)) {
    for (const [id, logger] of given.loggers) attachLogger(logger, id, childName);
    const add = given.add.bind(given);
    Object.defineProperty(given, 'add', {
      value(id: string, opts?: unknown): WinstonLike {
        const logger = add(id, opts);
        attachLogger(logger, id, childName);
        return logger;
      },
      writable: true,
      configurable: true,
      enumerable: false,
    });
    return target;
  }
  const meta = given.defaultMeta as Record<string, unknown> | undefined;
  attachLogger(given, options.name ?? (typeof meta?.['name'] === 'string' ? meta['name'] : 'root'), childName);
  return target;
}

function attachLogger(logger: WinstonLike, name: string, childName: string): void {
  if (bridge.attached.has(logger)) return;
  bridge.add(logger, loggerKey(name), childName);
}

/** How many winston loggers and children are tracked now (collected children leave), for diagnostics. */
export function attachedCount(): number {
  return bridge.children.size();
}
