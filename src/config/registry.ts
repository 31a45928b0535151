/**
 * Python's class names (`StreamHandler`, `logging.handlers.RotatingFileHandler`,
 * `logging.Formatter`, …) mapped to our constructors, and `registerClass` for user classes.
 *
 * CPython resolves fileConfig's handler `class` with `eval(name, vars(logging))` and falls back to
 * a dotted import; formatter classes, dictConfig classes, `()` factories and `ext://` use the
 * import only. We model the few modules involved (`logging`, `logging.handlers`) as a tiny tree so
 * that exactly the spellings CPython accepts work (`StreamHandler`, `handlers.X`, `logging.X`,
 * `logging.handlers.X`, `handlers.logging.X`) and the others fail as they do in Python (bare
 * `RotatingFileHandler` is `No module named 'RotatingFileHandler'`). Nothing is ever evaluated.
 *
 * Each class has Python's positional/keyword parameters; {@link bindArguments} applies Python's
 * calling rules (too many positionals, unknown or repeated keywords, missing arguments) so errors
 * are found while parsing, before anything is built.
 */
import { Filter } from '../core/filter.js';
import { ERROR, checkLevel } from '../core/levels.js';
import { ColorFormatter } from '../format/color.js';
import { Formatter } from '../format/formatter.js';
import { JsonFormatter } from '../format/json.js';
import { isJsonPreset } from '../format/json-presets.js';
import { FileHandler } from '../handlers/file.js';
import { Handler } from '../handlers/handler.js';
import { MemoryHandler } from '../handlers/memory.js';
import { NullHandler } from '../handlers/null.js';
import { RotatingFileHandler } from '../handlers/rotating.js';
import { StreamHandler } from '../handlers/stream.js';
import { SysLogHandler } from '../handlers/syslog.js';
import { TimedRotatingFileHandler } from '../handlers/timed-rotating.js';
import { WatchedFileHandler } from '../handlers/watched.js';
import { PyRef } from './py-literal.js';

/** What a class builds. */
export type ClassKind = 'handler' | 'formatter' | 'filter' | 'any';

/** One parameter of a Python signature. */
export interface ParamSpec {
  name: string;
  /** Absent: required. */
  default?: unknown;
  /** Keyword-only (after `*`). */
  kwOnly?: boolean;
  /** Checks and converts a value; throws `TypeError`/`ValueError`-like `Error`s with a message. */
  check?: (value: unknown) => unknown;
}

/** A constructible class known to configuration. */
export interface ClassEntry {
  /** Python's canonical name, e.g. `logging.handlers.RotatingFileHandler`. */
  readonly pyName: string;
  readonly kind: ClassKind;
  /** Python's signature (`undefined` for user classes: any arguments). */
  readonly params?: readonly ParamSpec[];
  /** True for MemoryHandler and subclasses (its `target` is a handler name). */
  readonly isMemoryHandler?: boolean;
  /** Builds the instance from bound (checked) parameters, or from raw args for user classes. */
  create(bound: BoundArguments): unknown;
  /** Files the instance would open (for the control plane's allow-list), from bound parameters. */
  files?(bound: BoundArguments): string[];
  /**
   * Network destinations the instance would send to (`udp://host:514`, `tcp://host:514`), for the
   * control plane's allow-list: a pushed config must not turn a handler into a way to send chosen
   * bytes (the format string is the pusher's) to any service the process can reach.
   */
  addresses?(bound: BoundArguments): string[];
  /** What the instance writes to, for summaries (`stdout`, a path, `udp://host:514`). */
  describe?(bound: BoundArguments): string | undefined;
}

/** Arguments after Python's binding rules: `values` by parameter name (user classes: raw). */
export interface BoundArguments {
  values: Record<string, unknown>;
  args: unknown[];
  kwargs: Record<string, unknown>;
}

/** A user class for {@link registerClass}: constructed with Python's positional args, then kwargs as one options object when there are any. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a user class may take any arguments; it is called with what the config says
export type UserClass = new (...args: any[]) => unknown;

/**
 * Every entry this registry made (built-ins and {@link registerClass}). A configuration value is
 * used as a class only when it is one of these: a JSON/YAML mapping shaped like an entry (or one
 * reached through `cfg://`) is data, never a constructor.
 */
