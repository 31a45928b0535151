/**
 * fileConfig: an INI file (Python's `logging.config.fileConfig` format) to a {@link ConfigSpec}.
 *
 * Follows CPython's `_create_formatters`, `_install_handlers` and `_install_loggers` step by step,
 * in the same order, so that the first problem reported is the one Python would raise — but as a
 * {@link ConfigError} with the file and line, and before anything has changed.
 */
import { ConfigError, type ConfigLocation } from './errors.js';
import { type IniFile, parseIni, pyQuote } from './ini.js';
import { PyDict, PyRef, PyTuple, type PyValue, parsePyLiteral, pyToJs } from './py-literal.js';
import type { ClassError } from './registry.js';
import { redactFromIni } from './redact-config.js';
import { triggersFromIni } from './triggers-spec.js';
import { runAll, runInSlices } from './slices.js';
import { SpecBuilder } from './spec-builder.js';
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

/**
 * One section of an INI config (`[formatters]` with its `[formatter_x]`, … or one another module
 * adds): reads its part of the file into the builder. A generator yields between items.
 */
export interface IniConfigSection {
  /** The section's name (`formatters`, `triggers`). */
  readonly name: string;
  read(ini: IniConfigReader, builder: SpecBuilder): Generator<unknown, void> | void;
}

/** Adds a section, read after the built-in ones in the order added. */
export function addIniSection(section: IniConfigSection): void {
  if ([...BUILT_IN_SECTIONS, ...addedSections].some((s) => s.name === section.name))
    throw new Error(`INI config section '${section.name}' exists already`);
  addedSections.push(section);
}

/** Builds the spec from a parsed INI file (see {@link parseFileConfig}). */
export function fileConfigSpec(ini: IniFile, options: FileConfigParseOptions = {}): ConfigSpec {
  return runAll(readFileConfig(ini, options));
}

/** {@link parseFileConfig} in slices of a few milliseconds, the event loop running in between. */
export function parseFileConfigInSlices(text: string, options: FileConfigParseOptions = {}): Promise<ConfigSpec> {
  const ini = parseIni(text, { file: options.file, defaults: options.defaults });
  return runInSlices(readFileConfig(ini, options));
}

function* readFileConfig(ini: IniFile, options: FileConfigParseOptions): Generator<unknown, ConfigSpec> {
  const reader = new IniConfigReader(ini);
  const builder = new SpecBuilder(ini.file);
  // CPython's order: _create_formatters, _install_handlers, _install_loggers.
  for (const section of [...BUILT_IN_SECTIONS, ...addedSections]) {
    const steps = section.read(reader, builder);
    if (steps) yield* steps;
  }
  return builder.spec({
    kind: 'fileConfig',
    format: 'ini',
    incremental: false,
    disableExistingLoggers: options.disableExistingLoggers ?? false,
    rootFirst: true,
  });
}

const NEEDS_THREE = 'fileConfig needs [formatters], [handlers] and [loggers]';
const LEVEL_EXPECTED =
  'a level name such as DEBUG, INFO, WARNING, ERROR, CRITICAL, NOTSET (any case, no inline comments)';

/** An option's value and line. */
export interface IniOption {
  value: string;
  line: number | undefined;
}

/** The INI file as sections read it: configparser's lookups, with located errors. */
export class IniConfigReader {
  constructor(readonly ini: IniFile) {}

  get file(): string | undefined {
    return this.ini.file;
  }

  loc(line: number | undefined): ConfigLocation {
    return { file: this.ini.file, line };
  }

  fail(line: number | undefined, message: string, pythonType: string, expected?: string, cause?: unknown): never {
    throw new ConfigError(message, { file: this.ini.file, line, pythonType, expected, cause });
  }

  /** `cp[section][option]`, interpolated: KeyError when the section or option is missing. */
  required(section: string, option: string, why: string): IniOption {
    const ini = this.ini;
    if (!ini.hasSection(section))
      this.fail(undefined, `missing section [${section}] (${why})`, 'KeyError', `a [${section}] section`);
    const value = ini.get(section, option);
    if (value === undefined)
      this.fail(
        ini.lineOf(section),
        `section [${section}] has no '${option}' option (KeyError: ${pyQuote(option)})`,
        'KeyError',
        `'${option} = …' in [${section}]`,
      );
    return { value, line: ini.lineOf(section, option) };
  }

  optional(section: string, option: string, raw = false): IniOption | undefined {
    const value = this.ini.get(section, option, raw);
    return value === undefined ? undefined : { value, line: this.ini.lineOf(section, option) };
  }

