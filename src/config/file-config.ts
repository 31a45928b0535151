/**
 * fileConfig: an INI file (Python's `logging.config.fileConfig` format) to a {@link ConfigSpec}.
 *
 * Follows CPython's `_create_formatters`, `_install_handlers` and `_install_loggers` step by step,
 * in the same order, so that the first problem reported is the one Python would raise — but as a
 * {@link ConfigError} with the file and line, and before anything has changed.
 */
import { checkLevel } from '../core/levels.js';
import { ConfigError } from './errors.js';
import { type IniFile, parseIni, pyQuote } from './ini.js';
import { PyDict, PyRef, PyTuple, type PyValue, parsePyLiteral, pyToJs } from './py-literal.js';
import { ClassError, bindArguments, resolveClass } from './registry.js';
import { type RedactSpec, redactFromIni } from './redact-config.js';
import { triggersFromIni } from './triggers-spec.js';
import type { ClassCall, ConfigSpec, FormatterSpec, HandlerSpec, LoggerSpec } from './spec.js';

/** Options of {@link parseFileConfig}. */
export interface FileConfigParseOptions {
  /** File name for messages. */
  file?: string | undefined;
  /** Python's `defaults=` (e.g. `{ here: dirname }` for Pyramid/alembic `%(here)s`). */
  defaults?: Record<string, string | number | boolean> | undefined;
  /** Python's `disable_existing_loggers`; default false, unlike Python (docs/configuration.md). */
  disableExistingLoggers?: boolean | undefined;
}

/** Parses fileConfig INI text into a spec. Throws a located {@link ConfigError}; no side effects. */
export function parseFileConfig(text: string, options: FileConfigParseOptions = {}): ConfigSpec {
  const ini = parseIni(text, { file: options.file, defaults: options.defaults });
  return fileConfigSpec(ini, options);
}

