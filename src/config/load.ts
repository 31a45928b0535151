/**
 * Text and files to specs: format detection, JSON/YAML parsing with located syntax errors, and
 * the path → line lookup that lets dictConfig errors name a line as well as a path.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import type { Node as YamlNode } from 'yaml';
import { yaml } from './lazy-yaml.js';
import { type AppliedConfig, type ApplyOptions, applySpec } from './apply.js';
import { parseDictConfig } from './dict-config.js';
import type { DictConfig } from './dict-schema.js';
import { ConfigError } from './errors.js';
import { parseFileConfig } from './file-config.js';
import { checkYamlBounds, jsonDepthExceeds, MAX_CONFIG_BYTES } from './text-bounds.js';
import type { ConfigFormat, ConfigSpec } from './spec.js';

/** Larger configuration files are refused before parsing (a logging config is a few KB). */
export { MAX_CONFIG_BYTES };

/** Options of {@link parseConfigText} and {@link loadConfigFile}. */
export interface ParseOptions {
  /** File name for messages (and `spec.file`). */
  file?: string | undefined;
  /** fileConfig `defaults=` (INI only), e.g. `{ here: '/srv/app' }`. */
  defaults?: Record<string, string | number | boolean> | undefined;
  /** fileConfig `disable_existing_loggers` (INI only; dictConfig reads it from the document). */
  disableExistingLoggers?: boolean | undefined;
  /** `'utf-8-sig'` accepts (and drops) a byte order mark, as Python's encoding of that name. */
  encoding?: string | undefined;
}

/** The format a file name implies: `.conf`/`.ini`/`.cfg` INI, `.json`, `.yaml`/`.yml`; INI otherwise. */
export function formatForPath(path: string): Exclude<ConfigFormat, 'object'> {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  return 'ini';
}

/**
 * Guesses the format of configuration text: JSON when it starts with `{`, INI when the first
 * significant line is a `[section]`, YAML otherwise. (Python's listener tries JSON, then INI.)
 */
export function detectFormat(text: string): Exclude<ConfigFormat, 'object'> {
  const body = text.replace(/^\ufeff/, '');
  const first =
    body
      .split(/\r?\n/)
      .find((l) => l.trim() !== '' && !/^\s*[#;]/.test(l))
      ?.trim() ?? '';
  if (first.startsWith('{')) return 'json';
  if (first.startsWith('[')) return 'ini';
  return 'yaml';
}

/**
 * Parses configuration text into a validated {@link ConfigSpec} without changing anything.
 * `format` is `'ini'` (fileConfig), `'json'` or `'yaml'` (dictConfig), or `'auto'`.
 * Throws a {@link ConfigError} with file and line (INI, syntax errors) or path (dictConfig).
 */
export function parseConfigText(text: string, format: ConfigFormat | 'auto', options: ParseOptions = {}): ConfigSpec {
  if (format === 'object') throw new TypeError("parseConfigText: use parseDictConfig for objects (format 'object')");
  try {
    return parseText(text, format, options);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    // Anything else (a stack overflow on absurd nesting, …) still names the file.
    throw new ConfigError(`cannot parse the configuration: ${(e as Error).message}`, {
      file: options.file,
      expected: 'a reasonably nested configuration',
      pythonType: 'RecursionError',
      cause: e,
    });
  }
}

function parseText(text: string, format: ConfigFormat | 'auto', options: ParseOptions): ConfigSpec {
  const file = options.file;
  if (text.length > MAX_CONFIG_BYTES) {
    throw new ConfigError(`configuration is too large (${text.length} characters)`, {
      file,
      expected: `at most ${MAX_CONFIG_BYTES} bytes`,
      pythonType: 'ValueError',
    });
  }
  if (options.encoding && /^utf-?8-sig$/i.test(options.encoding)) text = text.replace(/^\ufeff/, '');
  const fmt = format === 'auto' ? detectFormat(text) : format;
  if (fmt === 'ini') {
    if (text.length === 0)
      throw new ConfigError(`${file ?? '<string>'} is an empty file`, {
        file,
        pythonType: 'RuntimeError',
        expected: 'a fileConfig INI file with [loggers], [handlers] and [formatters]',
      });
    const spec = parseFileConfig(text, {
      file,
      defaults: options.defaults,
      disableExistingLoggers: options.disableExistingLoggers,
    });
    return { ...spec, origin: { text, format: fmt, defaults: options.defaults } };
  }
  const { value, lineOf } = parseDictText(text, fmt === 'json' ? 'json' : 'yaml', file);
  return {
    ...parseDictConfig(value, { file, format: fmt, lineOf }),
    origin: { text, format: fmt === 'yaml' ? 'yaml' : 'json' },
  };
}

/** True for what JSON holds as it is (so an object config can be sent to worker threads as text). */
function isPlainData(value: unknown, depth = 0): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || depth > 64) return false;
  if (Array.isArray(value)) return value.every((item) => isPlainData(item, depth + 1));
  const proto: unknown = Object.getPrototypeOf(value);
  return (
    (proto === Object.prototype || proto === null) && Object.values(value).every((item) => isPlainData(item, depth + 1))
  );
}

