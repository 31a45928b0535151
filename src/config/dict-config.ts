/**
 * dictConfig: a JSON/YAML/object configuration (Python's `logging.config.dictConfig` schema) to a
 * {@link ConfigSpec}: `version`, `incremental`, `disable_existing_loggers`, `formatters`,
 * `filters`, `handlers`, `loggers`, `root`, `()` factories, `.` properties, `ext://` and `cfg://`.
 *
 * Errors carry the path inside the document (`handlers.console.class`) and, for files, the line
 * when it can be found. CPython wraps nearly everything in `ValueError('Unable to configure …')`;
 * we keep that as `pythonType` and say precisely what was wrong.
 */
import type { ConfigLocation } from './errors.js';
import type { ClassEntry } from './registry.js';
import { addTopLevelKey, DICT_TOP_LEVEL_KEYS, unknownTopLevelKey } from './dict-top-level.js';
import {
  DictDocument,
  hasKey,
  isMapping,
  type LineOf,
  type Path,
  pyTruthy,
  setData,
  typeName,
} from './dict-document.js';
import { compareText } from './order.js';
import { redactFromDict } from './redact-config.js';
import { triggersFromDict } from './triggers-spec.js';
import { runAll, runInSlices } from './slices.js';
import { SpecBuilder } from './spec-builder.js';
import type { ClassCall, ConfigFormat, ConfigSpec, FormatterSpec, HandlerSpec, LoggerSpec } from './spec.js';

export { pyTruthy } from './dict-document.js';

/** Options of {@link parseDictConfig}. */
export interface DictConfigParseOptions {
  file?: string | undefined;
  format?: ConfigFormat | undefined;
  /** Finds the line of a path (`['handlers', 'console', 'class']`) in the source, when known. */
  lineOf?: LineOf | undefined;
}

/**
 * One top-level section of a dict config (`formatters`, `handlers`, … or one another module
 * adds): reads its part of the document into the builder. A generator yields between items, so
 * a large push is read in slices.
 */
export interface DictSection {
  /** The top-level key. */
  readonly name: string;
  read(doc: DictDocument, builder: SpecBuilder): Generator<unknown, void> | void;
}

/** Adds a section (read after the built-in ones, in the order added); its key becomes a known top-level key. */
export function addDictSection(section: DictSection): void {
  if (DICT_TOP_LEVEL_KEYS.has(section.name)) throw new Error(`dict config section '${section.name}' exists already`);
  addTopLevelKey(section.name);
  addedSections.push(section);
}

/** Parses a dictConfig object into a spec. Throws a located {@link ConfigError}; no side effects. */
export function parseDictConfig(config: unknown, options: DictConfigParseOptions = {}): ConfigSpec {
  return runAll(readDictConfig(config, options));
}

/** {@link parseDictConfig} in slices of a few milliseconds, the event loop running in between. */
export function parseDictConfigInSlices(config: unknown, options: DictConfigParseOptions = {}): Promise<ConfigSpec> {
  return runInSlices(readDictConfig(config, options));
}

function* readDictConfig(config: unknown, options: DictConfigParseOptions): Generator<unknown, ConfigSpec> {
  const builder = new SpecBuilder(options.file);
  if (!isMapping(config))
    return new DictDocument({}, options.file, options.lineOf).fail(
      [],
      `a dictConfig must be a mapping, not ${typeName(config)}`,
      'a mapping with version: 1',
    );
  const doc = new DictDocument(config, options.file, options.lineOf);
  const disableExisting = readHeader(doc);
  // CPython's DictConfigurator.configure order: formatters, filters, handlers, loggers, root.
  for (const section of [...BUILT_IN_SECTIONS, ...addedSections]) {
    const steps = section.read(doc, builder);
    if (steps) yield* steps;
  }
  return builder.spec({
    kind: 'dictConfig',
    format: options.format ?? 'object',
    incremental: doc.incremental,
    disableExistingLoggers: disableExisting,
    rootFirst: false,
  });
}

/** `version`, unknown top-level keys, `incremental`; returns `disable_existing_loggers`. */
function readHeader(doc: DictDocument): boolean {
  const root = doc.root;
  if (!hasKey(root, 'version')) doc.fail([], "dictionary doesn't specify a version", 'version: 1');
  const version = root['version'];
  if (version !== 1 && version !== true)
    doc.fail(
      ['version'],
      `Unsupported version: ${typeof version === 'string' ? version : JSON.stringify(version)}`,
      'version: 1 (the number)',
    );
  const unknownKey = unknownTopLevelKey(root);
  if (unknownKey !== undefined) {
    doc.fail(
      [unknownKey],
      `unknown top-level key '${unknownKey}'`,
      `one of ${[...DICT_TOP_LEVEL_KEYS].join(', ')} (or a section that a cfg:// value refers to, or a "//" comment)`,
    );
  }
  doc.incremental = pyTruthy(doc.get(root, 'incremental', []));
  // Default false, unlike Python: see docs/configuration.md, "Loggers created before a configuration".
  return hasKey(root, 'disable_existing_loggers') ? pyTruthy(doc.get(root, 'disable_existing_loggers', [])) : false;
}

