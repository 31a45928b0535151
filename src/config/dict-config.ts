/**
 * dictConfig: a JSON/YAML/object configuration (Python's `logging.config.dictConfig` schema) to a
 * {@link ConfigSpec}: `version`, `incremental`, `disable_existing_loggers`, `formatters`,
 * `filters`, `handlers`, `loggers`, `root`, `()` factories, `.` properties, `ext://` and `cfg://`.
 *
 * Errors carry the path inside the document (`handlers.console.class`) and, for files, the line
 * when it can be found. CPython wraps nearly everything in `ValueError('Unable to configure …')`;
 * we keep that as `pythonType` and say precisely what was wrong.
 */
import { checkLevel } from '../core/levels.js';
import { ConfigError, type ConfigLocation, joinPath } from './errors.js';
import { PyRef } from './py-literal.js';
import {
  type ClassEntry,
  ClassError,
  type UserClass,
  bindArguments,
  isClassEntry,
  resolveClass,
  resolveExt,
} from './registry.js';
import { DICT_TOP_LEVEL_KEYS, unknownTopLevelKey } from './dict-top-level.js';
import { redactFromDict } from './redact-config.js';
import { triggersFromDict } from './triggers-spec.js';
import type {
  ClassCall,
  ConfigFormat,
  ConfigSpec,
  FilterSpec,
  FormatterSpec,
  HandlerLevelSpec,
  HandlerSpec,
  LoggerSpec,
} from './spec.js';

/** Options of {@link parseDictConfig}. */
export interface DictConfigParseOptions {
  file?: string | undefined;
  format?: ConfigFormat | undefined;
  /** Finds the line of a path (`['handlers', 'console', 'class']`) in the source, when known. */
  lineOf?: ((path: ReadonlyArray<string | number>) => number | undefined) | undefined;
}

type Path = Array<string | number>;

/** Python's truth value of a JSON/YAML value. */
export function pyTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object' && !(value instanceof PyRef) && Object.getPrototypeOf(value) === Object.prototype)
    return Object.keys(value).length > 0;
  return true;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Keys of a dict formatter passed to `logging.JsonFormatter` as its options. */
const JSON_FORMATTER_OPTIONS = ['preset', 'keys', 'fields', 'time', 'static', 'trace'] as const;
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

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof PyRef);
}

