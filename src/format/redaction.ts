/**
 * Redaction of structured fields in pino's path syntax (`req.headers.authorization`,
 * `*.password`, `users[*].token`, `a["x-key"]`, `list[0]`), with a censor value or removal.
 *
 * One process-wide redactor, applied in one place: {@link visibleFields} is how every formatter
 * reads a record's fields (the merged context, bindings and call fields), so no formatter ever
 * sees a redacted value. Invariants: paths are compiled once into a tree, so a record costs one
 * walk of the tree over the fields it actually has; the caller's objects are never changed
 * (copy on write: only the objects on a matched path are copied); a bad path fails at
 * construction with the path and the position.
 */
import type { LogRecord } from '../core/record.js';
import { httpView } from './serialize.js';

/** pino's default censor. */
export const DEFAULT_CENSOR = '[Redacted]';

/** What replaces a redacted value: a fixed value, or a function of the value and its path. */
// (`unknown` already holds the function form; it is spelled out for the reader.)
export type Censor = unknown;

/** Options of {@link Redactor}, as pino's `redact` option (a bare array is `paths`). */
export interface RedactOptions {
  /** Paths in pino's syntax. */
  paths: readonly string[];
  /** Replacement value (default `"[Redacted]"`); a function receives the value and the path. */
  censor?: Censor;
  /** Remove the key instead of censoring it (an array element becomes `null` in JSON). */
  remove?: boolean;
}

/** A redaction path that does not parse: says which path, where, and what was expected. */
export class RedactPathError extends Error {
  constructor(
    readonly path: string,
    readonly position: number,
    expected: string,
  ) {
    super(`redact path ${JSON.stringify(path)} at position ${position}: expected ${expected}`);
    this.name = 'RedactPathError';
  }
}

/** A node of the compiled tree: named children, one wildcard child, or the end of a path. */
class PathNode {
  readonly keys = new Map<string, PathNode>();
  any: PathNode | null = null;
  leaf = false;
  /** Perf: the named children as parallel arrays, so a walk allocates no Map iterator entries. */
  names: string[] = [];
  children: PathNode[] = [];

  /** Fills {@link names} and {@link children} for this node and below, once the paths are all in. */
  seal(): void {
    this.names = [...this.keys.keys()];
    this.children = [...this.keys.values()];
    for (const child of this.children) child.seal();
    this.any?.seal();
  }

  child(segment: string | null): PathNode {
    if (segment === null) return (this.any ??= new PathNode());
    let node = this.keys.get(segment);
    if (!node) this.keys.set(segment, (node = new PathNode()));
    return node;
  }
}

const IDENT = /^[A-Za-z_$][\w$-]*/;