const LEVEL_EXPECTED = 'a level name (DEBUG, INFO, WARNING, ERROR, CRITICAL, NOTSET) or a number';

function levelAt(doc: DictDocument, b: SpecBuilder, value: unknown, path: Path): number {
  return b.level(value, doc.where(path), asIs, LEVEL_EXPECTED);
}

const asIs = (reason: string) => reason;

// --- sections ------------------------------------------------------------------------------------

const redactSection: DictSection = {
  name: 'redact',
  read(doc, b) {
    if (!hasKey(doc.root, 'redact')) return;
    b.redact = redactFromDict(doc.get(doc.root, 'redact', []), (at, message, expected) =>
      doc.fail(['redact', ...at], message, expected),
    );
  },
};

const triggersSection: DictSection = {
  name: 'triggers',
  read(doc, b) {
    if (!hasKey(doc.root, 'triggers')) return;
    b.triggers = triggersFromDict(doc.get(doc.root, 'triggers', []), (name, key, message, expected) =>
      doc.fail(['triggers', ...(name ? [name] : []), ...(key ? [key] : [])], message, expected),
    );
  },
};

const formattersSection: DictSection = {
  name: 'formatters',
  *read(doc, b) {
    if (doc.incremental) return;
    for (const [id, raw] of doc.section('formatters')) {
      b.formatters.push(formatterSpec(doc, b, id, raw));
      b.define('formatter', id);
      yield;
    }
  },
};

const filtersSection: DictSection = {
  name: 'filters',
  *read(doc, b) {
    if (doc.incremental) return;
    for (const [id, raw] of doc.section('filters')) {
      const path: Path = ['filters', id];
      const c = doc.mapping(raw, path, (t) => `filter '${id}' must be a mapping, not ${t}`, '{ name: … }');
      const call = hasKey(c, '()')
        ? customCall(doc, b, c, path, 'filter')
        : dictClass(doc, b, {
            name: 'logging.Filter',
            args: [doc.get(c, 'name', path) ?? ''],
            kwargs: {},
            classPath: [...path, 'name'],
            path,
            kind: 'filter',
          });
      b.filters.push({ id, call, loc: doc.where(path) });
      b.define('filter', id);
      yield;
    }
  },
};

const handlersSection: DictSection = {
  name: 'handlers',
  *read(doc, b) {
    const entries = doc.section('handlers');
    if (doc.incremental) {
      for (const [id, cfg] of entries) {
        const path: Path = ['handlers', id];
        const c = doc.mapping(cfg, path, (t) => `handler '${id}' must be a mapping, not ${t}`, '{ level: … }');
        const level = doc.get(c, 'level', path);
        b.handlerLevels.push({
          id,
          level: pyTruthy(level) ? levelAt(doc, b, level, [...path, 'level']) : undefined,
          loc: doc.where(path),
        });
      }
      return;
    }
    // Every id first: a MemoryHandler may target a handler sorted after it.
    for (const [id] of entries) b.define('handler', id);
    // Sorted by id, as Python.
    for (const [id, raw] of [...entries].sort(([x], [y]) => compareText(x, y))) {
      b.handlers.push(handlerSpec(doc, b, id, raw));
      yield;
    }
  },
};

const loggersSection: DictSection = {
  name: 'loggers',
  *read(doc, b) {
    for (const [name, cfg] of doc.section('loggers')) {
      b.loggers.push(loggerSpec(doc, b, name, cfg, ['loggers', name]));
      yield;
    }
  },
};

const rootSection: DictSection = {
  name: 'root',
  read(doc, b) {
    const cfg = hasKey(doc.root, 'root') ? doc.get(doc.root, 'root', []) : undefined;
    if (pyTruthy(cfg)) b.root = loggerSpec(doc, b, '', cfg, ['root']);
  },
};

const BUILT_IN_SECTIONS: readonly DictSection[] = [
  redactSection,
  triggersSection,
  formattersSection,
  filtersSection,
  handlersSection,
  loggersSection,
  rootSection,
];
const addedSections: DictSection[] = [];

// --- one item of a section -----------------------------------------------------------------------