const knownEntries = new WeakSet<object>();

/** True when `value` is a class entry made by this registry (not a look-alike from a config document). */
export function isClassEntry(value: unknown): value is ClassEntry {
  return typeof value === 'object' && value !== null && knownEntries.has(value);
}

/** A problem resolving or calling a class: `pythonType` is what CPython raises. */
export class ClassError extends Error {
  constructor(
    message: string,
    readonly pythonType: string,
    readonly expected?: string,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------
// Parameter checks

function pyType(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value)) return 'list';
  if (value instanceof PyRef) return value.name;
  return typeof value === 'object' ? 'dict' : typeof value;
}

const str =
  (what: string, nullable = false) =>
  (v: unknown): unknown => {
    if (v === null && nullable) return null;
    if (typeof v !== 'string')
      throw new ClassError(`${what} must be a string, not ${pyType(v)}`, 'TypeError', `a string for ${what}`);
    return v;
  };
const filename = (v: unknown): unknown => {
  if (typeof v !== 'string')
    throw new ClassError(`filename must be a string, not ${pyType(v)}`, 'TypeError', 'a file name string');
  if (v === '')
    throw new ClassError("filename is empty: No such file or directory: ''", 'FileNotFoundError', 'a file name');
  if (v.includes('\0')) throw new ClassError('filename contains a NUL byte', 'ValueError', 'a file name');
  return v;
};
const int =
  (what: string, min = 0) =>
  (v: unknown): unknown => {
    const n = typeof v === 'boolean' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n))
      throw new ClassError(`${what} must be a number, not ${pyType(v)}`, 'TypeError', `a number for ${what}`);
    if (n < min) throw new ClassError(`${what} must be >= ${min}, not ${n}`, 'ValueError', `${what} >= ${min}`);
    return n;
  };
const bool = (v: unknown): unknown => Boolean(v) && !(Array.isArray(v) && v.length === 0);
const mode = (v: unknown): unknown => {
  if (typeof v !== 'string') throw new ClassError(`mode must be a string, not ${pyType(v)}`, 'TypeError', "'a' or 'w'");
  if (!/^[awx][bt+]*$|^[bt+]*[awx][bt+]*$/.test(v))
    throw new ClassError(`invalid mode: '${v}'`, 'ValueError', "'a', 'w' or 'x'");
  return v;
};
const levelParam = (v: unknown): unknown => {
  try {
    return checkLevel(v);
  } catch (e) {
    throw new ClassError((e as Error).message, 'ValueError', 'a level name (DEBUG, INFO, …) or number');
  }
};
const anyValue = (v: unknown): unknown => v;

/** `sys.stdout`, `sys.stderr` (as names or `ext://` strings) or None. */
function streamParam(v: unknown): unknown {
  if (v === null || v === undefined) return 'stderr';
  const name = v instanceof PyRef ? v.name : typeof v === 'string' && v.startsWith('ext://') ? v.slice(6) : undefined;
  if (name === 'sys.stdout') return 'stdout';
  if (name === 'sys.stderr') return 'stderr';
  if (typeof v === 'object' && v !== null && typeof (v as { write?: unknown }).write === 'function') return v;
  throw new ClassError(
    `stream must be sys.stdout or sys.stderr, not ${typeof v === 'string' ? `'${v}'` : pyType(v)}`,
    'TypeError',
    'sys.stdout or sys.stderr (ext://sys.stdout in dictConfig)',
  );
}

/** The system's own syslog sockets: always allowed, and never a reason to allow their directory. */
const SYSTEM_SYSLOG_SOCKETS = new Set(['/dev/log', '/var/run/syslog', '/var/run/log', '/run/systemd/journal/syslog']);

/** `udp://host:port` / `tcp://host:port` for a host address, `undefined` for a unix path. */
function syslogUrl(b: BoundArguments): string | undefined {
  const a = b.values['address'];
  if (typeof a === 'string') return undefined;
  const [host, port] = a as [string, number];
  return `${b.values['socktype'] === 'tcp' ? 'tcp' : 'udp'}://${host}:${port}`;
}

