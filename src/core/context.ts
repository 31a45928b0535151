/**
 * Request context: fields that every record logged inside an async scope carries.
 *
 * Built on AsyncLocalStorage, so the scope follows awaits, timers, promise callbacks and
 * EventEmitter listeners registered inside it. The fields belong to the call, not to handlers or
 * filters: a configuration push or revert rebuilds handlers and never loses them.
 *
 * Invariants: a scope's fields are merged with the enclosing scope's once, when it is entered,
 * and frozen, so a record can hold them without copying; until the first `withContext`, reading
 * the context costs one boolean test (no AsyncLocalStorage lookup).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** The fields of a context scope. */
export type ContextFields = Readonly<Record<string, unknown>>;

const storage = new AsyncLocalStorage<ContextFields>();
let used = false;

/**
 * Runs `fn` so that every record logged inside its async scope carries `fields` (in JSON keys,
 * in text formats `%(name)s`). Scopes nest: an inner scope's fields are merged over the outer's.
 * Returns what `fn` returns (its promise, for an async function).
 *
 * @example withContext({ reqId }, () => handle(req, res));
 */
export function withContext<T>(fields: Readonly<Record<string, unknown>>, fn: () => T): T {
  if (typeof fields !== 'object' || fields === null)
    throw new TypeError('withContext(fields, fn): fields must be an object');
  if (typeof fn !== 'function') throw new TypeError('withContext(fields, fn): fn must be a function');
  used = true;
  const outer = storage.getStore();
  return storage.run(Object.freeze(outer === undefined ? { ...fields } : { ...outer, ...fields }), fn);
}

/** The fields of the current context scope (merged over the enclosing scopes), or `undefined`. */
export function getContext(): ContextFields | undefined {
  return used ? storage.getStore() : undefined;
}

/** @internal the context a record takes at its log call (same as {@link getContext}). */
export const currentContext = getContext;
