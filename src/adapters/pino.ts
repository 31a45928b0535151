/**
 * `logdial/pino`: puts a pino logger and its children under logdial's control plane.
 *
 *   import pino from 'pino';
 *   import { attach } from 'logdial/pino';
 *   const log = attach(pino({ name: 'app' }));   // `logdial set app.db=debug --for 10m` now reaches it
 *
 * Each pino instance follows the logdial logger of its name: the attached instance is named by
 * `options.name`, else its `name` binding, else `root`; a child bound with the naming binding
 * (`options.childName`, default `module`) is `<parent>.<value>`, other children keep their parent's
 * name. Levels live in the logdial logger tree (so `set`, `--for`, `revert`, pushes and every
 * transport work unchanged); after each change the affected pino instances get the matching pino
 * level. pino's own log methods are never wrapped and the instance keeps its shape (children are
 * seen through pino's `onChild` hook): its hot path is untouched.
 *
 * Invariants: attaching adopts the instance's current level as its logdial logger's level; a
 * child made later gets its logdial logger's level at once (an override included); children are
 * held weakly (see tracker.ts).
 */
import { type LevelMap, pinoLevelMap, registerLevelNames } from '../core/foreign-levels.js';
import { onLevelChange } from '../core/level-events.js';
import { NOTSET } from '../core/levels.js';
import { getLogger } from '../core/logger.js';
import { setForeignView } from '../control/foreign-loggers.js';
import { InstanceTracker, childLoggerName, loggerKey } from './tracker.js';

/** What attach needs of a pino logger (any pino ≥ 7). */
export interface PinoLike {
  level: string;
  readonly levels: { readonly values: Readonly<Record<string, number>> };
  child: (this: PinoLike, bindings: Record<string, unknown>, options?: Record<string, unknown>) => PinoLike;
  bindings(): Record<string, unknown>;
}

/** Options of {@link attach}. */
export interface PinoAttachOptions {
  /** The logdial logger name of this instance (default: its `name` binding, else `root`). */
  name?: string;
  /** The binding that names a child: `module` (default), `component`, `name`, … */
  childName?: string;
}

/** Distinct names the pino loggers of a process may take (beyond it, a child keeps its parent's name). */
const MAX_NAMES = 10_000;

/** The pino instances of this process and the logdial names they follow. */
class PinoBridge {
  readonly tracker = new InstanceTracker<PinoLike>(MAX_NAMES);
  private readonly maps = new Map<string, LevelMap>();
  /** The pino level last given to each name's instances, so a change touches only what changed. */
  private readonly applied = new Map<string, string>();
  private subscribed = false;

  /**
   * Tracks `instance` as logger `name` with the levels `map`. `own` is a level the application
   * chose for it: adopted as the logdial logger's level always (an attached instance), or only
   * while that logger has none (a child created with its own level).
   */
  add(name: string, instance: PinoLike, map: LevelMap, own?: { level: string; always: boolean }): void {
    if (!this.subscribed) {
      onLevelChange(() => this.sync());
      this.subscribed = true;
    }
    if (!this.maps.has(name)) {
      this.maps.set(name, map);
      setForeignView(name, { kind: 'pino', display: (level) => map.display(level) });
    }
    const logger = getLogger(name);
    const python = own === undefined ? undefined : map.toPython(own.level);
    if (python !== undefined && (own!.always || logger.level === NOTSET)) logger.setLevel(python);
    this.tracker.track(name, instance);
    const want = this.levelFor(name);
    if (instance.level !== want) instance.level = want;
  }

  /** The pino level matching logger `name`'s threshold (its effective level, disabled included). */
  levelFor(name: string): string {
    return this.maps.get(name)!.fromPython(getLogger(name).threshold) ?? 'silent';
  }

  /** After a level change: the names whose pino level changed get it, on every live instance. */
  sync(): void {
    for (const name of this.tracker.trackedNames()) {
      const want = this.levelFor(name);
      if (this.applied.get(name) === want) continue;
      this.applied.set(name, want);
      for (const instance of this.tracker.live(name)) if (instance.level !== want) instance.level = want;
    }
  }
}

const bridge = new PinoBridge();