function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value === 'number' ? 'a number' : typeof value === 'string' ? 'a string' : typeof value === 'boolean' ? 'a boolean' : typeof value} (${JSON.stringify(value)})`;
}

/** Parses a dictConfig object into a spec. Throws a located {@link ConfigError}; no side effects. */
export function parseDictConfig(config: unknown, options: DictConfigParseOptions = {}): ConfigSpec {
  const file = options.file;
  // The line is looked up only when an error reads it: a lookup costs a walk of the document.
  const where = (path: Path): ConfigLocation => lazyLocation(file, path, options.lineOf);
  const fail = (path: Path, message: string, expected?: string, pythonType = 'ValueError', cause?: unknown): never => {
    throw new ConfigError(message, { ...where(path), expected, pythonType, cause });
  };

  if (!isMapping(config))
    fail([], `a dictConfig must be a mapping, not ${typeName(config)}`, 'a mapping with version: 1');
  const root = config as Record<string, unknown>;

  // --- ext:// and cfg:// (Python's BaseConfigurator.convert), applied to values as they are read ---
  const resolving: string[] = [];
  let referencePath: Path | undefined;
  const convert = (value: unknown, path: Path): unknown => {
    if (typeof value !== 'string') return value;
    const m = /^([a-z]+):\/\/(.*)$/s.exec(value);
    if (!m) return value;
    if (m[1] === 'ext') {
      try {
        return resolveExt(m[2]!);
      } catch (e) {
        return fail(
          path,
          `cannot resolve ${value}: ${(e as Error).message}`,
          'ext://sys.stdout, ext://sys.stderr or ext://logging.<name>',
          'ValueError',
          e,
        );
      }
    }
    if (m[1] === 'cfg') return cfgLookup(m[2]!, value, path);
    return value; // unknown prefixes stay strings, as in Python (file://x.log)
  };
  const deepConvert = (value: unknown, path: Path): unknown => {
    const v = convert(value, path);
    if (Array.isArray(v)) return v.map((item, i) => deepConvert(item, [...path, i]));
    if (isMapping(v) && Object.getPrototypeOf(v) === Object.prototype) {
      const out: Record<string, unknown> = {};
      // defineProperty: a `__proto__` key stays data, it does not become the object's prototype.
      for (const [k, item] of Object.entries(v))
        Object.defineProperty(out, k, {
          value: deepConvert(item, [...path, k]),
          writable: true,
          enumerable: true,
          configurable: true,
        });
      return out;
    }
    return v;
  };
  const cfgLookup = (suffix: string, original: string, path: Path): unknown => {
    // Errors point at where the first reference was written, not somewhere inside the chain.
    if (resolving.length === 0) referencePath = path;
    const at0 = referencePath ?? path;
    if (resolving.includes(suffix)) {
      fail(
        at0,
        `cfg:// reference cycle: ${[...resolving, suffix].map((s) => `cfg://${s}`).join(' -> ')}`,
        'cfg:// references that end in a value',
      );
    }
    if (resolving.length > 50)
      fail(at0, `cfg:// references nested too deeply at ${original}`, 'fewer than 50 nested cfg:// references');
    resolving.push(suffix);
    try {
      let rest = suffix;
      let m = /^\s*(\w+)\s*/.exec(rest);
      if (!m) fail(at0, `Unable to convert '${original}'`, 'cfg://key.sub[0]');
      rest = rest.slice(m![0].length);
      let at: Path = [m![1]!];
      // Own keys only: `cfg://constructor` or `cfg://__proto__` must not reach Object's prototype
      // (its functions would otherwise be usable as `()` factories).
      if (!has(root, m![1]!))
        fail(at0, `Unable to convert '${original}': no top-level key '${m![1]}'`, 'cfg:// naming an existing key');
      let d: unknown = convert(root[m![1]!], at);
      while (rest) {
        let key: string | number | undefined;
        if ((m = /^\.\s*(\w+)\s*/.exec(rest))) key = m[1]!;
        else if ((m = /^\[([^[\]]*)\]\s*/.exec(rest))) {
          const idx = m[1]!;
          key = /^\d+$/.test(idx) && Array.isArray(d) ? Number(idx) : idx;
        } else fail(at0, `Unable to convert '${original}' at '${rest}'`, 'cfg://key.sub[0]');
        rest = rest.slice(m![0].length);
        at = [...at, key!];
        if (Array.isArray(d) && typeof key === 'number') {
          if (key >= d.length)
            fail(at0, `Unable to convert '${original}': index ${key} out of range`, 'an existing index');
          d = convert(d[key], at);
        } else if (isMapping(d) && Object.prototype.hasOwnProperty.call(d, String(key))) {
          d = convert(d[String(key)], at);
        } else
          fail(
            at0,
            `Unable to convert '${original}': no key '${String(key)}' at ${pathText(at.slice(0, -1))}`,
            'cfg:// naming an existing key',
          );
      }
      return d;
    } finally {
      resolving.pop();
    }
  };
  const get = (obj: Record<string, unknown>, key: string, path: Path): unknown => convert(obj[key], [...path, key]);
  const has = (obj: Record<string, unknown>, key: string): boolean => Object.prototype.hasOwnProperty.call(obj, key);

  // --- version -------------------------------------------------------------------------------------
  if (!has(root, 'version')) fail([], "dictionary doesn't specify a version", 'version: 1');
  const version = root['version'];
  if (version !== 1 && version !== true)
    fail(
      ['version'],
      `Unsupported version: ${typeof version === 'string' ? version : JSON.stringify(version)}`,
      'version: 1 (the number)',
    );
  const unknownKey = unknownTopLevelKey(root);
  if (unknownKey !== undefined) {
    fail(
      [unknownKey],
      `unknown top-level key '${unknownKey}'`,
      `one of ${[...DICT_TOP_LEVEL_KEYS].join(', ')} (or a section that a cfg:// value refers to, or a "//" comment)`,
    );
  }
  const incremental = pyTruthy(get(root, 'incremental', []));
  // Default false, unlike Python: see docs/configuration.md, "Loggers created before a configuration".
  const disableExisting = has(root, 'disable_existing_loggers')
    ? pyTruthy(get(root, 'disable_existing_loggers', []))
    : false;

  const section = (name: string): Array<[string, unknown]> => {
    if (!has(root, name)) return [];
    const value = get(root, name, []);
    if (value === null || value === undefined || (!pyTruthy(value) && !isMapping(value))) return [];
    if (!isMapping(value))
      fail([name], `'${name}' must be a mapping of id to settings, not ${typeName(value)}`, `${name}: { <id>: { … } }`);
    return Object.entries(value as Record<string, unknown>);
  };
  const levelAt = (value: unknown, path: Path): number => {
    try {
      return checkLevel(value);
    } catch (e) {
      return fail(
        path,
        (e as Error).message,
        'a level name (DEBUG, INFO, WARNING, ERROR, CRITICAL, NOTSET) or a number',
      );
    }
  };
  const idList = (value: unknown, path: Path, what: string): string[] => {
    if (!pyTruthy(value)) return [];
    const v =
      typeof value === 'string'
        ? fail(
            path,
            `${what} must be a list of ids, not a string (${JSON.stringify(value)})`,
            `[${JSON.stringify(value)}]`,
          )
        : value;
    if (!Array.isArray(v)) return fail(path, `${what} must be a list of ids, not ${typeName(v)}`, 'a list of ids');
    return v.map((item, i) => {
      const converted = convert(item, [...path, i]);
      if (typeof converted !== 'string')
        fail([...path, i], `${what} entries must be ids (strings), not ${typeName(converted)}`, 'an id string');
      return converted as string;
    });
  };

  // --- redact (logdial's; pino's path syntax) ------------------------------------------------------
  const redact = has(root, 'redact')
    ? redactFromDict(get(root, 'redact', []), (at, message, expected) => fail(['redact', ...at], message, expected))
    : undefined;

  const triggers = has(root, 'triggers')
    ? triggersFromDict(get(root, 'triggers', []), (name, key, message, expected) =>
        fail(['triggers', ...(name ? [name] : []), ...(key ? [key] : [])], message, expected),
      )
    : undefined;

  const handlersRaw = section('handlers');
  const loggersRaw = section('loggers');

  if (incremental) {
    const handlerLevels: HandlerLevelSpec[] = [];
    for (const [id, cfg] of handlersRaw) {
      const path: Path = ['handlers', id];
      if (!isMapping(cfg)) fail(path, `handler '${id}' must be a mapping, not ${typeName(cfg)}`, '{ level: … }');
      const level = get(cfg as Record<string, unknown>, 'level', path);
      handlerLevels.push({
        id,
        level: pyTruthy(level) ? levelAt(level, [...path, 'level']) : undefined,
        loc: where(path),
      });
    }
    const loggers = loggersRaw.map(([name, cfg]) => loggerSpec(name, cfg, ['loggers', name], true));
    const rootCfg = has(root, 'root') ? get(root, 'root', []) : undefined;
    return {
      kind: 'dictConfig',
      format: options.format ?? 'object',
      file,
      incremental: true,
      disableExistingLoggers: disableExisting,
      formatters: [],
      filters: [],
      handlers: [],
      handlerLevels,
      loggers,
      root: pyTruthy(rootCfg) ? loggerSpec('', rootCfg, ['root'], true) : undefined,
      rootFirst: false,
      redact,
      triggers,
    };
  }

  // --- formatters ------------------------------------------------------------------------------------
  const formatters: FormatterSpec[] = [];
  for (const [id, raw] of section('formatters')) {
    const path: Path = ['formatters', id];
    const cfg = convert(raw, path);
    if (!isMapping(cfg))
      fail(path, `formatter '${id}' must be a mapping, not ${typeName(cfg)}`, '{ format: …, datefmt: …, style: … }');
    const c = cfg as Record<string, unknown>;
    let call: ClassCall;
    if (has(c, '()')) {
      call = customCall(c, path, 'formatter');
    } else {
      const fmt = get(c, 'format', path) ?? null;
      const dfmt = get(c, 'datefmt', path) ?? null;
      const style = has(c, 'style') ? get(c, 'style', path) : '%';
      const cname = get(c, 'class', path);
      const args = [fmt, dfmt, style];
      if (has(c, 'validate')) args.push(get(c, 'validate', path));
      const kwargs: Record<string, unknown> = {};
      if (has(c, 'defaults') && get(c, 'defaults', path) !== null)
        kwargs['defaults'] = deepConvert(c['defaults'], [...path, 'defaults']);
      // JsonFormatter's own options (preset, keys, …); another class refuses them by name.
      for (const key of JSON_FORMATTER_OPTIONS)
        if (has(c, key) && get(c, key, path) !== null) kwargs[key] = deepConvert(c[key], [...path, key]);
      const name = pyTruthy(cname) ? cname : 'logging.Formatter';
      call = classCall(name, args, kwargs, [...path, pyTruthy(cname) ? 'class' : 'format'], path, 'formatter');
    }
    if (call.entry.kind !== 'formatter' && call.entry.kind !== 'any')
      fail(
        [...path, has(c, '()') ? '()' : 'class'],
        `${call.name} is not a formatter class`,
        'logging.Formatter, logging.ColorFormatter, logging.JsonFormatter or a registered formatter',
      );
    if (call.entry.params) {
      try {
        call.entry.create(call.bound);
      } catch (e) {
        fail(
          [...path, 'format'],
          `Unable to configure formatter '${id}': ${(e as Error).message}`,
          'a valid format for the style',
          'ValueError',
          e,
        );
      }
    }
    formatters.push({
      id,
      call,
      loc: where(path),
      format: (call.bound.values['fmt'] as string | null | undefined) ?? null,
      datefmt: (call.bound.values['datefmt'] as string | null | undefined) || null,
      style: (call.bound.values['style'] as string | undefined) ?? '%',
    });
  }
  const formatterIds = new Set(formatters.map((f) => f.id));

  // --- filters ---------------------------------------------------------------------------------------
  const filters: FilterSpec[] = [];
  for (const [id, raw] of section('filters')) {
    const path: Path = ['filters', id];
    const cfg = convert(raw, path);
    if (!isMapping(cfg)) fail(path, `filter '${id}' must be a mapping, not ${typeName(cfg)}`, '{ name: … }');
    const c = cfg as Record<string, unknown>;
    const call = has(c, '()')
      ? customCall(c, path, 'filter')
      : classCall('logging.Filter', [get(c, 'name', path) ?? ''], {}, [...path, 'name'], path, 'filter');
    filters.push({ id, call, loc: where(path) });
  }
  const filterIds = new Set(filters.map((f) => f.id));

  // --- handlers (sorted by id, as Python) ------------------------------------------------------------
  const handlers: HandlerSpec[] = [];
  const handlerIds = new Set(handlersRaw.map(([id]) => id));
  for (const [id, raw] of [...handlersRaw].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const path: Path = ['handlers', id];
    const cfg = convert(raw, path);
    if (!isMapping(cfg))
      fail(path, `handler '${id}' must be a mapping, not ${typeName(cfg)}`, '{ class: …, level: …, formatter: … }');
    const c = { ...(cfg as Record<string, unknown>) };
    const keyLoc: HandlerSpec['keyLoc'] = {};
    const formatter = get(c, 'formatter', path);
    delete c['formatter'];
    let formatterId: string | undefined;
    if (pyTruthy(formatter)) {
      if (typeof formatter !== 'string' || !formatterIds.has(formatter))
        fail(
          [...path, 'formatter'],
          `Unable to set formatter ${JSON.stringify(formatter)}: no such formatter`,
          `one of: ${[...formatterIds].join(', ') || '(no formatters defined)'}`,
        );
      formatterId = formatter as string;
      keyLoc['formatter'] = where([...path, 'formatter']);
    }
    const level = get(c, 'level', path);
    delete c['level'];
    const filterList = idList(get(c, 'filters', path), [...path, 'filters'], 'filters');
    delete c['filters'];
    filterList.forEach((f, i) => {
      if (!filterIds.has(f))
        fail(
          [...path, 'filters', i],
          `Unable to add filter '${f}': no such filter`,
          `one of: ${[...filterIds].join(', ') || '(no filters defined)'}`,
        );
    });
    let call: ClassCall;
    let target: string | undefined;
    if (has(c, '()')) {
      call = customCall(c, path, 'handler');
    } else {
      if (!has(c, 'class'))
        fail(
          path,
          `Unable to configure handler '${id}': no 'class' (KeyError: 'class')`,
          'class: logging.StreamHandler (or another handler class)',
        );
      const cname = get(c, 'class', path);
      delete c['class'];
      const entry = entryFor(cname, [...path, 'class'], 'handler');
      if (entry.isMemoryHandler && has(c, 'target')) {
        const t = get(c, 'target', path);
        if (typeof t !== 'string' || !handlerIds.has(t))
          fail(
            [...path, 'target'],
            `Unable to set target handler ${JSON.stringify(t)}: no such handler`,
            `one of: ${[...handlerIds].filter((h) => h !== id).join(', ')}`,
          );
        if (t === id) fail([...path, 'target'], `handler '${id}' cannot be its own target`, 'another handler id');
        target = t as string;
        keyLoc['target'] = where([...path, 'target']);
        delete c['target'];
      }
      const props = c['.'];
      delete c['.'];
      const kwargs = kwargsOf(c, path);
      if (entry.isMemoryHandler && kwargs['flushLevel'] !== undefined)
        kwargs['flushLevel'] = levelAt(kwargs['flushLevel'], [...path, 'flushLevel']);
      // Build errors (a file that cannot be opened) point at the handler, not at its class.
      call = bindCall(
        String(typeof cname === 'function' ? (cname as { name: string }).name : cname),
        entry,
        [],
        kwargs,
        path,
        'handler',
        path,
      );
      if (isMapping(props)) call.props = props;
    }
    if (call.entry.kind !== 'handler' && call.entry.kind !== 'any')
      fail([...path, 'class'], `${call.name} is not a handler class`, 'a handler class such as logging.StreamHandler');
    const spec: HandlerSpec = {
      id,
      call,
      formatter: formatterId,
      filters: filterList,
      target,
      loc: where(path),
      keyLoc,
    };
    if (level !== undefined && level !== null) {
      spec.level = levelAt(level, [...path, 'level']);
      keyLoc['level'] = where([...path, 'level']);
    }
    handlers.push(spec);
  }

  // --- loggers and root ------------------------------------------------------------------------------
  const loggers = loggersRaw.map(([name, cfg]) => loggerSpec(name, cfg, ['loggers', name], false));
  const rootCfg = has(root, 'root') ? get(root, 'root', []) : undefined;
  const rootSpec = pyTruthy(rootCfg) ? loggerSpec('', rootCfg, ['root'], false) : undefined;

  return {
    kind: 'dictConfig',
    format: options.format ?? 'object',
    file,
    incremental: false,
    disableExistingLoggers: disableExisting,
    formatters,
    filters,
    handlers,
    handlerLevels: [],
    loggers,
    root: rootSpec,
    rootFirst: false,
    redact,
    triggers,
  };

  function loggerSpec(name: string, raw: unknown, path: Path, incrementalOnly: boolean): LoggerSpec {
    const cfg = convert(raw, path);
    const what = name === '' && path[0] === 'root' ? 'root logger' : `logger '${name}'`;
    if (!isMapping(cfg))
      fail(
        path,
        `Unable to configure ${what}: settings must be a mapping, not ${typeName(cfg)}`,
        '{ level: …, handlers: […], propagate: … }',
      );
    const c = cfg as Record<string, unknown>;
    const spec: LoggerSpec = { name, handlers: [], filters: [], loc: where(path), keyLoc: {} };
    const level = get(c, 'level', path);
    if (level !== undefined && level !== null) {
      spec.level = levelAt(level, [...path, 'level']);
      spec.keyLoc['level'] = where([...path, 'level']);
    }
    if (path[0] !== 'root' && has(c, 'propagate') && get(c, 'propagate', path) !== null)
      spec.propagate = pyTruthy(get(c, 'propagate', path));
    if (!incrementalOnly) {
      spec.handlers = idList(get(c, 'handlers', path), [...path, 'handlers'], 'handlers');
      spec.handlers.forEach((h, i) => {
        if (!handlerIds.has(h))
          fail(
            [...path, 'handlers', i],
            `Unable to add handler '${h}': no such handler`,
            `one of: ${[...handlerIds].join(', ') || '(no handlers defined)'}`,
          );
      });
      spec.handlers = [...new Set(spec.handlers)];
      spec.filters = idList(get(c, 'filters', path), [...path, 'filters'], 'filters');
      spec.filters.forEach((f, i) => {
        const ids = new Set(filters.map((x) => x.id));
        if (!ids.has(f))
          fail(
            [...path, 'filters', i],
            `Unable to add filter '${f}': no such filter`,
            `one of: ${[...ids].join(', ') || '(no filters defined)'}`,
          );
      });
    }
    return spec;
  }

  function entryFor(cname: unknown, path: Path, kind: string): ClassEntry {
    // A constructor exists only where a caller put one into an object config (JSON and YAML have
    // none, and cfg:// reads own keys only); a registry entry only from ext:// or the registry. A
    // mapping shaped like an entry is data, never a class.
    if (typeof cname === 'function') return callableEntry(cname as UserClass);
    if (isClassEntry(cname)) return cname;
    if (typeof cname !== 'string')
      return fail(
        path,
        `Unable to configure ${kind}: class must be a dotted name, not ${typeName(cname)}`,
        'a class name such as logging.StreamHandler',
      );
    try {
      return resolveClass(cname, 'import');
    } catch (e) {
      if (e instanceof ClassError)
        return fail(
          path,
          `Unable to configure ${kind}: cannot resolve '${cname}': ${e.message}`,
          e.expected ??
            'logging.StreamHandler, logging.handlers.RotatingFileHandler, … or a name given to registerClass()',
          'ValueError',
          e,
        );
      throw e;
    }
  }

  function kwargsOf(c: Record<string, unknown>, path: Path): Record<string, unknown> {
    const kwargs: Record<string, unknown> = {};
    for (const key of Object.keys(c)) {
      if (!IDENT.test(key) || RESERVED.has(key))
        fail([...path, key], `Not a valid Python identifier: '${key}'`, 'keyword argument names that are identifiers');
      Object.defineProperty(kwargs, key, {
        value: deepConvert(c[key], [...path, key]),
        writable: true,
        enumerable: true,
        configurable: true,
      });
    }
    return kwargs;
  }

  function bindCall(
    name: string,
    entry: ClassEntry,
    args: unknown[],
    kwargs: Record<string, unknown>,
    path: Path,
    kind: string,
    classPath: Path,
  ): ClassCall {
    try {
      return { name, entry, bound: bindArguments(entry, args, kwargs), loc: where(classPath) };
    } catch (e) {
      if (e instanceof ClassError) {
        const m = /keyword argument '(\w+)'/.exec(e.message);
        return fail(
          m ? [...path, m[1]!] : path,
          `Unable to configure ${kind} '${path[path.length - 1]}': ${e.message}`,
          e.expected,
          'ValueError',
          e,
        );
      }
      throw e;
    }
  }

  function classCall(
    name: unknown,
    args: unknown[],
    kwargs: Record<string, unknown>,
    classPath: Path,
    path: Path,
    kind: string,
  ): ClassCall {
    const entry = entryFor(name, classPath, kind);
    return bindCall(String(name), entry, args, kwargs, path, kind, classPath);
  }

  function customCall(c: Record<string, unknown>, path: Path, kind: string): ClassCall {
    const rest = { ...c };
    const factory = convert(rest['()'], [...path, '()']);
    delete rest['()'];
    const props = rest['.'];
    delete rest['.'];
    const entry = entryFor(factory, [...path, '()'], kind);
    const kwargs = kwargsOf(rest, path);
    // Python retries a formatter factory that rejects 'format' with fmt=.
    if (kind === 'formatter' && 'format' in kwargs && entry.params && !entry.params.some((p) => p.name === 'format')) {
      kwargs['fmt'] = kwargs['format'];
      delete kwargs['format'];
    }
    const call = bindCall(
      typeof factory === 'function' ? (factory as { name: string }).name : String(factory),
      entry,
      [],
      kwargs,
      path,
      kind,
      [...path, '()'],
    );
    if (isMapping(props)) call.props = props;
    return call;
  }
}

/** A registry entry for a constructor passed directly in an object config (`class: MyHandler`). */
function callableEntry(ctor: UserClass): ClassEntry {
  const proto = ctor.prototype as Record<string, unknown> | undefined;
  const kind =
    proto && (typeof proto['emit'] === 'function' || typeof proto['handle'] === 'function')
      ? 'handler'
      : proto && typeof proto['format'] === 'function'
        ? 'formatter'
        : 'any';
  return {
    pyName: ctor.name || '<constructor>',
    kind,
    create: (b) => (Object.keys(b.kwargs).length > 0 ? new ctor(...b.args, b.kwargs) : new ctor(...b.args)),
  };
}

function pathText(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const part of path) out = joinPath(out || undefined, part);
  return out;
}

/** A location whose `line` is found on first read (spreading the object reads it). */
function lazyLocation(file: string | undefined, path: Path, lineOf: DictConfigParseOptions['lineOf']): ConfigLocation {
  let line: number | undefined | null = null;
  const loc: ConfigLocation = { file, path: pathText(path) };
  Object.defineProperty(loc, 'line', {
    enumerable: true,
    configurable: true,
    get: () => (line === null ? (line = lineOf?.(path)) : line),
  });
  return loc;
}