  /** The `[kind_id]` section a `keys =` list names, or a KeyError at the list. */
  requireSection(sect: string, what: string, keysSection: string, keysLine: number | undefined): void {
    if (!this.ini.hasSection(sect))
      this.fail(
        keysLine,
        `no section [${sect}] for ${what} listed in [${keysSection}] keys (KeyError: ${pyQuote(sect)})`,
        'KeyError',
        `a [${sect}] section`,
      );
  }

  level(b: SpecBuilder, section: string, option: IniOption): number {
    return b.level(option.value, this.loc(option.line), (reason) => `[${section}] level: ${reason}`, LEVEL_EXPECTED);
  }
}

function splitKeys(value: string): string[] {
  return value.split(',').map((k) => k.trim());
}

// --- sections ------------------------------------------------------------------------------------

const formattersSection: IniConfigSection = {
  name: 'formatters',
  *read(r, b) {
    const keys = r.required('formatters', 'keys', NEEDS_THREE);
    if (keys.value.length === 0) return;
    for (const id of splitKeys(keys.value)) {
      const spec = formatterSpec(r, b, id, keys.line);
      // A repeated id: the later definition wins, in the later place.
      const existing = b.formatters.findIndex((f) => f.id === id);
      if (existing >= 0) b.formatters.splice(existing, 1);
      b.formatters.push(spec);
      b.define('formatter', id);
      yield;
    }
  },
};

const handlersSection: IniConfigSection = {
  name: 'handlers',
  *read(r, b) {
    const keys = r.required('handlers', 'keys', NEEDS_THREE);
    if (keys.value.length > 0) {
      for (const id of splitKeys(keys.value)) {
        const spec = handlerSpec(r, b, id, keys.line);
        const existing = b.handlers.findIndex((h) => h.id === id);
        if (existing >= 0) b.handlers.splice(existing, 1);
        b.handlers.push(spec);
        b.define('handler', id);
        yield;
      }
    }
    for (const h of b.handlers) {
      if (h.target === undefined) continue;
      b.requireIds(
        'handler',
        [h.target],
        () => h.keyLoc['target'] ?? h.loc,
        (t) => `[handler_${h.id}] target ${pyQuote(t)} is not listed in [handlers] keys (KeyError: ${pyQuote(t)})`,
        'KeyError',
      );
    }
  },
};

const loggersSection: IniConfigSection = {
  name: 'loggers',
  *read(r, b) {
    const keys = r.required('loggers', 'keys', NEEDS_THREE);
    const ids = splitKeys(keys.value);
    const rootIndex = ids.indexOf('root');
    if (rootIndex < 0)
      r.fail(
        keys.line,
        `[loggers] keys must include root (ValueError: list.remove(x): x not in list)`,
        'ValueError',
        'keys = root, …',
      );
    ids.splice(rootIndex, 1);
    if (!r.ini.hasSection('logger_root'))
      r.fail(keys.line, `no section [logger_root] (KeyError: 'logger_root')`, 'KeyError', 'a [logger_root] section');
    b.root = rootSpec(r, b);
    for (const id of ids) {
      b.loggers.push(loggerSpec(r, b, id, keys.line));
      yield;
    }
  },
};

/** `[redact]` (logdial's; pino's path syntax). */
const redactSection: IniConfigSection = {
  name: 'redact',
  read(r, b) {
    if (!r.ini.hasSection('redact')) return;
    const paths = r.required('redact', 'paths', 'the paths to redact');
    const failAt = (message: string, expected: string): never => r.fail(paths.line, message, 'ValueError', expected);
    b.redact = redactFromIni(
      paths.value,
      r.optional('redact', 'censor', true)?.value,
      r.optional('redact', 'remove', true)?.value,
      failAt,
    );
  },
};

/** `[triggers]` and its `[trigger_<name>]` sections (config/triggers-spec.ts). */
const triggersSection: IniConfigSection = {
  name: 'triggers',
  read(r, b) {
    b.triggers = triggersFromIni(r.ini, (name, key, message, expected) =>
      r.fail(r.ini.lineOf(name ? `trigger_${name}` : 'triggers', key), message, 'ValueError', expected),
    );
  },
};

const BUILT_IN_SECTIONS: readonly IniConfigSection[] = [
  formattersSection,
  handlersSection,
  loggersSection,
  redactSection,
  triggersSection,
];
const addedSections: IniConfigSection[] = [];

// --- one item of a section -----------------------------------------------------------------------