/**
 * Puts `logger` (a pino instance) and its children, present and future, under logdial's control
 * plane; returns `logger`. Attaching the same instance again changes nothing.
 */
export function attach<T extends PinoLike>(logger: T, options: PinoAttachOptions = {}): T {
  if (bridge.tracker.nameOf(logger) !== undefined) return logger;
  const bound = logger.bindings()['name'];
  const name = loggerKey(options.name ?? (typeof bound === 'string' ? bound : 'root'));
  const map = pinoLevelMap(logger.levels.values);
  registerLevelNames(map);
  bridge.add(name, logger, map, { level: logger.level, always: true });
  const childName = options.childName ?? 'module';
  if (!hookOnChild(logger, childName, map)) wrapChild(logger, childName, map);
  return logger;
}

type ChildMethod = (this: PinoLike, bindings: Record<string, unknown>, options?: Record<string, unknown>) => PinoLike;

/** Tracks `made`, a child `parent` just created with the own bindings `bindings` (read lazily). */
function adopt(parent: PinoLike, made: PinoLike, bound: () => unknown, map: LevelMap): void {
  const parentName = bridge.tracker.nameOf(parent) ?? '';
  let name = childLoggerName(parentName, bound());
  if (!bridge.tracker.roomFor(name)) name = parentName;
  // pino sets a child's `level` option before onChild runs: a level unlike its parent's is its own.
  const own = name !== parentName && made.level !== parent.level ? { level: made.level, always: false } : undefined;
  bridge.add(name, made, map, own);
}

/**
 * Tracks children through pino's own `onChild` hook (pino ≥ 7.5), an own property of every pino
 * instance that children inherit: replacing its value keeps the instance's shape, so pino's calls
 * run exactly as before. The hook gets only the child; its own bindings are the tail of its
 * serialised bindings (pino's chindings) past its parent's, parsed only when they name it.
 */
function hookOnChild(logger: PinoLike, childName: string, map: LevelMap): boolean {
  const hook = Object.getOwnPropertyDescriptor(logger, 'onChild');
  const chindings = Object.getOwnPropertySymbols(logger).find((s) => s.description === 'pino.chindings');
  if (hook?.writable !== true || typeof hook.value !== 'function' || chindings === undefined) return false;
  const previous = hook.value as (this: PinoLike, child: PinoLike) => void;
  const key = `${JSON.stringify(childName)}:`;
  const serialised = (instance: PinoLike) => (instance as unknown as Record<symbol, unknown>)[chindings];
  (logger as unknown as { onChild: unknown }).onChild = function (this: PinoLike, made: PinoLike): void {
    adopt(this, made, () => boundValue(serialised(this), serialised(made), key, childName), map);
    previous.call(this, made);
  };
  return true;
}

/**
 * The value of binding `name` among a child's own bindings: the part of its chindings
 * (`,"k":v,…`) past its parent's; `undefined` when that part does not name it or is not JSON.
 */
export function boundValue(parent: unknown, child: unknown, key: string, name: string): unknown {
  if (typeof parent !== 'string' || typeof child !== 'string' || !child.startsWith(parent)) return undefined;
  const own = child.slice(parent.length);
  if (!own.includes(key)) return undefined;
  try {
    return (JSON.parse(`{${own.slice(1)}}`) as Record<string, unknown>)[name];
  } catch {
    return undefined;
  }
}

/** For a pino without `onChild`: makes `child()` of `logger` and of its descendants track what it creates. */
function wrapChild(logger: PinoLike, childName: string, map: LevelMap): void {
  // Read as a property: it is called below with the `this` of each descendant.
  const original = (logger as { child: ChildMethod }).child;
  const child = function (
    this: PinoLike,
    bindings: Record<string, unknown>,
    options?: Record<string, unknown>,
  ): PinoLike {
    const made = original.call(this, bindings, options);
    adopt(this, made, () => bindings?.[childName], map);
    return made;
  };
  // Own property of the attached instance: pino children are created from it with Object.create,
  // so they (and their children) inherit the wrapper.
  Object.defineProperty(logger, 'child', { value: child, writable: true, configurable: true, enumerable: false });
}

/** How many pino instances are tracked now (children collected by the GC leave), for diagnostics. */
export function attachedCount(): number {
  return bridge.tracker.size();
}