/** Keys of a dict formatter passed to `logging.JsonFormatter` as its options. */
const JSON_FORMATTER_OPTIONS = ['preset', 'keys', 'fields', 'time', 'static', 'trace'] as const;

function formatterSpec(doc: DictDocument, b: SpecBuilder, id: string, raw: unknown): FormatterSpec {
  const path: Path = ['formatters', id];
  const c = doc.mapping(
    raw,
    path,
    (t) => `formatter '${id}' must be a mapping, not ${t}`,
    '{ format: …, datefmt: …, style: … }',
  );
  const custom = hasKey(c, '()');
  const call = custom ? customCall(doc, b, c, path, 'formatter') : plainFormatterCall(doc, b, c, path);
  b.requireKind(
    call,
    'formatter',
    doc.where([...path, custom ? '()' : 'class']),
    `${call.name} is not a formatter class`,
    'ValueError',
    'logging.Formatter, logging.ColorFormatter, logging.JsonFormatter or a registered formatter',
  );
  b.checkFormat(call, doc.where([...path, 'format']), (reason) => `Unable to configure formatter '${id}': ${reason}`);
  return {
    id,
    call,
    loc: doc.where(path),
    format: (call.bound.values['fmt'] as string | null | undefined) ?? null,
    datefmt: (call.bound.values['datefmt'] as string | null | undefined) || null,
    style: (call.bound.values['style'] as string | undefined) ?? '%',
  };
}

function plainFormatterCall(doc: DictDocument, b: SpecBuilder, c: Record<string, unknown>, path: Path): ClassCall {
  const fmt = doc.get(c, 'format', path) ?? null;
  const dfmt = doc.get(c, 'datefmt', path) ?? null;
  const style = hasKey(c, 'style') ? doc.get(c, 'style', path) : '%';
  const cname = doc.get(c, 'class', path);
  const args = [fmt, dfmt, style];
  if (hasKey(c, 'validate')) args.push(doc.get(c, 'validate', path));
  const kwargs: Record<string, unknown> = {};
  if (hasKey(c, 'defaults') && doc.get(c, 'defaults', path) !== null)
    kwargs['defaults'] = doc.deepConvert(c['defaults'], [...path, 'defaults']);
  // JsonFormatter's own options (preset, keys, …); another class refuses them by name.
  for (const key of JSON_FORMATTER_OPTIONS)
    if (hasKey(c, key) && doc.get(c, key, path) !== null) kwargs[key] = doc.deepConvert(c[key], [...path, key]);
  return dictClass(doc, b, {
    name: pyTruthy(cname) ? cname : 'logging.Formatter',
    args,
    kwargs,
    classPath: [...path, pyTruthy(cname) ? 'class' : 'format'],
    path,
    kind: 'formatter',
  });
}

function handlerSpec(doc: DictDocument, b: SpecBuilder, id: string, raw: unknown): HandlerSpec {
  const path: Path = ['handlers', id];
  const c = {
    ...doc.mapping(
      raw,
      path,
      (t) => `handler '${id}' must be a mapping, not ${t}`,
      '{ class: …, level: …, formatter: … }',
    ),
  };
  const keyLoc: HandlerSpec['keyLoc'] = {};
  const formatter = handlerFormatter(doc, b, doc.get(c, 'formatter', path), path);
  if (formatter !== undefined) keyLoc['formatter'] = doc.where([...path, 'formatter']);
  const level = doc.get(c, 'level', path);
  const filters = doc.idList(doc.get(c, 'filters', path), path, 'filters');
  requireFilters(doc, b, filters, path);
  for (const key of ['formatter', 'level', 'filters']) delete c[key];
  const { call, target } = hasKey(c, '()')
    ? { call: customCall(doc, b, c, path, 'handler'), target: undefined }
    : handlerClassCall(doc, b, id, c, path);
  if (target !== undefined) keyLoc['target'] = doc.where([...path, 'target']);
  b.requireKind(
    call,
    'handler',
    doc.where([...path, 'class']),
    `${call.name} is not a handler class`,
    'ValueError',
    'a handler class such as logging.StreamHandler',
  );
  const spec: HandlerSpec = { id, call, formatter, filters, target, loc: doc.where(path), keyLoc };
  if (level !== undefined && level !== null) {
    spec.level = levelAt(doc, b, level, [...path, 'level']);
    keyLoc['level'] = doc.where([...path, 'level']);
  }
  return spec;
}

