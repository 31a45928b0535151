/**
 * The dictConfig schema as TypeScript types, so editors complete a config written in code and a
 * misspelt key or class fails `tsc`. The run-time checks (dict-config.ts) stay the authority: a
 * config read from a file is checked there, key by key, with located errors.
 *
 * Built-in classes are listed under every spelling the registry accepts; a class of your own
 * (`registerClass`) is written with `'()'`, whose other keys are free.
 */
import type { JsonFormatterOptions } from '../format/json.js';
import type { DictTriggerConfig } from './triggers-spec.js';

/** A level: a number or a name in any case (`'DEBUG'`, `'debug'`, a name given to `addLevelName`). */
export type DictLevel = number | string;

/** `%`, `{` or `$`, as Python's `style`. */
export type DictFormatStyle = '%' | '{' | '$';

interface DictFormatterBase {
  format?: string | null;
  datefmt?: string | null;
  style?: DictFormatStyle;
  validate?: boolean;
  defaults?: Record<string, unknown> | null;
}

/** A text formatter (`Formatter`, `ColorFormatter`). */
export interface DictTextFormatterConfig extends DictFormatterBase {
  class?: 'logging.Formatter' | 'Formatter' | 'logging.ColorFormatter' | 'ColorFormatter';
}

/** `JsonFormatter` with its options (docs/configuration.md, JSON). */
export interface DictJsonFormatterConfig extends DictFormatterBase {
  class: 'logging.JsonFormatter' | 'JsonFormatter';
  preset?: JsonFormatterOptions['preset'] | null;
  keys?: JsonFormatterOptions['keys'] | null;
  fields?: JsonFormatterOptions['fields'] | null;
  time?: JsonFormatterOptions['time'] | null;
  static?: JsonFormatterOptions['static'] | null;
  trace?: JsonFormatterOptions['trace'] | null;
}

/** A registered factory (`registerClass`) and its arguments. */
export interface DictFactoryConfig {
  '()': string | ((...args: never[]) => unknown) | (new (...args: never[]) => unknown);
  /** Properties set on the built object. */
  '.'?: Record<string, unknown>;
  /** Not with `'()'` (and so a typo in a built-in class's options is not taken for a factory's). */
  class?: never;
  [argument: string]: unknown;
}

export type DictFormatterConfig = DictTextFormatterConfig | DictJsonFormatterConfig | DictFactoryConfig;

/** `name`: a filter passing records of that logger and its children. */
export interface DictNameFilterConfig {
  name?: string;
}
export type DictFilterConfig = DictNameFilterConfig | DictFactoryConfig;

/** What every handler takes besides its class's own options. */
interface DictHandlerBase {
  level?: DictLevel;
  /** A formatter id. */
  formatter?: string;
  /** Filter ids. */
  filters?: string[];
  /** Attributes set on the built handler (new ones only). */
  '.'?: Record<string, unknown>;
}

interface DictFileOptions {
  filename: string;
  /** `'a'` (the default) or `'w'` (a push may not use `'w'` on an existing file). */
  mode?: string;
  encoding?: string | null;
  delay?: boolean;
  errors?: string | null;
}

export interface DictStreamHandlerConfig extends DictHandlerBase {
  class: 'logging.StreamHandler' | 'StreamHandler';
  /** `ext://sys.stdout` or `ext://sys.stderr` (the default). */
  stream?: 'ext://sys.stdout' | 'ext://sys.stderr' | null;
}

export interface DictFileHandlerConfig extends DictHandlerBase, DictFileOptions {
  class: 'logging.FileHandler' | 'FileHandler';
}

export interface DictWatchedFileHandlerConfig extends DictHandlerBase, DictFileOptions {
  class: 'logging.handlers.WatchedFileHandler' | 'handlers.WatchedFileHandler';
}

export interface DictRotatingFileHandlerConfig extends DictHandlerBase, DictFileOptions {
  class: 'logging.handlers.RotatingFileHandler' | 'handlers.RotatingFileHandler';
  maxBytes?: number;
  backupCount?: number;
}