function syslogAddress(v: unknown): unknown {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'number') return [v[0], v[1]];
  throw new ClassError(
    `address must be a (host, port) tuple or a socket path, not ${pyType(v)}`,
    'TypeError',
    "('localhost', 514) or '/dev/log'",
  );
}

function socktype(v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  const name = v instanceof PyRef ? v.name : typeof v === 'string' ? v.replace(/^ext:\/\//, '') : v;
  if (name === 'socket.SOCK_STREAM' || name === 1 || name === 'tcp') return 'tcp';
  if (name === 'socket.SOCK_DGRAM' || name === 2 || name === 'udp') return 'udp';
  throw new ClassError(
    `socktype must be socket.SOCK_DGRAM or socket.SOCK_STREAM, not ${shownValue(name)}`,
    'ValueError',
    'socket.SOCK_DGRAM or socket.SOCK_STREAM',
  );
}

function facility(v: unknown): unknown {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 23) return v;
  if (typeof v === 'string') return v;
  throw new ClassError(
    `facility must be a SysLogHandler.LOG_* number or name, not ${pyType(v)}`,
    'TypeError',
    'handlers.SysLogHandler.LOG_USER or a name such as "local0"',
  );
}

const FILE_PARAMS = (extra: ParamSpec[]): ParamSpec[] => [
  { name: 'filename', check: filename },
  { name: 'mode', default: 'a', check: mode },
  ...extra,
  { name: 'encoding', default: null, check: str('encoding', true) },
  { name: 'delay', default: false, check: bool },
  { name: 'errors', default: null, check: str('errors', true) },
];

const FORMATTER_PARAMS: ParamSpec[] = [
  { name: 'fmt', default: null, check: str('fmt', true) },
  { name: 'datefmt', default: null, check: str('datefmt', true) },
  { name: 'style', default: '%', check: str('style') },
  { name: 'validate', default: true, check: bool },
  {
    name: 'defaults',
    default: null,
    kwOnly: true,
    check: (v) => {
      if (v === null) return null;
      if (typeof v !== 'object' || Array.isArray(v))
        throw new ClassError(`defaults must be a dict, not ${pyType(v)}`, 'TypeError', 'a dict');
      return v;
    },
  },
];

const encodingOf = (b: BoundArguments): string | null => (b.values['encoding'] as string | null) ?? null;

// ---------------------------------------------------------------------------------------------
// Built-in classes

