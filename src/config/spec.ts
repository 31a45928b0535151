/**
 * The validated, side-effect-free form of a configuration, whatever it was written in (INI for
 * fileConfig, JSON/YAML/objects for dictConfig). Parsing produces it; `applySpec` builds and swaps
 * it in. Every part remembers where it was written so that errors found while building still point
 * at the file and line (or path).
 */
import type { ConfigLocation } from './errors.js';
import type { RedactSpec } from './redact-config.js';
import type { BoundArguments, ClassEntry } from './registry.js';
import type { TriggerSettings } from './triggers-spec.js';

/** The syntax a configuration came in. */
export type ConfigFormat = 'ini' | 'json' | 'yaml' | 'object';

/** A class to construct: the resolved registry entry and its bound arguments. */
export interface ClassCall {
  /** The name as written (`logging.StreamHandler`, `handlers.RotatingFileHandler`). */
  name: string;
  entry: ClassEntry;
  bound: BoundArguments;
  /** Attributes to set afterwards (dictConfig's `'.'`). */
  props?: Record<string, unknown> | undefined;
  /** Where the class name and the arguments were written. */
  loc: ConfigLocation;
}

/** A formatter to build. */
export interface FormatterSpec {
  id: string;
  call: ClassCall;
  /** For summaries. */
  format: string | null;
  datefmt: string | null;
  style: string;
  loc: ConfigLocation;
}

/** A filter to build (dictConfig). */
export interface FilterSpec {
  id: string;
  call: ClassCall;
  loc: ConfigLocation;
}

/** A handler to build. */
export interface HandlerSpec {
  id: string;
  call: ClassCall;
  /** Level number, when set. */
  level?: number | undefined;
  /** Formatter id; `undefined`/empty means none. */
  formatter?: string | undefined;
  filters: string[];
  /** MemoryHandler target handler id. */
  target?: string | undefined;
  loc: ConfigLocation;
  /** Locations of individual keys (`level`, `formatter`, `target`, `filters`). */
  keyLoc: Record<string, ConfigLocation>;
}

/** An incremental handler change (dictConfig `incremental: true`): only the level. */
export interface HandlerLevelSpec {
  id: string;
  level?: number | undefined;
  loc: ConfigLocation;
}

/** A logger to configure (`''` is the root). */
export interface LoggerSpec {
  name: string;
  level?: number | undefined;
  /** Unset: leave as is (dictConfig without `propagate`). */
  propagate?: boolean | undefined;
  /** Handler ids; the logger's existing handlers are removed first (not in incremental mode). */
  handlers: string[];
  filters: string[];
  loc: ConfigLocation;
  keyLoc: Record<string, ConfigLocation>;
}

/** A whole configuration, ready to apply. */
export interface ConfigSpec {
  /** `fileConfig` (INI) or `dictConfig` (JSON/YAML/object) semantics. */
  kind: 'fileConfig' | 'dictConfig';
  format: ConfigFormat;
  /** File it came from (or a label like `<string>`). */
  file?: string | undefined;
  /** dictConfig `incremental`: only levels and propagate change; nothing is built. */
  incremental: boolean;
  /** Python's `disable_existing_loggers` (default false here: loggers created earlier keep working). */
  disableExistingLoggers: boolean;
  formatters: FormatterSpec[];
  filters: FilterSpec[];
  /** In construction order (fileConfig: `keys` order; dictConfig: sorted ids). */
  handlers: HandlerSpec[];
  /** Incremental handler level changes. */
  handlerLevels: HandlerLevelSpec[];
  /** Non-root loggers, in order (may include `''` from dictConfig `loggers: {'': …}` or fileConfig `qualname=`). */
  loggers: LoggerSpec[];
  /** The root logger's configuration; `undefined` leaves root alone (dictConfig without `root`). */
  root?: LoggerSpec | undefined;
  /** fileConfig configures root before the other loggers, dictConfig after. */
  rootFirst: boolean;
  /** The `redact` setting; `undefined` leaves the process's redaction as it is. */
  redact?: RedactSpec | undefined;
  /** What sections added with `addDictSection`/`addIniSection` read, by section name. */
  sections?: Readonly<Record<string, unknown>> | undefined;
  /**
   * The triggers (config/triggers-spec.ts). A full configuration replaces the process's triggers
   * (`undefined`: none); an incremental one changes only the triggers it names.
   */
  triggers?: TriggerSettings | undefined;
  /**
   * The text the spec was parsed from, so that another thread can parse it again (worker threads
   * follow their process's configuration); absent for an object config that is not plain data.
   */
  origin?:
    | {
        text: string;
        format: 'ini' | 'json' | 'yaml';
        defaults?: Readonly<Record<string, string | number | boolean>> | undefined;
      }
    | undefined;
}