function formatterSpec(r: IniConfigReader, b: SpecBuilder, id: string, keysLine: number | undefined): FormatterSpec {
  const sect = `formatter_${id}`;
  r.requireSection(sect, `formatter ${pyQuote(id)}`, 'formatters', keysLine);
  const fs = r.optional(sect, 'format', true);
  const dfs = r.optional(sect, 'datefmt', true);
  const stl = r.optional(sect, 'style', true);
  const cls = r.optional(sect, 'class');
  const className = cls && cls.value ? cls.value : 'logging.Formatter';
  const classLine = cls?.line ?? r.ini.lineOf(sect);
  const kwargs = formatterKeywords(r, sect);
  const argLine = fs?.line ?? classLine;
  const call = b.bindClass({
    name: className,
    mode: 'import',
    args: [fs?.value ?? null, dfs?.value ?? null, stl?.value ?? '%'],
    kwargs,
    classLoc: r.loc(classLine),
    argLoc: r.loc(argLine),
    unresolved: (e) => ({ message: `[${sect}] class ${className}: ${e.message}`, expected: e.expected }),
    unbound: (e) => ({ message: `[${sect}] ${className}: ${e.message}`, expected: e.expected }),
  });
  b.requireKind(
    call,
    'formatter',
    r.loc(classLine),
    `[${sect}] class ${className} is not a formatter class`,
    'TypeError',
    'logging.Formatter, logging.ColorFormatter, logging.JsonFormatter or a registered formatter',
  );
  b.checkFormat(call, r.loc(argLine), (reason) => `[${sect}] format: ${reason}`);
  return {
    id,
    call,
    format: fs?.value ?? null,
    datefmt: dfs?.value || null,
    style: stl?.value ?? '%',
    loc: r.loc(r.ini.lineOf(sect)),
  };
}

/** `defaults` and JsonFormatter's own keys (`preset=pino`, `fields=attributes`, `time=millis`); another class refuses them by name. */
function formatterKeywords(r: IniConfigReader, sect: string): Record<string, unknown> {
  const kwargs: Record<string, unknown> = {};
  const dflt = r.optional(sect, 'defaults', true);
  if (dflt && dflt.value) {
    const parsed = parsePyLiteral(dflt.value, { file: r.file, line: dflt.line, what: `[${sect}] defaults` });
    if (!(parsed instanceof PyDict))
      r.fail(dflt.line, `[${sect}] defaults must be a dict`, 'TypeError', "a dict such as {'customfield': 'value'}");
    kwargs['defaults'] = pyToJs(parsed);
  }
  for (const key of ['preset', 'fields', 'time'] as const) {
    const opt = r.optional(sect, key, true);
    if (opt)
      kwargs[key] =
        key === 'fields' && /^(true|false)$/i.test(opt.value) ? opt.value.toLowerCase() === 'true' : opt.value;
  }
  return kwargs;
}

function handlerSpec(r: IniConfigReader, b: SpecBuilder, id: string, keysLine: number | undefined): HandlerSpec {
  const sect = `handler_${id}`;
  r.requireSection(sect, `handler ${pyQuote(id)}`, 'handlers', keysLine);
  const klass = r.required(sect, 'class', 'every handler needs a class');
  const fmt = r.optional(sect, 'formatter');
  const call = handlerCall(r, b, sect, klass);
  const spec: HandlerSpec = {
    id,
    call,
    filters: [],
    loc: r.loc(r.ini.lineOf(sect)),
    keyLoc: { class: r.loc(klass.line) },
  };
  const lvl = r.optional(sect, 'level');
  if (lvl) {
    spec.level = r.level(b, sect, lvl);
    spec.keyLoc['level'] = r.loc(lvl.line);
  }
  if (fmt && fmt.value.length > 0) {
    b.requireIds(
      'formatter',
      [fmt.value],
      () => r.loc(fmt.line),
      (f) => `[${sect}] formatter ${pyQuote(f)} is not listed in [formatters] keys (KeyError: ${pyQuote(f)})`,
      'KeyError',
    );
    spec.formatter = fmt.value;
    spec.keyLoc['formatter'] = r.loc(fmt.line);
  }
  const target = call.entry.isMemoryHandler ? r.optional(sect, 'target') : undefined;
  if (target && target.value.length > 0) {
    spec.target = target.value;
    spec.keyLoc['target'] = r.loc(target.line);
  }
  return spec;
}