const builtins: Record<string, ClassEntry> = {
  StreamHandler: {
    pyName: 'logging.StreamHandler',
    kind: 'handler',
    params: [{ name: 'stream', default: null, check: streamParam }],
    create: (b) => new StreamHandler(b.values['stream'] as 'stdout' | 'stderr'),
    describe: (b) => (typeof b.values['stream'] === 'string' ? b.values['stream'] : 'stream'),
  },
  FileHandler: {
    pyName: 'logging.FileHandler',
    kind: 'handler',
    params: FILE_PARAMS([]),
    create: (b) =>
      new FileHandler(b.values['filename'] as string, {
        mode: b.values['mode'] as string,
        encoding: encodingOf(b),
        delay: b.values['delay'] as boolean,
      }),
    files: (b) => [b.values['filename'] as string],
    describe: (b) => b.values['filename'] as string,
  },
  NullHandler: {
    pyName: 'logging.NullHandler',
    kind: 'handler',
    params: [],
    create: () => new NullHandler(),
    describe: () => 'null',
  },
  RotatingFileHandler: {
    pyName: 'logging.handlers.RotatingFileHandler',
    kind: 'handler',
    params: FILE_PARAMS([
      { name: 'maxBytes', default: 0, check: int('maxBytes') },
      { name: 'backupCount', default: 0, check: int('backupCount') },
    ]),
    create: (b) =>
      new RotatingFileHandler(b.values['filename'] as string, {
        mode: b.values['mode'] as string,
        maxBytes: b.values['maxBytes'] as number,
        backupCount: b.values['backupCount'] as number,
        encoding: encodingOf(b),
        delay: b.values['delay'] as boolean,
      }),
    files: (b) => [b.values['filename'] as string],
    describe: (b) => b.values['filename'] as string,
  },
  TimedRotatingFileHandler: {
    pyName: 'logging.handlers.TimedRotatingFileHandler',
    kind: 'handler',
    params: [
      { name: 'filename', check: filename },
      {
        name: 'when',
        default: 'h',
        check: (v) => {
          if (typeof v !== 'string')
            throw new ClassError(
              `when must be a string, not ${pyType(v)}`,
              'TypeError',
              "'S', 'M', 'H', 'D', 'midnight' or 'W0'…'W6'",
            );
          if (!/^(s|m|h|d|midnight|w[0-6])$/i.test(v))
            throw new ClassError(
              `Invalid rollover interval specified: ${v.toUpperCase()}`,
              'ValueError',
              "'S', 'M', 'H', 'D', 'midnight' or 'W0'…'W6'",
            );
          return v;
        },
      },
      { name: 'interval', default: 1, check: int('interval', 1) },
      { name: 'backupCount', default: 0, check: int('backupCount') },
      { name: 'encoding', default: null, check: str('encoding', true) },
      { name: 'delay', default: false, check: bool },
      { name: 'utc', default: false, check: bool },
      {
        name: 'atTime',
        default: null,
        check: (v) => {
          if (v !== null && typeof v !== 'string')
            throw new ClassError(
              `atTime must be a 'HH:MM[:SS]' string, not ${pyType(v)}`,
              'TypeError',
              "'HH:MM' or 'HH:MM:SS'",
            );
          return v;
        },
      },
      { name: 'errors', default: null, check: str('errors', true) },
    ],
    create: (b) =>
      new TimedRotatingFileHandler(b.values['filename'] as string, {
        when: b.values['when'] as string,
        interval: b.values['interval'] as number,
        backupCount: b.values['backupCount'] as number,
        encoding: encodingOf(b),
        delay: b.values['delay'] as boolean,
        utc: b.values['utc'] as boolean,
        ...(b.values['atTime'] !== null ? { atTime: b.values['atTime'] as never } : {}),
      }),
    files: (b) => [b.values['filename'] as string],
    describe: (b) => b.values['filename'] as string,
  },
  WatchedFileHandler: {
    pyName: 'logging.handlers.WatchedFileHandler',
    kind: 'handler',
    params: FILE_PARAMS([]),
    create: (b) =>
      new WatchedFileHandler(b.values['filename'] as string, {
        mode: b.values['mode'] as string,
        encoding: encodingOf(b),
        delay: b.values['delay'] as boolean,
      }),
    files: (b) => [b.values['filename'] as string],
    describe: (b) => b.values['filename'] as string,
  },
  SysLogHandler: {
    pyName: 'logging.handlers.SysLogHandler',
    kind: 'handler',
    params: [
      { name: 'address', default: ['localhost', 514], check: syslogAddress },
      { name: 'facility', default: 1, check: facility },
      { name: 'socktype', default: null, check: socktype },
    ],
    create: (b) => {
      const options: Record<string, unknown> = { address: b.values['address'], facility: b.values['facility'] };
      if (b.values['socktype'] !== undefined && b.values['socktype'] !== null)
        options['socktype'] = b.values['socktype'];
      return new SysLogHandler(options);
    },
    // A unix socket path is a path it writes to, like a file (the system's syslog sockets excepted).
    files: (b) => {
      const a = b.values['address'];
      return typeof a === 'string' && !SYSTEM_SYSLOG_SOCKETS.has(a) ? [a] : [];
    },
    addresses: (b) => {
      const url = syslogUrl(b);
      return url ? [url] : [];
    },
    describe: (b) => syslogUrl(b) ?? (b.values['address'] as string),
  },
  MemoryHandler: {
    pyName: 'logging.handlers.MemoryHandler',
    kind: 'handler',
    isMemoryHandler: true,
    params: [
      { name: 'capacity', check: int('capacity') },
      { name: 'flushLevel', default: ERROR, check: levelParam },
      { name: 'target', default: null, check: anyValue },
      { name: 'flushOnClose', default: true, check: bool },
    ],
    create: (b) =>
      new MemoryHandler(b.values['capacity'] as number, {
        flushLevel: b.values['flushLevel'] as number,
        target: (b.values['target'] as Handler | null) ?? null,
        flushOnClose: b.values['flushOnClose'] as boolean,
      }),
    describe: () => 'memory',
  },
  Formatter: {
    pyName: 'logging.Formatter',
    kind: 'formatter',
    params: FORMATTER_PARAMS,
    create: (b) => newFormatter(Formatter, b),
  },
  ColorFormatter: {
    pyName: 'logging.ColorFormatter',
    kind: 'formatter',
    params: FORMATTER_PARAMS,
    create: (b) => newFormatter(ColorFormatter, b),
  },
  JsonFormatter: {
    pyName: 'logging.JsonFormatter',
    kind: 'formatter',
    // Python's positional (fmt, datefmt, style, validate) plus our JSON options as keywords.
    params: [
      ...FORMATTER_PARAMS,
      {
        name: 'preset',
        default: null,
        kwOnly: true,
        check: (v) => {
          if (v === null || isJsonPreset(v)) return v;
          throw new ClassError(
            `preset must be 'pino', 'ecs' or 'otel', not ${JSON.stringify(v)}`,
            'ValueError',
            "'pino', 'ecs' or 'otel'",
          );
        },
      },
      { name: 'keys', default: null, kwOnly: true, check: anyValue },
      { name: 'fields', default: null, kwOnly: true, check: anyValue },
      { name: 'time', default: null, kwOnly: true, check: anyValue },
      { name: 'static', default: null, kwOnly: true, check: anyValue },
      { name: 'trace', default: null, kwOnly: true, check: anyValue },
    ],
    create: (b) => {
      const v = b.values;
      const options: Record<string, unknown> = {};
      for (const key of ['preset', 'keys', 'fields', 'time', 'static', 'trace'])
        if (v[key] !== null && v[key] !== undefined) options[key] = v[key];
      if (Object.keys(options).length > 0) return new JsonFormatter(options);
      return new JsonFormatter((v['fmt'] as string | null) ?? null);
    },
  },
  Filter: {
    pyName: 'logging.Filter',
    kind: 'filter',
    params: [{ name: 'name', default: '', check: str('name') }],
    create: (b) => new Filter(b.values['name'] as string),
  },
};