/** Builds the spec from a parsed INI file (see {@link parseFileConfig}). */
export function fileConfigSpec(ini: IniFile, options: FileConfigParseOptions = {}): ConfigSpec {
  const file = ini.file;
  const fail = (
    line: number | undefined,
    message: string,
    pythonType: string,
    expected?: string,
    cause?: unknown,
  ): never => {
    throw new ConfigError(message, { file, line, pythonType, expected, cause });
  };

  /** `cp[section][option]`, interpolated: KeyError when the section or option is missing. */
  const required = (section: string, option: string, why: string): { value: string; line: number | undefined } => {
    if (!ini.hasSection(section))
      fail(undefined, `missing section [${section}] (${why})`, 'KeyError', `a [${section}] section`);
    if (!ini.has(section, option))
      fail(
        ini.lineOf(section),
        `section [${section}] has no '${option}' option (KeyError: ${pyQuote(option)})`,
        'KeyError',
        `'${option} = …' in [${section}]`,
      );
    return { value: ini.get(section, option)!, line: ini.lineOf(section, option) };
  };
  const optional = (
    section: string,
    option: string,
    raw = false,
  ): { value: string; line: number | undefined } | undefined => {
    if (!ini.has(section, option)) return undefined;
    return { value: ini.get(section, option, raw)!, line: ini.lineOf(section, option) };
  };
  const splitKeys = (value: string): string[] => value.split(',').map((k) => k.trim());
  const level = (section: string, value: string, line: number | undefined): number => {
    try {
      return checkLevel(value);
    } catch (e) {
      return fail(
        line,
        `[${section}] level: ${(e as Error).message}`,
        'ValueError',
        'a level name such as DEBUG, INFO, WARNING, ERROR, CRITICAL, NOTSET (any case, no inline comments)',
      );
    }
  };

  // --- formatters (Python builds them first: a formatter error changes nothing) ---------------
  const fkeys = required('formatters', 'keys', 'fileConfig needs [formatters], [handlers] and [loggers]');
  const formatters: FormatterSpec[] = [];
  const formatterIds = new Set<string>();
  if (fkeys.value.length > 0) {
    for (const id of splitKeys(fkeys.value)) {
      const sect = `formatter_${id}`;
      const exists = ini.hasSection(sect);
      const fs = exists ? optional(sect, 'format', true) : undefined;
      const dfs = exists ? optional(sect, 'datefmt', true) : undefined;
      const stl = exists ? optional(sect, 'style', true) : undefined;
      const dflt = exists ? optional(sect, 'defaults', true) : undefined;
      if (!exists)
        fail(
          fkeys.line,
          `no section [${sect}] for formatter ${pyQuote(id)} listed in [formatters] keys (KeyError: ${pyQuote(sect)})`,
          'KeyError',
          `a [${sect}] section`,
        );
      const cls = optional(sect, 'class');
      const className = cls && cls.value ? cls.value : 'logging.Formatter';
      const classLine = cls?.line ?? ini.lineOf(sect);
      let defaults: Record<string, unknown> | null = null;
      if (dflt && dflt.value) {
        const parsed = parsePyLiteral(dflt.value, { file, line: dflt.line, what: `[${sect}] defaults` });
        if (!(parsed instanceof PyDict))
          fail(dflt.line, `[${sect}] defaults must be a dict`, 'TypeError', "a dict such as {'customfield': 'value'}");
        defaults = pyToJs(parsed) as Record<string, unknown>;
      }
      const kwargs: Record<string, unknown> = defaults ? { defaults } : {};
      // JsonFormatter's own keys (`preset=pino`, `fields=attributes`, `time=millis`); another class refuses them by name.
      for (const key of ['preset', 'fields', 'time'] as const) {
        const opt = exists ? optional(sect, key, true) : undefined;
        if (opt)
          kwargs[key] =
            key === 'fields' && /^(true|false)$/i.test(opt.value) ? opt.value.toLowerCase() === 'true' : opt.value;
      }
      const call = classCall(
        className,
        'import',
        [fs?.value ?? null, dfs?.value ?? null, stl?.value ?? '%'],
        kwargs,
        classLine,
        fs?.line ?? classLine,
        `[${sect}]`,
      );
      if (call.entry.kind !== 'formatter' && call.entry.kind !== 'any')
        fail(
          classLine,
          `[${sect}] class ${className} is not a formatter class`,
          'TypeError',
          'logging.Formatter, logging.ColorFormatter, logging.JsonFormatter or a registered formatter',
        );
      if (call.entry.params) tryBuild(call, fs?.line ?? classLine, `[${sect}] format`);
      if (!formatterIds.has(id)) formatterIds.add(id);
      else
        formatters.splice(
          formatters.findIndex((f) => f.id === id),
          1,
        );
      formatters.push({
        id,
        call,
        format: fs?.value ?? null,
        datefmt: dfs?.value || null,
        style: stl?.value ?? '%',
        loc: { file, line: ini.lineOf(sect) },
      });
    }
  }

  // --- handlers ---------------------------------------------------------------------------------
  const hkeys = required('handlers', 'keys', 'fileConfig needs [formatters], [handlers] and [loggers]');
  const handlers: HandlerSpec[] = [];
  if (hkeys.value.length > 0) {
    for (const id of splitKeys(hkeys.value)) {
      const sect = `handler_${id}`;
      if (!ini.hasSection(sect))
        fail(
          hkeys.line,
          `no section [${sect}] for handler ${pyQuote(id)} listed in [handlers] keys (KeyError: ${pyQuote(sect)})`,
          'KeyError',
          `a [${sect}] section`,
        );
      const klass = required(sect, 'class', 'every handler needs a class');
      const fmt = optional(sect, 'formatter');
      const args = optional(sect, 'args') ?? { value: '()', line: undefined };
      const kwargs = optional(sect, 'kwargs') ?? { value: '{}', line: undefined };
      let entry;
      try {
        entry = resolveClass(klass.value, 'eval');
      } catch (e) {
        if (e instanceof ClassError)
          fail(
            klass.line,
            `[${sect}] class ${klass.value}: ${e.message}`,
            e.pythonType,
            e.expected ?? 'a handler class such as StreamHandler, FileHandler or handlers.RotatingFileHandler',
            e,
          );
        throw e;
      }
      const argValue = parsePyLiteral(args.value, { file, line: args.line, what: `[${sect}] args` });
      const kwValue = parsePyLiteral(kwargs.value, { file, line: kwargs.line, what: `[${sect}] kwargs` });
      const argList = positionalArgs(argValue, (message, pythonType) =>
        fail(
          args.line ?? klass.line,
          `[${sect}] args: ${message}`,
          pythonType,
          "a tuple such as (sys.stdout,) or ('app.log', 'a')",
        ),
      );
      const kwObject = keywordArgs(kwValue, (message, pythonType) =>
        fail(
          kwargs.line ?? klass.line,
          `[${sect}] kwargs: ${message}`,
          pythonType,
          "a dict such as {'encoding': 'utf-8'}",
        ),
      );
      const argLine = args.line ?? kwargs.line ?? klass.line;
      let bound;
      try {
        bound = bindArguments(entry, argList, kwObject);
      } catch (e) {
        if (e instanceof ClassError)
          fail(
            argLine,
            `[${sect}] ${klass.value}${args.line ? ` args` : ''}: ${e.message}`,
            e.pythonType,
            e.expected,
            e,
          );
        throw e;
      }
      if (entry.kind !== 'handler' && entry.kind !== 'any')
        fail(klass.line, `[${sect}] class ${klass.value} is not a handler class`, 'AttributeError', 'a handler class');
      const call: ClassCall = { name: klass.value, entry, bound, loc: { file, line: argLine } };
      const spec: HandlerSpec = {
        id,
        call,
        filters: [],
        loc: { file, line: ini.lineOf(sect) },
        keyLoc: { class: { file, line: klass.line } },
      };
      const lvl = optional(sect, 'level');
      if (lvl) {
        spec.level = level(sect, lvl.value, lvl.line);
        spec.keyLoc['level'] = { file, line: lvl.line };
      }
      if (fmt && fmt.value.length > 0) {
        if (!formatterIds.has(fmt.value))
          fail(
            fmt.line,
            `[${sect}] formatter ${pyQuote(fmt.value)} is not listed in [formatters] keys (KeyError: ${pyQuote(fmt.value)})`,
            'KeyError',
            `one of: ${[...formatterIds].join(', ') || '(no formatters)'}`,
          );
        spec.formatter = fmt.value;
        spec.keyLoc['formatter'] = { file, line: fmt.line };
      }
      if (entry.isMemoryHandler) {
        const target = optional(sect, 'target');
        if (target && target.value.length > 0) {
          spec.target = target.value;
          spec.keyLoc['target'] = { file, line: target.line };
        }
      }
      const existing = handlers.findIndex((h) => h.id === id);
      if (existing >= 0) handlers.splice(existing, 1);
      handlers.push(spec);
    }
  }
  const handlerIds = new Set(handlers.map((h) => h.id));
  for (const h of handlers) {
    if (h.target !== undefined && !handlerIds.has(h.target)) {
      fail(
        h.keyLoc['target']?.line,
        `[handler_${h.id}] target ${pyQuote(h.target)} is not listed in [handlers] keys (KeyError: ${pyQuote(h.target)})`,
        'KeyError',
        `one of: ${[...handlerIds].join(', ')}`,
      );
    }
  }
  const handlerList = (sect: string, value: string, line: number | undefined): string[] => {
    if (value.length === 0) return [];
    const ids = splitKeys(value);
    for (const h of ids) {
      if (!handlerIds.has(h))
        fail(
          line,
          `[${sect}] handler ${pyQuote(h)} is not listed in [handlers] keys (KeyError: ${pyQuote(h)})`,
          'KeyError',
          `one of: ${[...handlerIds].join(', ') || '(no handlers)'}`,
        );
    }
    return [...new Set(ids)];
  };

  // --- loggers ------------------------------------------------------------------------------------
  const lkeys = required('loggers', 'keys', 'fileConfig needs [formatters], [handlers] and [loggers]');
  const llist = splitKeys(lkeys.value);
  const rootIndex = llist.indexOf('root');
  if (rootIndex < 0)
    fail(
      lkeys.line,
      `[loggers] keys must include root (ValueError: list.remove(x): x not in list)`,
      'ValueError',
      'keys = root, …',
    );
  llist.splice(rootIndex, 1);
  if (!ini.hasSection('logger_root'))
    fail(lkeys.line, `no section [logger_root] (KeyError: 'logger_root')`, 'KeyError', 'a [logger_root] section');
  const root: LoggerSpec = {
    name: '',
    handlers: [],
    filters: [],
    loc: { file, line: ini.lineOf('logger_root') },
    keyLoc: {},
  };
  const rootLevel = optional('logger_root', 'level');
  if (rootLevel) {
    root.level = level('logger_root', rootLevel.value, rootLevel.line);
    root.keyLoc['level'] = { file, line: rootLevel.line };
  }
  const rootHandlers = required('logger_root', 'handlers', 'the root logger needs handlers = (may be empty)');
  root.handlers = handlerList('logger_root', rootHandlers.value, rootHandlers.line);

  const loggers: LoggerSpec[] = [];
  for (const id of llist) {
    const sect = `logger_${id}`;
    if (!ini.hasSection(sect))
      fail(
        lkeys.line,
        `no section [${sect}] for logger ${pyQuote(id)} listed in [loggers] keys (KeyError: ${pyQuote(sect)})`,
        'KeyError',
        `a [${sect}] section`,
      );
    const qn = required(sect, 'qualname', 'every logger but root needs qualname =');
    const prop = optional(sect, 'propagate');
    let propagate = true;
    if (prop) {
      if (!/^\s*[+-]?\d+(?:_\d+)*\s*$/.test(prop.value))
        fail(
          prop.line,
          `[${sect}] propagate: invalid literal for int() with base 10: ${pyQuote(prop.value)}`,
          'ValueError',
          'propagate = 0 or 1',
        );
      propagate = Number(prop.value.replace(/_/g, '')) !== 0;
    }
    const spec: LoggerSpec = {
      name: qn.value,
      propagate,
      handlers: [],
      filters: [],
      loc: { file, line: ini.lineOf(sect) },
      keyLoc: { qualname: { file, line: qn.line } },
    };
    const lvl = optional(sect, 'level');
    if (lvl) {
      spec.level = level(sect, lvl.value, lvl.line);
      spec.keyLoc['level'] = { file, line: lvl.line };
    }
    const hl = required(sect, 'handlers', 'every logger needs handlers = (may be empty)');
    spec.handlers = handlerList(sect, hl.value, hl.line);
    loggers.push(spec);
  }

  // --- [redact] (logdial's; pino's path syntax) ---------------------------------------------------
  let redact: RedactSpec | undefined;
  if (ini.hasSection('redact')) {
    const paths = required('redact', 'paths', 'the paths to redact');
    const failAt = (message: string, expected: string): never => fail(paths.line, message, 'ValueError', expected);
    redact = redactFromIni(
      paths.value,
      optional('redact', 'censor', true)?.value,
      optional('redact', 'remove', true)?.value,
      failAt,
    );
  }

  const triggers = triggersFromIni(ini, (name, key, message, expected) =>
    fail(ini.lineOf(name ? `trigger_${name}` : 'triggers', key), message, 'ValueError', expected),
  );

  return {
    kind: 'fileConfig',
    format: 'ini',
    file,
    incremental: false,
    disableExistingLoggers: options.disableExistingLoggers ?? false,
    formatters,
    filters: [],
    handlers,
    handlerLevels: [],
    loggers,
    root,
    rootFirst: true,
    redact,
    triggers,
  };

  function classCall(
    name: string,
    mode: 'eval' | 'import',
    args: unknown[],
    kwargs: Record<string, unknown>,
    classLine: number | undefined,
    argLine: number | undefined,
    what: string,
  ): ClassCall {
    let entry;
    try {
      entry = resolveClass(name, mode);
    } catch (e) {
      if (e instanceof ClassError) fail(classLine, `${what} class ${name}: ${e.message}`, e.pythonType, e.expected, e);
      throw e;
    }
    try {
      return { name, entry, bound: bindArguments(entry, args, kwargs), loc: { file, line: argLine } };
    } catch (e) {
      if (e instanceof ClassError) fail(argLine, `${what} ${name}: ${e.message}`, e.pythonType, e.expected, e);
      throw e;
    }
  }

  function tryBuild(call: ClassCall, line: number | undefined, what: string): void {
    try {
      call.entry.create(call.bound);
    } catch (e) {
      fail(line, `${what}: ${(e as Error).message}`, 'ValueError', 'a valid format for the style', e);
    }
  }
}

