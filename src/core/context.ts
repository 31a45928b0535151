/**
 * Request context: fields that every record logged inside an async scope carries.
 *
 * Built on AsyncLocalStorage, so the scope follows awaits, timers, promise callbacks and
 * EventEmitter listeners registered inside it. The fields belong to the call, not to handlers or
 * filters: a configuration push or revert rebuilds handlers and never loses them.
 *
 * Invariants: a scope's fields are copied (merged with the enclosing scope's) once, when it is
 * entered, and never changed after, so a record can hold them without copying; `getContext()`
 * freezes them when it first hands them out. Until the first `withContext`, reading the context
 * costs one boolean test (no AsyncLocalStorage lookup).
 */
const { AsyncLocalStorage } = process.getBuiltinModule('node:async_hooks');

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
  // Perf: no Object.freeze here (it costs several times the copy); getContext() freezes on read.
  const outer = used ? storage.getStore() : undefined;
  used = true;
  return storage.run(outer === undefined ? { ...fields } : { ...outer, ...fields }, fn);
}

/** The fields of the current context scope (merged over the enclosing scopes, frozen), or `undefined`. */
export function getContext(): ContextFields | undefined {
  const fields = currentContext();
  return fields === undefined || Object.isFrozen(fields) ? fields : Object.freeze(fields);
}

/** @internal the context a record takes at its log call: the scope's fields, read-only by contract. */
export function currentContext(): ContextFields | undefined {
  return used ? storage.getStore() : undefined;
}