function newFormatter(ctor: typeof Formatter, b: BoundArguments): unknown {
  const v = b.values;
  const defaults = v['defaults'] as Record<string, unknown> | null;
  return new ctor(
    (v['fmt'] as string | null) ?? undefined,
    (v['datefmt'] as string | null) ?? undefined,
    v['style'] as '%',
    v['validate'] as boolean,
    defaults ?? undefined,
  );
}

/** Python classes logdial does not implement: named in errors instead of "No module named". */
const UNSUPPORTED_HANDLERS = [
  'SocketHandler',
  'DatagramHandler',
  'SMTPHandler',
  'NTEventLogHandler',
  'HTTPHandler',
  'QueueHandler',
  'QueueListener',
  'BufferingHandler',
  'BaseRotatingHandler',
];
const UNSUPPORTED_LOGGING = [
  'Handler',
  'BufferingFormatter',
  'LoggerAdapter',
  'Logger',
  'LogRecord',
  'PercentStyle',
  'StrFormatStyle',
  'StringTemplateStyle',
];

// ---------------------------------------------------------------------------------------------
// The module tree

type Node =
  | { kind: 'module'; name: string; attrs: Map<string, Node> }
  | { kind: 'class'; entry: ClassEntry }
  | { kind: 'unsupported'; name: string }
  | { kind: 'value'; name: string };