function handlerFormatter(doc: DictDocument, b: SpecBuilder, formatter: unknown, path: Path): string | undefined {
  if (!pyTruthy(formatter)) return undefined;
  const at = () => doc.where([...path, 'formatter']);
  const message = (f: unknown) => `Unable to set formatter ${JSON.stringify(f)}: no such formatter`;
  if (typeof formatter !== 'string')
    return doc.fail([...path, 'formatter'], message(formatter), b.expectedIds('formatter'));
  b.requireIds('formatter', [formatter], at, message);
  return formatter;
}

/** A handler's `class` with its keyword arguments (and a MemoryHandler's `target` id). */
function handlerClassCall(
  doc: DictDocument,
  b: SpecBuilder,
  id: string,
  c: Record<string, unknown>,
  path: Path,
): { call: ClassCall; target: string | undefined } {
  if (!hasKey(c, 'class'))
    doc.fail(
      path,
      `Unable to configure handler '${id}': no 'class' (KeyError: 'class')`,
      'class: logging.StreamHandler (or another handler class)',
    );
  const cname = doc.get(c, 'class', path);
  delete c['class'];
  const classLoc = doc.where([...path, 'class']);
  const entry = b.entryOf({ name: cname, mode: 'import', classLoc, unresolved: unresolvedIn('handler', cname) });
  let target: string | undefined;
  if (entry.isMemoryHandler && hasKey(c, 'target')) {
    const t = doc.get(c, 'target', path);
    const at = () => doc.where([...path, 'target']);
    const message = () => `Unable to set target handler ${JSON.stringify(t)}: no such handler`;
    if (typeof t !== 'string') return doc.fail([...path, 'target'], message(), b.expectedIds('handler', id));
    b.requireIds('handler', [t], at, message, 'ValueError', id);
    if (t === id) doc.fail([...path, 'target'], `handler '${id}' cannot be its own target`, 'another handler id');
    target = t;
    delete c['target'];
  }
  const props = c['.'];
  delete c['.'];
  const kwargs = kwargsOf(doc, c, path);
  if (entry.isMemoryHandler && kwargs['flushLevel'] !== undefined)
    kwargs['flushLevel'] = levelAt(doc, b, kwargs['flushLevel'], [...path, 'flushLevel']);
  // Build errors (a file that cannot be opened) point at the handler, not at its class.
  const call = dictClass(doc, b, {
    name: cname,
    entry,
    shownName: String(typeof cname === 'function' ? (cname as { name: string }).name : cname),
    args: [],
    kwargs,
    classPath: [...path, 'class'],
    path,
    kind: 'handler',
    locPath: path,
  });
  if (isMapping(props)) call.props = props;
  return { call, target };
}

/**
 * One logger's settings. A push may name hundreds of loggers, mostly with a level only: what an
 * error would need (its location, message, path) is made only when there is one, so a logger
 * costs a few small objects (a large push is read while the process runs, and what it allocates
 * is what the garbage collector pauses for).
 */
function loggerSpec(doc: DictDocument, b: SpecBuilder, name: string, raw: unknown, path: Path): LoggerSpec {
  const c = isMapping(raw) ? raw : doc.mapping(raw, path, loggerNotMapping(name, path), LOGGER_EXPECTED);
  const spec: LoggerSpec = { name, handlers: [], filters: [], loc: doc.where(path), keyLoc: {} };
  const level = doc.get(c, 'level', path);
  if (level !== undefined && level !== null) {
    const at = doc.where([...path, 'level']);
    spec.level = b.level(level, at, asIs, LEVEL_EXPECTED);
    spec.keyLoc['level'] = at;
  }
  if (path[0] !== 'root' && hasKey(c, 'propagate') && doc.get(c, 'propagate', path) !== null)
    spec.propagate = pyTruthy(doc.get(c, 'propagate', path));
  if (doc.incremental) return spec;
  const handlers = doc.idList(doc.get(c, 'handlers', path), path, 'handlers');
  if (handlers.length > 0) {
    b.requireIds(
      'handler',
      handlers,
      (i) => doc.where([...path, 'handlers', i]),
      (h) => `Unable to add handler '${h}': no such handler`,
    );
    spec.handlers = handlers.length > 1 ? [...new Set(handlers)] : handlers;
  }
  spec.filters = doc.idList(doc.get(c, 'filters', path), path, 'filters');
  requireFilters(doc, b, spec.filters, path);
  return spec;
}

const LOGGER_EXPECTED = '{ level: …, handlers: […], propagate: … }';
function loggerNotMapping(name: string, path: Path): (type: string) => string {
  const what = name === '' && path[0] === 'root' ? 'root logger' : `logger '${name}'`;
  return (t) => `Unable to configure ${what}: settings must be a mapping, not ${t}`;
}

