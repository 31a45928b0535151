/**
 * Library logger instances (pino, winston) by the logdial logger name they follow, held weakly:
 * a child logger made per request is released when the application drops it, and its entry goes
 * with it (FinalizationRegistry), so tracking never keeps memory alive.
 *
 * Invariants: an instance is tracked under one name, once; at most `maxNames` distinct names
 * (names come from bindings, which an application might fill with per-request values).
 */

export class InstanceTracker<T extends object> {
  private readonly byName = new Map<string, Set<WeakRef<T>>>();
  private readonly names = new WeakMap<T, string>();
  private readonly finalizer = new FinalizationRegistry<{ name: string; ref: WeakRef<T> }>(({ name, ref }) =>
    this.forget(name, ref),
  );

  constructor(readonly maxNames: number) {}

  /** Tracks `instance` under `name`; false when it already is. */
  track(name: string, instance: T): boolean {
    if (this.names.has(instance)) return false;
    this.names.set(instance, name);
    const ref = new WeakRef(instance);
    let refs = this.byName.get(name);
    if (!refs) this.byName.set(name, (refs = new Set()));
    refs.add(ref);
    this.finalizer.register(instance, { name, ref });
    return true;
  }

  /** The name `instance` is tracked under. */
  nameOf(instance: T): string | undefined {
    return this.names.get(instance);
  }

  /** True when a new name may still be added. */
  roomFor(name: string): boolean {
    return this.byName.has(name) || this.byName.size < this.maxNames;
  }

  /** Names with live instances. */
  trackedNames(): IterableIterator<string> {
    return this.byName.keys();
  }

  /** The live instances tracked under `name`. */
  *live(name: string): Generator<T> {
    for (const ref of this.byName.get(name) ?? []) {
      const instance = ref.deref();
      if (instance !== undefined) yield instance;
    }
  }

  /** How many instances are tracked (collected ones leave when their finalizer has run). */
  size(): number {
    let n = 0;
    for (const refs of this.byName.values()) n += refs.size;
    return n;
  }

  private forget(name: string, ref: WeakRef<T>): void {
    const refs = this.byName.get(name);
    if (!refs) return;
    refs.delete(ref);
    if (refs.size === 0) this.byName.delete(name);
  }
}

/** Longest logger name taken from a binding. */
const MAX_BOUND_NAME = 200;

/**
 * The dotted name of a child of `parent` (`''` is the root) bound with `value` for the naming
 * binding: `app` + `db` → `app.db`; a value already under the parent (`app.db`) is taken as is;
 * anything that is not a usable name (not a string, spaces, empty dots) keeps the parent's name.
 */
export function childLoggerName(parent: string, value: unknown): string {
  if (typeof value !== 'string') return parent;
  const part = value.trim();
  if (
    part === '' ||
    part.length > MAX_BOUND_NAME ||
    /\s/.test(part) ||
    part.startsWith('.') ||
    part.endsWith('.') ||
    part.includes('..')
  )
    return parent;
  if (parent === '') return part === 'root' ? parent : part;
  return part === parent || part.startsWith(`${parent}.`) ? part : `${parent}.${part}`;
}

/** The logdial key of a name given by the application: `root` is the root (`''`). */
export function loggerKey(name: string): string {
  const key = name.trim();
  if (key === '' || key === 'root') return '';
  if (/\s/.test(key) || key.startsWith('.') || key.endsWith('.') || key.includes('..')) {
    throw new TypeError(`logdial attach: invalid logger name '${name}' (dotted names like app.db)`);
  }
  return key;
}