const loggingModule: Node & { kind: 'module' } = { kind: 'module', name: 'logging', attrs: new Map() };
const handlersModule: Node & { kind: 'module' } = { kind: 'module', name: 'logging.handlers', attrs: new Map() };
const configModule: Node & { kind: 'module' } = { kind: 'module', name: 'logging.config', attrs: new Map() };
const sysModule: Node & { kind: 'module' } = {
  kind: 'module',
  name: 'sys',
  attrs: new Map([
    ['stdout', { kind: 'value', name: 'sys.stdout' }],
    ['stderr', { kind: 'value', name: 'sys.stderr' }],
  ]),
};

for (const [name, entry] of Object.entries(builtins)) {
  knownEntries.add(entry);
  const target = entry.pyName.startsWith('logging.handlers.') ? handlersModule : loggingModule;
  target.attrs.set(name, { kind: 'class', entry });
}
for (const name of UNSUPPORTED_HANDLERS)
  handlersModule.attrs.set(name, { kind: 'unsupported', name: `logging.handlers.${name}` });
for (const name of UNSUPPORTED_LOGGING) loggingModule.attrs.set(name, { kind: 'unsupported', name: `logging.${name}` });
for (const level of ['CRITICAL', 'FATAL', 'ERROR', 'WARNING', 'WARN', 'INFO', 'DEBUG', 'NOTSET'])
  loggingModule.attrs.set(level, { kind: 'value', name: `logging.${level}` });
loggingModule.attrs.set('handlers', handlersModule);
loggingModule.attrs.set('config', configModule);
loggingModule.attrs.set('sys', sysModule);
handlersModule.attrs.set('logging', loggingModule);
handlersModule.attrs.set('sys', sysModule);
configModule.attrs.set('logging', loggingModule);
configModule.attrs.set('handlers', handlersModule);
configModule.attrs.set('sys', sysModule);

/** Top-level importable modules (`import logging`, `import sys`). */
const importable = new Map<string, Node>([
  ['logging', loggingModule],
  ['sys', sysModule],
]);
/** User classes registered under names outside the logging package (exact dotted names). */
const userClasses = new Map<string, ClassEntry>();

/** How to resolve a class name: fileConfig handler classes try `eval` first; everything else imports. */
export type ResolveMode = 'eval' | 'import';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Finds the class a Python class name denotes, or throws a {@link ClassError} with CPython's
 * message (`No module named 'RotatingFileHandler'`, `module 'logging' has no attribute 'X'`, …).
 */
export function resolveClass(name: string, mode: ResolveMode): ClassEntry {
  const trimmed = name.trim();
  const user = userClasses.get(trimmed);
  if (user) return user;
  const parts = dottedParts(trimmed);
  if (trimmed === '' || !parts.every((p) => IDENT.test(p))) {
    throw new ClassError(
      `invalid class name '${name}'`,
      mode === 'eval' ? 'SyntaxError' : 'ModuleNotFoundError',
      'a dotted class name such as logging.StreamHandler',
    );
  }
  let node: Node | undefined;
  if (mode === 'eval') {
    // eval(name, vars(logging)): logging's globals (which include the handlers/config/sys modules, not logging itself).
    node = walk(loggingModule.attrs.get(parts[0]), parts.slice(1));
  }
  if (node === undefined) node = importResolve(parts);
  return asClass(node, trimmed);
}

function walk(start: Node | undefined, rest: string[]): Node | undefined {
  let node = start;
  for (const part of rest) {
    if (!node || node.kind !== 'module') return undefined;
    node = node.attrs.get(part);
  }
  return node;
}