/**
 * Reads and parses a configuration file (format from the extension; see {@link formatForPath}).
 * A missing file is `FileNotFoundError("<f> doesn't exist")`, an empty one
 * `RuntimeError("<f> is an empty file")`, as in CPython.
 */
export function loadConfigFile(path: string, options: ParseOptions = {}): ConfigSpec {
  const file = options.file ?? path;
  if (!existsSync(path))
    throw new ConfigError(`${path} doesn't exist`, {
      file,
      pythonType: 'FileNotFoundError',
      expected: 'an existing configuration file',
    });
  const stat = statSync(path);
  if (stat.isDirectory())
    throw new ConfigError(`${path} is a directory`, {
      file,
      pythonType: 'IsADirectoryError',
      expected: 'a configuration file',
    });
  if (stat.size > MAX_CONFIG_BYTES)
    throw new ConfigError(`configuration file is too large (${stat.size} bytes)`, {
      file,
      expected: `at most ${MAX_CONFIG_BYTES} bytes`,
      pythonType: 'ValueError',
    });
  if (stat.size === 0)
    throw new ConfigError(`${path} is an empty file`, {
      file,
      pythonType: 'RuntimeError',
      expected: 'a non-empty configuration file',
    });
  const bytes = readFileSync(path);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (e) {
    const bad = firstInvalidUtf8(bytes);
    throw new ConfigError(
      `'utf-8' codec can't decode byte 0x${bytes[bad]?.toString(16).padStart(2, '0')} in position ${bad}: invalid byte`,
      { file, line: lineAtByte(bytes, bad), pythonType: 'UnicodeDecodeError', expected: 'UTF-8 text', cause: e },
    );
  }
  return parseConfigText(text, formatForPath(path), { ...options, file });
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lo = 0;
  let hi = bytes.length;
  // Binary search for the shortest invalid prefix (a prefix cut inside a character is also "invalid", so stream).
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    try {
      decoder.decode(bytes.subarray(0, mid + 1), { stream: true });
      decoder.decode();
      lo = mid + 1;
    } catch {
      hi = mid;
    }
  }
  return lo;
}

function lineAtByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 10) line++;
  return line;
}

function lineAtOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

type Located = { value: unknown; lineOf: (path: ReadonlyArray<string | number>) => number | undefined };

/**
 * The document of a JSON or YAML configuration (before dictConfig reads it), with its line lookup;
 * throws a located {@link ConfigError} for a syntax error or text beyond the bounds.
 */
export function parseDictText(text: string, format: 'json' | 'yaml', file: string | undefined): Located {
  return format === 'json' ? parseJson(text, file) : parseYaml(text, file);
}

function parseJson(text: string, file: string | undefined): Located {
  const body = text.replace(/^\ufeff/, '');
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    const message = (e as Error).message;
    const pos = /position (\d+)/.exec(message);
    const line = pos ? lineAtOffset(body, Number(pos[1])) : body.trim() === '' ? 1 : lineAtOffset(body, body.length);
    throw new ConfigError(`invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`, {
      file,
      line,
      pythonType: 'JSONDecodeError',
      expected: 'a JSON object',
    });
  }
  return { value, lineOf: documentLines(body) };
}

function parseYaml(text: string, file: string | undefined): Located {
  checkYamlBounds(text, file);
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  // YAML 1.1, as PyYAML reads it: Python users' `propagate: no` must be false, not the string 'no'.
  // Duplicate keys are found below: the package's own check compares every pair of keys.
  const doc = parseDocument(text, { version: '1.1', uniqueKeys: false, prettyErrors: false, lineCounter, merge: true });
  const error = doc.errors[0];
  if (error) {
    const line = error.linePos?.[0]?.line ?? lineCounter.linePos(error.pos[0]).line;
    throw new ConfigError(`invalid YAML: ${error.message.split('\n')[0]}`, {
      file,
      line,
      pythonType: 'YAMLError',
      expected: 'a YAML mapping',
    });
  }
  const duplicate = firstDuplicateKey(doc.contents);
  if (duplicate) {
    throw new ConfigError(`invalid YAML: Map keys must be unique ('${duplicate.key}')`, {
      file,
      line: duplicate.offset === undefined ? undefined : lineCounter.linePos(duplicate.offset).line,
      pythonType: 'YAMLError',
      expected: 'each key once per mapping',
    });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new ConfigError(`invalid YAML: ${(e as Error).message}`, {
      file,
      pythonType: 'YAMLError',
      expected: 'a YAML mapping without excessive aliases',
    });
  }
  return { value, lineOf: nodeLines(doc.contents, (offset) => lineCounter.linePos(offset).line) };
}

/** The first scalar key that repeats within one mapping, with its offset (one pass, a set per mapping). */
function firstDuplicateKey(rootNode: YamlNode | null): { key: string; offset: number | undefined } | undefined {
  const { isMap, isPair, isScalar, isSeq } = yaml();
  const stack: unknown[] = [rootNode];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        if (isScalar(pair.key)) {
          if (seen.has(pair.key.value)) return { key: String(pair.key.value), offset: pair.key.range?.[0] };
          seen.add(pair.key.value);
        }
        stack.push(pair.value);
      }
    } else if (isSeq(node)) for (const item of node.items) stack.push(item);
  }
  return undefined;
}