/** The one missing-filter check (of the list at `parent.filters`), for handlers and loggers alike. */
function requireFilters(doc: DictDocument, b: SpecBuilder, ids: string[], parent: Path): void {
  if (ids.length === 0) return;
  b.requireIds(
    'filter',
    ids,
    (i) => doc.where([...parent, 'filters', i]),
    (f) => `Unable to add filter '${f}': no such filter`,
  );
}

// --- classes -------------------------------------------------------------------------------------

interface DictClass {
  name: unknown;
  /** Already resolved. */
  entry?: ClassEntry | undefined;
  shownName?: string | undefined;
  args: unknown[];
  kwargs: Record<string, unknown>;
  /** Where the class was written. */
  classPath: Path;
  /** The item (`handlers.console`): keyword errors point inside it. */
  path: Path;
  kind: string;
  /** Where later build errors point (default `classPath`). */
  locPath?: Path | undefined;
}

function unresolvedIn(kind: string, name: unknown) {
  return (e: { message: string; expected?: string | undefined }) => ({
    message:
      typeof name === 'string'
        ? `Unable to configure ${kind}: cannot resolve '${name}': ${e.message}`
        : `Unable to configure ${kind}: ${e.message}`,
    expected:
      e.expected ?? 'logging.StreamHandler, logging.handlers.RotatingFileHandler, … or a name given to registerClass()',
    pythonType: 'ValueError',
  });
}

function dictClass(doc: DictDocument, b: SpecBuilder, c: DictClass): ClassCall {
  const classLoc: ConfigLocation = doc.where(c.classPath);
  return b.bindClass({
    name: c.name,
    entry: c.entry,
    shownName: c.shownName ?? (typeof c.name === 'function' ? (c.name as { name: string }).name : String(c.name)),
    mode: 'import',
    args: c.args,
    kwargs: c.kwargs,
    classLoc,
    argLoc: c.locPath ? doc.where(c.locPath) : classLoc,
    unresolved: unresolvedIn(c.kind, c.name),
    unbound: (e) => {
      const m = /keyword argument '(\w+)'/.exec(e.message);
      return {
        loc: doc.where(m ? [...c.path, m[1]!] : c.path),
        message: `Unable to configure ${c.kind} '${c.path[c.path.length - 1]}': ${e.message}`,
        expected: e.expected,
        pythonType: 'ValueError',
      };
    },
  });
}

/** `'()'`: a factory with the other keys as keyword arguments. */
function customCall(
  doc: DictDocument,
  b: SpecBuilder,
  c: Record<string, unknown>,
  path: Path,
  kind: string,
): ClassCall {
  const rest = { ...c };
  const factory = doc.convert(rest['()'], [...path, '()']);
  delete rest['()'];
  const props = rest['.'];
  delete rest['.'];
  const factoryPath = [...path, '()'];
  const entry = b.entryOf({
    name: factory,
    mode: 'import',
    classLoc: doc.where(factoryPath),
    unresolved: unresolvedIn(kind, factory),
  });
  const kwargs = kwargsOf(doc, rest, path);
  // Python retries a formatter factory that rejects 'format' with fmt=.
  if (kind === 'formatter' && 'format' in kwargs && entry.params && !entry.params.some((p) => p.name === 'format')) {
    kwargs['fmt'] = kwargs['format'];
    delete kwargs['format'];
  }
  const call = dictClass(doc, b, {
    name: factory,
    entry,
    shownName: typeof factory === 'function' ? (factory as { name: string }).name : String(factory),
    args: [],
    kwargs,
    classPath: factoryPath,
    path,
    kind,
  });
  if (isMapping(props)) call.props = props;
  return call;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED = new Set([
  'False',
  'None',
  'True',
  'and',
  'as',
  'assert',
  'async',
  'await',
  'break',
  'class',
  'continue',
  'def',
  'del',
  'elif',
  'else',
  'except',
  'finally',
  'for',
  'from',
  'global',
  'if',
  'import',
  'in',
  'is',
  'lambda',
  'nonlocal',
  'not',
  'or',
  'pass',
  'raise',
  'return',
  'try',
  'while',
  'with',
  'yield',
]);

function kwargsOf(doc: DictDocument, c: Record<string, unknown>, path: Path): Record<string, unknown> {
  const kwargs: Record<string, unknown> = {};
  for (const key of Object.keys(c)) {
    if (!IDENT.test(key) || RESERVED.has(key))
      doc.fail(
        [...path, key],
        `Not a valid Python identifier: '${key}'`,
        'keyword argument names that are identifiers',
      );
    setData(kwargs, key, doc.deepConvert(c[key], [...path, key]));
  }
  return kwargs;
}
