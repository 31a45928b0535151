/**
 * Values to JSON text for log lines, never throwing and never losing what a reader needs:
 * a cycle becomes `"[Circular]"`, a BigInt its digits as a JSON number (as pino writes it), a
 * `Map` an object of its entries, a `Set` or typed array an array, a `Date` its ISO time (its
 * `toJSON`), a `Buffer` Node's `{"type":"Buffer","data":[…]}` (as pino writes it), and an `Error`
 * anywhere the object pino's standard `err` serializer makes ({@link errorObject}); an HTTP request
 * or response (Node's, or a framework's wrapper around one, as Fastify's) the summary pino-http's
 * serializers make ({@link httpView}) instead of its sockets and buffers.
 *
 * Invariants: a value with none of those inside is written by V8's own `JSON.stringify` (a check
 * walks it first; the walk allocates nothing); otherwise the careful writer below runs, bounded
 * by {@link MAX_DEPTH} so a deep structure cannot exhaust the stack.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
const { createRequire } = process.getBuiltinModule('node:module');
const { inspect } = process.getBuiltinModule('node:util');

/** Nesting beyond this is written as `"[Object]"` / `"[Array]"`. */
export const MAX_DEPTH = 64;

/**
 * The summary of an HTTP message, as pino-http's `req`/`res` serializers write it: `{ id, method,
 * url, headers, remoteAddress, remotePort }` for a request, `{ statusCode, headers }` for a
 * response. A framework's request or reply that wraps one in `raw` (Fastify's) counts too.
 * `undefined` for anything else.
 */
export function httpView(value: object): Record<string, unknown> | undefined {
  const raw = httpMessageOf(value);
  if (raw === undefined) return undefined;
  if (raw instanceof httpClasses!.IncomingMessage) {
    const id: unknown = (value as { id?: unknown }).id;
    const url: unknown = (value as { originalUrl?: unknown }).originalUrl;
    return {
      ...(typeof id === 'string' || typeof id === 'number' ? { id } : {}),
      method: raw.method,
      url: typeof url === 'string' ? url : raw.url,
      headers: { ...raw.headers },
      remoteAddress: raw.socket?.remoteAddress,
      remotePort: raw.socket?.remotePort,
    };
  }
  const res = raw;
  return { statusCode: res.statusCode, headers: { ...res.getHeaders() } };
}

/** node:http's message classes, loaded when the first class instance is logged (start-up stays lean). */
let httpClasses: { IncomingMessage: typeof IncomingMessage; ServerResponse: typeof ServerResponse } | undefined;

/** The Node message `value` is or wraps in `raw`; `undefined` when neither (and for every plain object or array). */
function httpMessageOf(value: object): IncomingMessage | ServerResponse | undefined {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null || Array.isArray(value)) return undefined;
  const { IncomingMessage: Req, ServerResponse: Res } = (httpClasses ??= createRequire(import.meta.url)(
    'node:http',
  ) as NonNullable<typeof httpClasses>);
  if (value instanceof Req || value instanceof Res) return value;
  const raw: unknown = (value as { raw?: unknown }).raw;
  return raw instanceof Req || raw instanceof Res ? raw : undefined;
}

/** An object JSON.stringify would write wrongly or fail on. */
function isSpecialObject(value: object): boolean {
  return (
    value instanceof Error ||
    httpMessageOf(value) !== undefined ||
    value instanceof Map ||
    value instanceof Set ||
    (ArrayBuffer.isView(value) && !Buffer.isBuffer(value))
  );
}

/**
 * True when `value` holds something the plain `JSON.stringify` gets wrong: a BigInt, a cycle, or a
 * special object. `path` holds the ancestors being walked (emptied again on return).
 */
function needsCare(value: unknown, path: object[]): boolean {
  if (typeof value === 'bigint') return true;
  if (typeof value !== 'object' || value === null) return false;
  // Perf: plain objects and arrays (nearly every field) skip the class checks.
  const proto: unknown = Object.getPrototypeOf(value);
  const plain = proto === Object.prototype || proto === null;
  if (!plain && !Array.isArray(value)) {
    if (isSpecialObject(value)) return true;
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  }
  if (path.length >= MAX_DEPTH || path.includes(value)) return true;
  path.push(value);
  let found = false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && !found; i++) found = needsCare(value[i], path);
  } else {
    for (const key in value) {
      // A plain object's for-in sees only its own keys; a class instance's may see inherited ones.
      if (
        (plain || Object.prototype.hasOwnProperty.call(value, key)) &&
        needsCare((value as Record<string, unknown>)[key], path)
      ) {
        found = true;
        break;
      }
    }
  }
  path.pop();
  return found;
}

const scratchPath: object[] = [];

/**
 * JSON text for `value`, or `undefined` where JSON has no value (`undefined`, functions,
 * symbols: the key is left out).
 */
export function jsonValue(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'object':
      if (value === null) return 'null';
      // Perf: a replacer or a hand-written walk for every object would take V8 off its fast
      // serialiser; most fields are plain data, checked without allocating and written natively.
      scratchPath.length = 0;
      if (!needsCare(value, scratchPath)) {
        try {
          return JSON.stringify(value);
        } catch {
          // a toJSON that throws or returns a BigInt: the careful writer decides
        }
      }
      return carefulValue(value, []);
    default:
      return undefined;
  }
}

/** The careful writer: every rule of the header, with `path` holding the ancestors. */
function carefulValue(value: unknown, path: object[]): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'bigint':
      return jsonValue(value);
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return 'null';
  if (path.includes(value)) return '"[Circular]"';
  if (path.length >= MAX_DEPTH) return Array.isArray(value) ? '"[Array]"' : '"[Object]"';
  path.push(value);
  try {
    return carefulObject(value, path);
  } finally {
    path.pop();
  }
}