/** Line lookup for JSON: the YAML parser reads JSON too and keeps positions. */
function documentLines(text: string): Located['lineOf'] {
  let cached: Located['lineOf'] | undefined;
  return (path) => {
    // A document nested beyond the bounds is valid JSON but would make the lookup slow: path only.
    if (!cached && jsonDepthExceeds(text)) cached = () => undefined;
    if (!cached) {
      try {
        const { LineCounter, parseDocument } = yaml();
        const lineCounter = new LineCounter();
        const doc = parseDocument(text, { uniqueKeys: false, lineCounter });
        cached = nodeLines(doc.contents, (offset) => lineCounter.linePos(offset).line);
      } catch {
        cached = () => undefined;
      }
    }
    return cached(path);
  };
}

/**
 * The line of the deepest node along `path` (the key's line when the path ends at a key). Each
 * mapping is indexed by key on its first visit, so a lookup costs the path's depth, not the
 * mapping's size (a config with thousands of loggers would otherwise be quadratic).
 */
function nodeLines(rootNode: YamlNode | null, lineAt: (offset: number) => number): Located['lineOf'] {
  const { isMap, isPair, isScalar, isSeq } = yaml();
  const indexes = new WeakMap<object, Map<string, { key: YamlNode; value: unknown }>>();
  const indexOf = (node: { items: unknown[] }): Map<string, { key: YamlNode; value: unknown }> => {
    let index = indexes.get(node);
    if (!index) {
      index = new Map();
      for (const p of node.items)
        if (isPair(p) && isScalar(p.key) && !index.has(String(p.key.value)))
          index.set(String(p.key.value), { key: p.key as YamlNode, value: p.value });
      indexes.set(node, index);
    }
    return index;
  };
  return (path) => {
    let node: unknown = rootNode;
    let best: number | undefined = rootNode?.range ? lineAt(rootNode.range[0]) : undefined;
    for (const key of path) {
      if (isMap(node)) {
        const pair = indexOf(node).get(String(key));
        if (!pair) return best;
        if (pair.key.range) best = lineAt(pair.key.range[0]);
        node = pair.value;
      } else if (isSeq(node) && typeof key === 'number') {
        const item = node.items[key] as YamlNode | undefined;
        if (!item) return best;
        if (item.range) best = lineAt(item.range[0]);
        node = item;
      } else return best;
    }
    return best;
  };
}

// ---------------------------------------------------------------------------------------------
// Python's entry points

/** Options of {@link fileConfig}. */
export interface FileConfigOptions extends ApplyOptions {
  /** Python's `defaults=`: values for `%(name)s` interpolation in every section. */
  defaults?: Record<string, string | number | boolean> | undefined;
  /** Python's `disable_existing_loggers`; default false, unlike Python (docs/configuration.md). */
  disableExistingLoggers?: boolean | undefined;
  /** `'utf-8-sig'` accepts a byte order mark; anything else reads UTF-8 strictly. */
  encoding?: string | undefined;
}

/**
 * Python's `logging.config.fileConfig`: applies an INI file — or INI text, when the argument
 * contains a newline or starts with `[` and is not an existing path. All-or-nothing: on any error
 * a located {@link ConfigError} is thrown and nothing changes.
 *
 * ```ts
 * fileConfig('logger_config/info.conf');
 * fileConfig('development.ini', { defaults: { here: process.cwd() } });
 * ```
 */
export function fileConfig(pathOrText: string, options: FileConfigOptions = {}): AppliedConfig {
  const parseOptions: ParseOptions = {
    defaults: options.defaults,
    disableExistingLoggers: options.disableExistingLoggers,
    encoding: options.encoding,
  };
  const isText = !existsSync(pathOrText) && (pathOrText.includes('\n') || pathOrText.trimStart().startsWith('['));
  const spec = isText
    ? parseConfigText(pathOrText, 'ini', { ...parseOptions, file: '<string>' })
    : loadIni(pathOrText, parseOptions);
  return applySpec(spec, { ...options, source: options.source ?? (isText ? '<string>' : pathOrText) });
}

function loadIni(path: string, options: ParseOptions): ConfigSpec {
  // fileConfig reads INI whatever the extension, as Python does.
  if (formatForPath(path) !== 'ini' && existsSync(path)) {
    return parseConfigText(readFileSync(path, 'utf8'), 'ini', { ...options, file: path });
  }
  return loadConfigFile(path, options);
}

/**
 * Python's `logging.config.dictConfig` for an object (parsed JSON/YAML or a literal). Values may
 * also be constructors (`class: MyHandler`). All-or-nothing, like {@link fileConfig}.
 */
export function dictConfig(config: DictConfig, options: ApplyOptions & { file?: string } = {}): AppliedConfig {
  const spec = parseDictConfig(config, { file: options.file, format: 'object' });
  if (isPlainData(config)) spec.origin = { text: JSON.stringify(config), format: 'json' };
  return applySpec(spec, options);
}