export interface DictTimedRotatingFileHandlerConfig extends DictHandlerBase {
  class: 'logging.handlers.TimedRotatingFileHandler' | 'handlers.TimedRotatingFileHandler';
  filename: string;
  /** `S`, `M`, `H`, `D`, `midnight`, `W0`–`W6`, any case. */
  when?: string;
  interval?: number;
  backupCount?: number;
  encoding?: string | null;
  delay?: boolean;
  utc?: boolean;
  /** `'HH:MM'` or `'HH:MM:SS'`. */
  atTime?: string | null;
  errors?: string | null;
}

export interface DictSysLogHandlerConfig extends DictHandlerBase {
  class: 'logging.handlers.SysLogHandler' | 'handlers.SysLogHandler';
  /** `[host, port]` or a unix socket path (`'/dev/log'`). */
  address?: [string, number] | string;
  facility?: number | string;
  socktype?: 'ext://socket.SOCK_DGRAM' | 'ext://socket.SOCK_STREAM' | 'udp' | 'tcp' | 1 | 2 | null;
}

export interface DictMemoryHandlerConfig extends DictHandlerBase {
  class: 'logging.handlers.MemoryHandler' | 'handlers.MemoryHandler';
  capacity: number;
  flushLevel?: DictLevel;
  /** A handler id. */
  target?: string | null;
  flushOnClose?: boolean;
}

export interface DictNullHandlerConfig extends DictHandlerBase {
  class: 'logging.NullHandler' | 'NullHandler';
}

export type DictHandlerConfig =
  | DictStreamHandlerConfig
  | DictFileHandlerConfig
  | DictWatchedFileHandlerConfig
  | DictRotatingFileHandlerConfig
  | DictTimedRotatingFileHandlerConfig
  | DictSysLogHandlerConfig
  | DictMemoryHandlerConfig
  | DictNullHandlerConfig
  | (DictHandlerBase & DictFactoryConfig);

/** The root logger's section. */
export interface DictRootConfig {
  level?: DictLevel;
  /** Handler ids. */
  handlers?: string[];
  /** Filter ids. */
  filters?: string[];
}

/** A named logger's section. */
export interface DictLoggerConfig extends DictRootConfig {
  propagate?: boolean;
}

/** `redact`: paths in pino's syntax, or the paths with a censor or removal. */
export type DictRedactConfig =
  string[] | { paths: string[]; censor?: string | number | boolean | null; remove?: boolean };

/** A dictConfig document (Python's schema, version 1, plus logdial's `redact`). */
export type DictConfig = DictFullConfig | DictIncrementalConfig;

/** A configuration that replaces the current one. */
export interface DictFullConfig {
  version: 1;
  incremental?: false;
  /** Default false, unlike Python (docs/configuration.md). */
  disable_existing_loggers?: boolean;
  formatters?: Record<string, DictFormatterConfig>;
  filters?: Record<string, DictFilterConfig>;
  handlers?: Record<string, DictHandlerConfig>;
  /** By dotted logger name; `''` is the root. */
  loggers?: Record<string, DictLoggerConfig>;
  root?: DictRootConfig;
  redact?: DictRedactConfig;
  /** logdial's triggers (docs/configuration.md, "Triggers"). */
  triggers?: Record<string, DictTriggerConfig>;
}

/** `incremental: true`: only levels (and loggers' `propagate`) change; the handlers named must exist. */
export interface DictIncrementalConfig {
  version: 1;
  incremental: true;
  disable_existing_loggers?: boolean;
  handlers?: Record<string, { level?: DictLevel }>;
  loggers?: Record<string, { level?: DictLevel; propagate?: boolean }>;
  root?: { level?: DictLevel };
  /** Adds or replaces triggers by name; `null` removes one; the others stay. */
  triggers?: Record<string, DictTriggerConfig | null>;
}