/** `class`, `args` and `kwargs` of a `[handler_x]`: Python evaluates them; here they are literals. */
function handlerCall(r: IniConfigReader, b: SpecBuilder, sect: string, klass: IniOption): ClassCall {
  const args = r.optional(sect, 'args') ?? { value: '()', line: undefined };
  const kwargs = r.optional(sect, 'kwargs') ?? { value: '{}', line: undefined };
  const handlerClass = 'a handler class such as StreamHandler, FileHandler or handlers.RotatingFileHandler';
  const unresolved = (e: ClassError) => ({
    message: `[${sect}] class ${klass.value}: ${e.message}`,
    expected: e.expected ?? handlerClass,
  });
  const entry = b.entryOf({ name: klass.value, mode: 'eval', classLoc: r.loc(klass.line), unresolved });
  const argValue = parsePyLiteral(args.value, { file: r.file, line: args.line, what: `[${sect}] args` });
  const kwValue = parsePyLiteral(kwargs.value, { file: r.file, line: kwargs.line, what: `[${sect}] kwargs` });
  const argList = positionalArgs(argValue, (message, pythonType) =>
    r.fail(
      args.line ?? klass.line,
      `[${sect}] args: ${message}`,
      pythonType,
      "a tuple such as (sys.stdout,) or ('app.log', 'a')",
    ),
  );
  const kwObject = keywordArgs(kwValue, (message, pythonType) =>
    r.fail(
      kwargs.line ?? klass.line,
      `[${sect}] kwargs: ${message}`,
      pythonType,
      "a dict such as {'encoding': 'utf-8'}",
    ),
  );
  const argLine = args.line ?? kwargs.line ?? klass.line;
  const call = b.bindClass({
    name: klass.value,
    entry,
    mode: 'eval',
    args: argList,
    kwargs: kwObject,
    classLoc: r.loc(klass.line),
    argLoc: r.loc(argLine),
    unresolved,
    unbound: (e) => ({
      message: `[${sect}] ${klass.value}${args.line ? ` args` : ''}: ${e.message}`,
      expected: e.expected,
    }),
  });
  b.requireKind(
    call,
    'handler',
    r.loc(klass.line),
    `[${sect}] class ${klass.value} is not a handler class`,
    'AttributeError',
    'a handler class',
  );
  return call;
}

function rootSpec(r: IniConfigReader, b: SpecBuilder): LoggerSpec {
  const root: LoggerSpec = { name: '', handlers: [], filters: [], loc: r.loc(r.ini.lineOf('logger_root')), keyLoc: {} };
  const rootLevel = r.optional('logger_root', 'level');
  if (rootLevel) {
    root.level = r.level(b, 'logger_root', rootLevel);
    root.keyLoc['level'] = r.loc(rootLevel.line);
  }
  const handlers = r.required('logger_root', 'handlers', 'the root logger needs handlers = (may be empty)');
  root.handlers = handlerList(r, b, 'logger_root', handlers);
  return root;
}

function loggerSpec(r: IniConfigReader, b: SpecBuilder, id: string, keysLine: number | undefined): LoggerSpec {
  const sect = `logger_${id}`;
  r.requireSection(sect, `logger ${pyQuote(id)}`, 'loggers', keysLine);
  const qn = r.required(sect, 'qualname', 'every logger but root needs qualname =');
  const prop = r.optional(sect, 'propagate');
  let propagate = true;
  if (prop) {
    if (!/^\s*[+-]?\d+(?:_\d+)*\s*$/.test(prop.value))
      r.fail(
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
    loc: r.loc(r.ini.lineOf(sect)),
    keyLoc: { qualname: r.loc(qn.line) },
  };
  const lvl = r.optional(sect, 'level');
  if (lvl) {
    spec.level = r.level(b, sect, lvl);
    spec.keyLoc['level'] = r.loc(lvl.line);
  }
  const hl = r.required(sect, 'handlers', 'every logger needs handlers = (may be empty)');
  spec.handlers = handlerList(r, b, sect, hl);
  return spec;
}

/** A `handlers =` list: every id listed in [handlers] keys; duplicates dropped. */
function handlerList(r: IniConfigReader, b: SpecBuilder, sect: string, option: IniOption): string[] {
  if (option.value.length === 0) return [];
  const ids = splitKeys(option.value);
  b.requireIds(
    'handler',
    ids,
    () => r.loc(option.line),
    (h) => `[${sect}] handler ${pyQuote(h)} is not listed in [handlers] keys (KeyError: ${pyQuote(h)})`,
    'KeyError',
  );
  return [...new Set(ids)];
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
