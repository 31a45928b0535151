/**
 * A dictConfig document as its sections read it: values converted as they are read (`ext://`
 * and `cfg://`, Python's `BaseConfigurator.convert`), section and id-list access, and errors
 * located at the path inside the document (`handlers.console.class`) and, for files, the line.
 *
 * Invariants: `cfg://` reads own keys only (never a prototype's); a reference chain is bounded
 * (50) and cycles are reported; a line is looked up only when an error reads it.
 */
import { ConfigError, type ConfigLocation, joinPath } from './errors.js';
import { PyRef } from './py-literal.js';
import { resolveExt } from './registry.js';

/** A path inside the document. */
export type Path = Array<string | number>;

/** Finds the line of a path in the source text, when known. */
export type LineOf = (path: ReadonlyArray<string | number>) => number | undefined;

/** Python's truth value of a JSON/YAML value. */
export function pyTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object' && !(value instanceof PyRef) && Object.getPrototypeOf(value) === Object.prototype)
    return Object.keys(value).length > 0;
  return true;
}

/** True for a mapping (not a list, not a Python reference). */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof PyRef);
}

/** The kind of a value, for messages. */
export function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value === 'number' ? 'a number' : typeof value === 'string' ? 'a string' : typeof value === 'boolean' ? 'a boolean' : typeof value} (${JSON.stringify(value)})`;
}

/** Own-key test (a `__proto__` or `constructor` key is data). */
export function hasKey(obj: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** Sets `key` as data: a `__proto__` key stays a key, it does not become the object's prototype. */
export function setData(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

/** The document being read. */
export class DictDocument {
  /** dictConfig's `incremental`: only levels and propagate are read. */
  incremental = false;
  readonly #resolving: string[] = [];
  #referencePath: Path | undefined;

  constructor(
    readonly root: Record<string, unknown>,
    readonly file: string | undefined,
    private readonly lineOf: LineOf | undefined,
  ) {}

  /** Where `path` is; its line is found only when read. */
  where(path: Path): ConfigLocation {
    return lazyLocation(this.file, path, this.lineOf);
  }

  fail(path: Path, message: string, expected?: string, pythonType = 'ValueError', cause?: unknown): never {
    throw new ConfigError(message, { ...this.where(path), expected, pythonType, cause });
  }

  /** `obj[key]`, converted (the path is built only for a value that may need converting). */
  get(obj: Record<string, unknown>, key: string, path: Path): unknown {
    const value = obj[key];
    return typeof value === 'string' && value.includes('://') ? this.convert(value, [...path, key]) : value;
  }

  /** A top-level section as `[id, settings]` pairs (none when absent, null or empty). */
  section(name: string): Array<[string, unknown]> {
    if (!hasKey(this.root, name)) return [];
    const value = this.get(this.root, name, []);
    if (value === null || value === undefined || (!pyTruthy(value) && !isMapping(value))) return [];
    if (!isMapping(value))
      this.fail(
        [name],
        `'${name}' must be a mapping of id to settings, not ${typeName(value)}`,
        `${name}: { <id>: { … } }`,
      );
    return Object.entries(value);
  }

  /** The settings at `path` as a mapping, or a located error worded by `message`. */
  mapping(raw: unknown, path: Path, message: (type: string) => string, expected: string): Record<string, unknown> {
    const value = this.convert(raw, path);
    if (!isMapping(value)) return this.fail(path, message(typeName(value)), expected);
    return value;
  }

  /** The list of ids at `parent.key` (`handlers: [a, b]`); a string or a mapping is an error. */
  idList(value: unknown, parent: Path, key: string): string[] {
    if (!pyTruthy(value)) return [];
    const path = [...parent, key];
    if (typeof value === 'string')
      this.fail(
        path,
        `${key} must be a list of ids, not a string (${JSON.stringify(value)})`,
        `[${JSON.stringify(value)}]`,
      );
    if (!Array.isArray(value))
      return this.fail(path, `${key} must be a list of ids, not ${typeName(value)}`, 'a list of ids');
    return value.map((item, i) => {
      const converted = this.convert(item, [...path, i]);
      if (typeof converted !== 'string')
        this.fail([...path, i], `${key} entries must be ids (strings), not ${typeName(converted)}`, 'an id string');
      return converted;
    });
  }

  /** `ext://` and `cfg://` strings resolved; anything else as it is. */
  convert(value: unknown, path: Path): unknown {
    if (typeof value !== 'string') return value;
    const m = /^([a-z]+):\/\/(.*)$/s.exec(value);
    if (!m) return value;
    const target = m[2]!; // not an optional group: a match has it
    if (m[1] === 'ext') {
      try {
        return resolveExt(target);
      } catch (e) {
        return this.fail(
          path,
          `cannot resolve ${value}: ${(e as Error).message}`,
          'ext://sys.stdout, ext://sys.stderr or ext://logging.<name>',
          'ValueError',
          e,
        );
      }
    }
    if (m[1] === 'cfg') return this.#cfgLookup(target, value, path);
    return value; // unknown prefixes stay strings, as in Python (file://x.log)
  }

  /** {@link convert} all the way down, into fresh plain objects and arrays. */
  deepConvert(value: unknown, path: Path): unknown {
    const v = this.convert(value, path);
    if (Array.isArray(v)) return v.map((item, i) => this.deepConvert(item, [...path, i]));
    if (isMapping(v) && Object.getPrototypeOf(v) === Object.prototype) {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) setData(out, k, this.deepConvert(item, [...path, k]));
      return out;
    }
    return v;
  }

  #cfgLookup(suffix: string, original: string, path: Path): unknown {
    // Errors point at where the first reference was written, not somewhere inside the chain.
    if (this.#resolving.length === 0) this.#referencePath = path;
    const at0 = this.#referencePath ?? path;
    if (this.#resolving.includes(suffix)) {
      this.fail(
        at0,
        `cfg:// reference cycle: ${[...this.#resolving, suffix].map((s) => `cfg://${s}`).join(' -> ')}`,
        'cfg:// references that end in a value',
      );
    }
    if (this.#resolving.length > 50)
      this.fail(at0, `cfg:// references nested too deeply at ${original}`, 'fewer than 50 nested cfg:// references');
    this.#resolving.push(suffix);
    try {
      const m = /^\s*(\w+)\s*/.exec(suffix);
      if (!m) return this.fail(at0, `Unable to convert '${original}'`, 'cfg://key.sub[0]');
      // Own keys only: `cfg://constructor` or `cfg://__proto__` must not reach Object's prototype
      // (its functions would otherwise be usable as `()` factories).
      const top = m[1]!; // not an optional group: a match has it
      if (!hasKey(this.root, top))
        this.fail(at0, `Unable to convert '${original}': no top-level key '${top}'`, 'cfg:// naming an existing key');
      let at: Path = [top];
      let d: unknown = this.convert(this.root[top], at);
      let rest = suffix.slice(m[0].length);
      while (rest) {
        const step = this.#cfgStep(rest, d, original, at0);
        rest = rest.slice(step.length);
        at = [...at, step.key];
        d = this.#cfgIndex(d, step.key, at, original, at0);
      }
      return d;
    } finally {
      this.#resolving.pop();
    }
  }

  /** The next `.key` or `[index]` of a cfg:// reference. */
  #cfgStep(rest: string, d: unknown, original: string, at0: Path): { key: string | number; length: number } {
    // Group 1 of both patterns is not optional: a match has it.
    let m = /^\.\s*(\w+)\s*/.exec(rest);
    if (m) return { key: m[1]!, length: m[0].length };
    m = /^\[([^[\]]*)\]\s*/.exec(rest);
    if (!m) return this.fail(at0, `Unable to convert '${original}' at '${rest}'`, 'cfg://key.sub[0]');
    const idx = m[1]!;
    return { key: /^\d+$/.test(idx) && Array.isArray(d) ? Number(idx) : idx, length: m[0].length };
  }

  #cfgIndex(d: unknown, key: string | number, at: Path, original: string, at0: Path): unknown {
    if (Array.isArray(d) && typeof key === 'number') {
      if (key >= d.length)
        this.fail(at0, `Unable to convert '${original}': index ${key} out of range`, 'an existing index');
      return this.convert(d[key], at);
    }
    if (isMapping(d) && hasKey(d, String(key))) return this.convert(d[String(key)], at);
    return this.fail(
      at0,
      `Unable to convert '${original}': no key '${String(key)}' at ${pathText(at.slice(0, -1))}`,
      'cfg:// naming an existing key',
    );
  }
}

/** `handlers.console.class` for `['handlers', 'console', 'class']`. */
export function pathText(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const part of path) out = joinPath(out || undefined, part);
  return out;
}

/**
 * A location whose `line` is found on first read (spreading the object reads it). Without a way
 * to find lines (a pushed document: parsed elsewhere) it is a plain object, the cheap case.
 */
function lazyLocation(file: string | undefined, path: Path, lineOf: LineOf | undefined): ConfigLocation {
  if (!lineOf) return { file, path: pathText(path), line: undefined };
  let line: number | undefined | null = null;
  const loc: ConfigLocation = { file, path: pathText(path) };
  Object.defineProperty(loc, 'line', {
    enumerable: true,
    configurable: true,
    get: () => (line === null ? (line = lineOf?.(path)) : line),
  });
  return loc;
}