/** Segments of one path; `null` is a wildcard. */
export function parseRedactPath(path: string): Array<string | null> {
  const segments: Array<string | null> = [];
  let i = 0;
  if (path.length === 0) throw new RedactPathError(path, 0, 'a key');
  while (i < path.length) {
    if (path[i] === '[') {
      const close = path.indexOf(']', i);
      if (close < 0) throw new RedactPathError(path, i, "a closing ']'");
      const inner = path.slice(i + 1, close).trim();
      if (inner === '*') segments.push(null);
      else if (/^\d+$/.test(inner)) segments.push(inner);
      else if (/^(["']).*\1$/.test(inner) && inner.length >= 2) segments.push(inner.slice(1, -1));
      else throw new RedactPathError(path, i + 1, "'*', an index or a quoted key inside [ ]");
      i = close + 1;
    } else {
      if (segments.length > 0) {
        if (path[i] !== '.') throw new RedactPathError(path, i, "'.' or '['");
        i++;
      }
      if (path[i] === '*') {
        segments.push(null);
        i++;
        continue;
      }
      const m = IDENT.exec(path.slice(i));
      if (!m) throw new RedactPathError(path, i, "a key, '*' or '['");
      segments.push(m[0]);
      i += m[0].length;
    }
  }
  return segments;
}

/** A shallow copy that keeps what a reader needs (an error's message and stack, a class's prototype). */
function shallowCopy(value: object): Record<string, unknown> {
  if (Array.isArray(value)) return value.slice() as unknown as Record<string, unknown>;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return { ...(value as Record<string, unknown>) };
  return Object.create(proto as object, Object.getOwnPropertyDescriptors(value)) as Record<string, unknown>;
}

/** Compiled redaction paths; {@link apply} returns the fields with them censored or removed. */
export class Redactor {
  readonly paths: readonly string[];
  readonly censor: Censor;
  readonly remove: boolean;
  private readonly root = new PathNode();
  private readonly censorFn: ((value: unknown, path: readonly string[]) => unknown) | null;
  /** The keys walked so far, for a censor function. */
  private readonly trail: string[] = [];

  constructor(options: RedactOptions | readonly string[]) {
    const opts: RedactOptions = Array.isArray(options) ? { paths: options } : (options as RedactOptions);
    const paths: readonly string[] = opts.paths;
    if (!Array.isArray(opts.paths)) throw new TypeError('redact: paths must be an array of strings');
    this.paths = Object.freeze([...paths]);
    this.censor = 'censor' in opts ? opts.censor : DEFAULT_CENSOR;
    this.remove = opts.remove === true;
    this.censorFn =
      typeof this.censor === 'function' ? (this.censor as (value: unknown, path: readonly string[]) => unknown) : null;
    for (const path of this.paths) {
      if (typeof path !== 'string') throw new TypeError(`redact: every path must be a string, not ${typeof path}`);
      let node = this.root;
      for (const segment of parseRedactPath(path)) node = node.child(segment);
      node.leaf = true;
    }
    this.root.seal();
  }

  /** `fields` with every matching path censored or removed; the same object when nothing matched. */
  apply<T extends Record<string, unknown>>(fields: T): T {
    this.trail.length = 0;
    return this.walk(fields, this.root) as T;
  }

  private walk(original: unknown, node: PathNode): unknown {
    if (typeof original !== 'object' || original === null) return original;
    // An HTTP message is redacted in the form it is written in (its headers are not own properties).
    const value = httpView(original) ?? original;
    let copy: Record<string, unknown> | null = value === original ? null : (value as Record<string, unknown>);
    const { names, children } = node;
    // names and children are parallel (PathNode.seal); indexed, not iterated, per record.
    for (let i = 0; i < names.length; i++) {
      if (Object.hasOwn(value, names[i]!)) copy = this.visit(value, copy, names[i]!, children[i]!);
    }
    const any = node.any;
    if (any !== null) {
      const keys = Array.isArray(value) ? value.keys() : Object.keys(value);
      for (const key of keys) copy = this.visit(value, copy, String(key), any);
    }
    return copy ?? value;
  }

  /** Redacts `key` of `value` (or of its copy); returns the copy when one was needed. */
  private visit(
    value: object,
    copy: Record<string, unknown> | null,
    key: string,
    node: PathNode,
  ): Record<string, unknown> | null {
    const source = (copy ?? value) as Record<string, unknown>;
    const current = source[key];
    this.trail.push(key);
    let next: unknown;
    if (node.leaf)
      next = this.remove ? undefined : this.censorFn ? this.censorFn(current, [...this.trail]) : this.censor;
    else next = this.walk(current, node);
    this.trail.pop();
    if (next === current && !(node.leaf && this.remove)) return copy;
    const target = copy ?? shallowCopy(value);
    if (node.leaf && this.remove && !Array.isArray(target)) delete target[key];
    else target[key] = next;
    return target;
  }
}

let active: Redactor | null = null;
let lastRecord: LogRecord | null = null;
let lastVisible: Record<string, unknown> | undefined;

/**
 * Sets the process's redaction (pino's `redact`): paths, or options, or `null` for none.
 * Returns the previous redactor, so a caller can restore it.
 */
export function setRedaction(options: RedactOptions | readonly string[] | Redactor | null): Redactor | null {
  const previous = active;
  active = options === null ? null : options instanceof Redactor ? options : new Redactor(options);
  if (active !== null && active.paths.length === 0) active = null;
  lastRecord = null;
  lastVisible = undefined;
  return previous;
}

/** The process's redactor (`null` when nothing is redacted). */
export function getRedaction(): Redactor | null {
  return active;
}

/**
 * A record's structured fields as formatters see them: redacted when a redactor is set. Several
 * handlers format the same record one after another, so the last result is kept.
 */
export function visibleFields(record: LogRecord): Record<string, unknown> | undefined {
  const fields = record.fields;
  if (active === null || fields === undefined) return fields;
  if (record === lastRecord) return lastVisible;
  lastVisible = active.apply(fields);
  lastRecord = record;
  return lastVisible;
}