function carefulObject(value: object, path: object[]): string | undefined {
  if (value instanceof Error) return carefulEntries(Object.entries(errorObject(value)), path);
  const http = httpView(value);
  if (http !== undefined) return carefulEntries(Object.entries(http), path);
  if (value instanceof Map) {
    const entries: Array<[string, unknown]> = [];
    for (const [k, v] of value) entries.push([typeof k === 'string' ? k : keyText(k), v]);
    return carefulEntries(entries, path);
  }
  if (value instanceof Set) return carefulArray([...value], path);
  if (ArrayBuffer.isView(value) && !Buffer.isBuffer(value)) {
    return value instanceof DataView
      ? `{"byteLength":${value.byteLength}}`
      : carefulArray(Array.from(value as unknown as ArrayLike<unknown>), path);
  }
  if (Array.isArray(value)) return carefulArray(value, path);
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    let replaced: unknown;
    try {
      replaced = toJSON.call(value);
    } catch (e) {
      return JSON.stringify(`[toJSON threw: ${e instanceof Error ? e.message : String(e)}]`);
    }
    return replaced === value ? carefulEntries(Object.entries(value), path) : carefulValue(replaced, path);
  }
  return carefulEntries(Object.entries(value), path);
}

/** A Map key that is not a string, as text: numbers and booleans as written, objects inspected. */
function keyText(key: unknown): string {
  return typeof key === 'object' && key !== null ? inspect(key, { depth: 1, breakLength: Infinity }) : String(key);
}

function carefulEntries(entries: ReadonlyArray<readonly [string, unknown]>, path: object[]): string {
  let out = '{';
  for (const [key, v] of entries) {
    const json = carefulValue(v, path);
    if (json === undefined) continue;
    out += (out.length > 1 ? ',' : '') + JSON.stringify(key) + ':' + json;
  }
  return out + '}';
}

function carefulArray(items: readonly unknown[], path: object[]): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) out += (i > 0 ? ',' : '') + (carefulValue(items[i], path) ?? 'null');
  return out + ']';
}

// ---------------------------------------------------------------------------------------------
// Errors

/** The object pino's standard `err` serializer makes of an error. */
export interface SerializedError {
  type: string;
  message: string;
  stack: string;
  aggregateErrors?: SerializedError[];
  [key: string]: unknown;
}

function isErrorLike(value: unknown): value is Error {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}

/** An error's cause when it is error-like (a VError-style `cause()` function is called). */
function causeOf(err: Error): Error | undefined {
  const cause: unknown = (err as { cause?: unknown }).cause;
  if (typeof cause === 'function') {
    try {
      const result: unknown = (cause as () => unknown).call(err);
      return isErrorLike(result) ? result : undefined;
    } catch {
      return undefined;
    }
  }
  return isErrorLike(cause) ? cause : undefined;
}

/** `outer: inner: root`, pino's message with causes (a cycle ends with `: ...`). */
export function messageWithCauses(err: Error): string {
  let out = '';
  const seen = new Set<Error>();
  let current: Error | undefined = err;
  let skip = false;
  while (current) {
    if (!skip) out += current.message || '';
    if (seen.has(current)) return out + ': ...';
    seen.add(current);
    const next = causeOf(current);
    if (!next) break;
    // A VError-style cause is already part of the message.
    skip = typeof (current as { cause?: unknown }).cause === 'function';
    if (!skip) out += ': ';
    current = next;
  }
  return out;
}

/** Each stack of the cause chain, joined by `caused by: `, as pino writes them. */
export function stackWithCauses(err: Error): string {
  let out = '';
  const seen = new Set<Error>();
  let current: Error | undefined = err;
  while (current) {
    out += typeof current.stack === 'string' ? current.stack : '';
    if (seen.has(current)) return out + '\ncauses have become circular...';
    seen.add(current);
    current = causeOf(current);
    if (current) out += '\ncaused by: ';
  }
  return out;
}

/** The error's class name, as pino takes it. */
export function errorType(err: Error): string {
  const ctor = (err as { constructor?: unknown }).constructor;
  return typeof ctor === 'function' && ctor.name ? ctor.name : String(err.name);
}

/**
 * pino's standard `err` serializer: `type`, `message` and `stack` with the cause chain folded in,
 * an AggregateError's `errors` as `aggregateErrors`, then every enumerable property (`code`,
 * `statusCode`, …; error-valued ones serialized the same way). A cause that is not an error is
 * kept as `cause`, so nothing is lost.
 */
export function errorObject(err: Error, seen: Set<Error> = new Set()): SerializedError {
  seen.add(err);
  const out: SerializedError = { type: errorType(err), message: messageWithCauses(err), stack: stackWithCauses(err) };
  const errors: unknown = (err as { errors?: unknown }).errors;
  if (Array.isArray(errors))
    out.aggregateErrors = (errors as unknown[]).map((e) =>
      isErrorLike(e) && !seen.has(e) ? errorObject(e, seen) : e,
    ) as SerializedError[];
  for (const key in err) {
    if (out[key] !== undefined) continue;
    let value: unknown;
    try {
      value = (err as unknown as Record<string, unknown>)[key];
    } catch {
      continue;
    }
    if (isErrorLike(value)) {
      if (key !== 'cause' && !seen.has(value)) out[key] = errorObject(value, seen);
    } else out[key] = value;
  }
  const cause: unknown = (err as { cause?: unknown }).cause;
  if (cause !== undefined && out['cause'] === undefined && !isErrorLike(cause) && typeof cause !== 'function')
    out['cause'] = cause;
  seen.delete(err);
  return out;
}