/** Python's `logging.config._resolve`: import the first part, then getattr (importing submodules) along the rest. */
function importResolve(parts: DottedParts): Node {
  let node: Node | undefined = importable.get(parts[0]);
  if (!node) {
    // A well-known class under the wrong spelling: say which spelling works.
    const known =
      parts.length === 1
        ? handlersModule.attrs.get(parts[0])?.kind === 'class'
          ? `handlers.${parts[0]} (fileConfig) or logging.handlers.${parts[0]}`
          : loggingModule.attrs.get(parts[0])?.kind === 'class'
            ? `logging.${parts[0]}`
            : undefined
        : undefined;
    throw new ClassError(
      `No module named '${parts[0]}'`,
      'ModuleNotFoundError',
      known ?? 'logging.<Class>, logging.handlers.<Class> or a name given to registerClass()',
    );
  }
  let used = parts[0];
  for (const part of parts.slice(1)) {
    used += '.' + part;
    const current: Node = node;
    const next: Node | undefined = current.kind === 'module' ? current.attrs.get(part) : undefined;
    if (!next) {
      if (current.kind === 'module')
        throw new ClassError(
          `No module named '${used}'`,
          'ModuleNotFoundError',
          `a class of ${current.name}: ${[...current.attrs.entries()]
            .filter(([, n]) => n.kind === 'class')
            .map(([k]) => k)
            .join(', ')}`,
        );
      throw new ClassError(
        `'${(current as { name?: string }).name ?? 'object'}' has no attribute '${part}'`,
        'AttributeError',
      );
    }
    node = next;
  }
  return node;
}

function asClass(node: Node, name: string): ClassEntry {
  if (node.kind === 'class') return node.entry;
  if (node.kind === 'unsupported')
    throw new ClassError(
      `${node.name} is not supported by logdial`,
      'NotImplementedError',
      'one of StreamHandler, FileHandler, NullHandler, handlers.RotatingFileHandler, handlers.TimedRotatingFileHandler, handlers.WatchedFileHandler, handlers.SysLogHandler, handlers.MemoryHandler, or registerClass()',
    );
  if (node.kind === 'module')
    throw new ClassError(`'module' object is not callable (${name})`, 'TypeError', 'a class, not a module');
  throw new ClassError(`'${node.name}' is not callable (${name})`, 'TypeError', 'a class');
}

/** The object an `ext://` reference names: `sys.stdout`/`sys.stderr` (as {@link PyRef}), level constants, or classes. */
export function resolveExt(name: string): unknown {
  const user = userClasses.get(name);
  if (user) return user;
  const parts = dottedParts(name);
  if (!parts.every((p) => IDENT.test(p)))
    throw new ClassError(
      `Cannot resolve '${name}'`,
      'ValueError',
      'ext://sys.stdout, ext://sys.stderr or ext://logging.<name>',
    );
  const node = importResolve(parts);
  if (node.kind === 'value') {
    if (node.name.startsWith('sys.')) return new PyRef(node.name);
    return checkLevel(node.name.slice('logging.'.length));
  }
  if (node.kind === 'class') return node.entry;
  if (node.kind === 'module') return node;
  throw new ClassError(`${node.name} is not supported by logdial`, 'NotImplementedError');
}

/**
 * Registers a user class under a Python-style name, usable as `class` / `()` in any config.
 * `registerClass('logging.ColorFormatter', C)` (what the seed does with `logging.X = C`) also makes
 * the bare name `ColorFormatter` work in fileConfig handler classes, as in Python; any other
 * dotted name (`myapp.handlers.Custom`) is matched exactly.
 *
 * The class is constructed as Python would call it, `new ctor(...args)`, with keyword arguments
 * passed as one final options object when there are any. Handlers should extend {@link Handler};
 * formatters implement `format(record)`; filters `filter(record)`.
 */
export function registerClass(name: string, ctor: UserClass, options: { kind?: ClassKind } = {}): void {
  if (typeof ctor !== 'function') throw new TypeError('registerClass needs a constructor');
  const parts = name.split('.');
  if (!parts.every((p) => IDENT.test(p))) throw new TypeError(`invalid class name '${name}'`);
  const entry: ClassEntry = {
    pyName: name,
    kind: options.kind ?? guessKind(ctor),
    create: (b) => (Object.keys(b.kwargs).length > 0 ? new ctor(...b.args, b.kwargs) : new ctor(...b.args)),
  };
  knownEntries.add(entry);
  const slot = loggingSlot(parts);
  if (slot) slot.module.attrs.set(slot.key, { kind: 'class', entry });
  else userClasses.set(name, entry);
}