/** `klass(*args)`: the parsed `args` value as a positional list, with Python's errors for non-sequences. */
export function positionalArgs(value: PyValue, fail: (message: string, pythonType: string) => never): unknown[] {
  if (value instanceof PyTuple) return value.items.map(argValue);
  if (Array.isArray(value)) return value.map(argValue);
  if (value instanceof PyRef)
    return fail(
      `(${value.name}) is not a tuple, so Python iterates the stream: not readable. Write (${value.name},)`,
      'UnsupportedOperation',
    );
  if (typeof value === 'string')
    return fail(`${pyQuote(value)} is a string, not a tuple; write (${pyQuote(value)},)`, 'TypeError');
  if (value instanceof PyDict) return fail('a dict is not an argument tuple', 'TypeError');
  return fail(
    `argument after * must be an iterable, not ${value === null ? 'NoneType' : typeof value === 'boolean' ? 'bool' : 'int'}`,
    'TypeError',
  );
}

/** `klass(**kwargs)`: the parsed `kwargs` value as keyword arguments. */
export function keywordArgs(
  value: PyValue,
  fail: (message: string, pythonType: string) => never,
): Record<string, unknown> {
  if (!(value instanceof PyDict)) return fail('argument after ** must be a mapping', 'TypeError');
  const out: Record<string, unknown> = {};
  for (const [k, v] of value.entries) {
    if (typeof k !== 'string') return fail('keywords must be strings', 'TypeError');
    out[k] = argValue(v);
  }
  return out;
}

/** Converts a parsed argument to what factories expect: tuples/lists → arrays, dicts → objects, refs kept. */
function argValue(value: PyValue): unknown {
  if (value instanceof PyTuple) return value.items.map(argValue);
  if (Array.isArray(value)) return value.map(argValue);
  if (value instanceof PyDict) return pyToJs(value);
  return value;
}