/** Removes a class registered with {@link registerClass} (built-ins are restored). */
export function unregisterClass(name: string): void {
  userClasses.delete(name);
  const parts = name.split('.');
  const restore = (module: typeof loggingModule, key: string) => {
    const builtin = builtins[key];
    if (builtin && (builtin.pyName.startsWith('logging.handlers.') ? handlersModule : loggingModule) === module)
      module.attrs.set(key, { kind: 'class', entry: builtin });
    else module.attrs.delete(key);
  };
  const slot = loggingSlot(parts);
  if (slot) restore(slot.module, slot.key);
}

/** Where a `logging.X` or `logging.handlers.X` name lives; null for any other name. */
function loggingSlot(parts: readonly string[]): { module: typeof loggingModule; key: string } | null {
  const [top, second, third] = parts;
  if (top !== 'logging' || second === undefined) return null;
  if (parts.length === 2) return { module: loggingModule, key: second };
  if (parts.length === 3 && second === 'handlers' && third !== undefined) return { module: handlersModule, key: third };
  return null;
}

/** A dotted name's parts: `split` always gives one at least. */
type DottedParts = [string, ...string[]];
function dottedParts(name: string): DottedParts {
  return name.split('.') as DottedParts;
}

function guessKind(ctor: UserClass): ClassKind {
  const proto = ctor.prototype as Record<string, unknown> | undefined;
  if (!proto) return 'any';
  if (proto instanceof Handler || typeof proto['emit'] === 'function' || typeof proto['handle'] === 'function')
    return 'handler';
  if (typeof proto['format'] === 'function') return 'formatter';
  if (typeof proto['filter'] === 'function') return 'filter';
  return 'any';
}

/**
 * Binds Python-style arguments to a class's parameters with Python's rules and runs each
 * parameter's check. User classes (no signature) get their arguments as given.
 */
export function bindArguments(entry: ClassEntry, args: unknown[], kwargs: Record<string, unknown>): BoundArguments {
  const params = entry.params;
  const shortName = entry.pyName.slice(entry.pyName.lastIndexOf('.') + 1);
  if (!params) return { values: {}, args, kwargs };
  const positional = params.filter((p) => !p.kwOnly);
  const values: Record<string, unknown> = {};
  if (args.length > positional.length) {
    const required = positional.filter((p) => !('default' in p)).length + 1;
    const total = positional.length + 1;
    const takes = required === total ? `${total}` : `from ${required} to ${total}`;
    throw new ClassError(
      `${shortName}.__init__() takes ${takes} positional argument${total === 1 ? '' : 's'} but ${args.length + 1} were given`,
      'TypeError',
      `at most ${positional.length} argument${positional.length === 1 ? '' : 's'}: (${positional.map((p) => p.name).join(', ')})`,
    );
  }
  for (const [i, param] of positional.entries()) if (i < args.length) values[param.name] = args[i];
  for (const [key, value] of Object.entries(kwargs)) {
    const param = params.find((p) => p.name === key);
    if (!param)
      throw new ClassError(
        `${shortName}.__init__() got an unexpected keyword argument '${key}'`,
        'TypeError',
        `one of ${params.map((p) => p.name).join(', ') || '(no arguments)'}`,
      );
    if (key in values)
      throw new ClassError(`${shortName}.__init__() got multiple values for argument '${key}'`, 'TypeError');
    values[key] = value;
  }
  const missing = params.filter((p) => !(p.name in values) && !('default' in p)).map((p) => `'${p.name}'`);
  if (missing.length > 0) {
    throw new ClassError(
      `${shortName}.__init__() missing ${missing.length} required positional argument${missing.length === 1 ? '' : 's'}: ${missing.join(' and ')}`,
      'TypeError',
      `(${params.map((p) => p.name).join(', ')})`,
    );
  }
  for (const p of params) {
    const value = p.name in values ? values[p.name] : p.default;
    values[p.name] = p.check ? p.check(value) : value;
  }
  return { values, args, kwargs };
}

/** The built-in classes (for documentation and `validate` output). */
export function builtinClassNames(): string[] {
  return Object.values(builtins).map((e) => e.pyName);
}

/** A value as an error message shows it (an object as JSON, not `[object Object]`). */
function shownValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value) ?? 'an object';
  return String(value);
}
