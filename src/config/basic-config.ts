/**
 * Python's `logging.basicConfig()`: one call that gives the root logger a handler and a format,
 * with CPython's rules. It does nothing when the root already has handlers, unless `force`;
 * `filename` and `stream` exclude each other and `handlers`; the default is a StreamHandler on
 * stderr with `%(levelname)s:%(name)s:%(message)s`. Every option is checked before anything
 * changes, so a bad call leaves the root as it was (CPython removes handlers first under `force`).
 */
import { checkLevel } from '../core/levels.js';
import { getRootLogger } from '../core/logger.js';
import { Formatter } from '../format/formatter.js';
import { type FormatStyle, validateFormat } from '../format/styles.js';
import { FileHandler, openFlags } from '../handlers/file.js';
import type { Handler } from '../handlers/handler.js';
import { normalizeEncoding } from '../handlers/sink.js';
import { StreamHandler, type StreamTarget } from '../handlers/stream.js';

/** Options of {@link basicConfig}, named as Python's keyword arguments. */
export interface BasicConfigOptions {
  /** Root logger level (a number or a name such as `'INFO'`); unchanged when absent. */
  level?: number | string;
  /** Format string; default `%(levelname)s:%(name)s:%(message)s` (or its `{` / `$` form). */
  format?: string;
  /** strftime format for `asctime`. */
  datefmt?: string | null;
  /** `%` (default), `{` or `$`. */
  style?: FormatStyle;
  /** Log to this file (a FileHandler) instead of a stream. */
  filename?: string;
  /** Mode for `filename`: `'a'` (default), `'w'` or `'x'`. */
  filemode?: string;
  /** Log to this stream: `'stderr'` (default), `'stdout'`, an fd or a Writable. */
  stream?: StreamTarget;
  /** Attach these handlers instead; those without a formatter get the format. */
  handlers?: Handler[];
  /** Remove and close the root's handlers first, so the call always configures. */
  force?: boolean;
  /** Encoding of `filename`: `utf-8` (default), `latin-1`, `ascii` or `utf-16-le`. */
  encoding?: string | null;
  /** Accepted as Python's is; Node writes characters an encoding lacks as `?` / U+FFFD. */
  errors?: string | null;
}

const KNOWN_OPTIONS: ReadonlySet<string> = new Set([
  'level',
  'format',
  'datefmt',
  'style',
  'filename',
  'filemode',
  'stream',
  'handlers',
  'force',
  'encoding',
  'errors',
]);

/** Python's `BASIC_FORMAT` per style. */
export const BASIC_FORMATS: Readonly<Record<FormatStyle, string>> = {
  '%': '%(levelname)s:%(name)s:%(message)s',
  '{': '{levelname}:{name}:{message}',
  $: '${levelname}:${name}:${message}',
};

/** Checks the options as CPython does, with its messages, without changing anything. */
function checkOptions(options: BasicConfigOptions): void {
  const unknown = Object.keys(options).filter((key) => !KNOWN_OPTIONS.has(key));
  if (unknown.length > 0) throw new Error(`Unrecognised argument(s): ${unknown.join(', ')}`);
  if (options.handlers !== undefined) {
    if (options.stream !== undefined || options.filename !== undefined)
      throw new Error("'stream' or 'filename' should not be specified together with 'handlers'");
    if (!Array.isArray(options.handlers)) throw new TypeError('handlers must be an array of handlers');
  } else if (options.stream !== undefined && options.filename !== undefined) {
    throw new Error("'stream' and 'filename' should not be specified together");
  }
  const style = options.style ?? '%';
  if (style !== '%' && style !== '{' && style !== '$') throw new Error('Style must be one of: %,{,$');
  if (options.format !== undefined) validateFormat(options.format, style);
  if (options.level !== undefined) checkLevel(options.level);
  if (options.filemode !== undefined) openFlags(options.filemode);
  if (options.encoding !== undefined) normalizeEncoding(options.encoding);
}

/**
 * Configures the root logger in one call, as Python's `logging.basicConfig(**kwargs)`. Returns
 * true when it configured, false when the root already had handlers (and `force` was not set).
 *
 * ```ts
 * basicConfig({ level: 'INFO' });  // INFO:app:started, on stderr
 * basicConfig({ filename: 'app.log', format: '%(asctime)s %(levelname)s %(name)s: %(message)s', force: true });
 * ```
 */
export function basicConfig(options: BasicConfigOptions = {}): boolean {
  checkOptions(options);
  const root = getRootLogger();
  if (options.force) {
    for (const handler of [...root.handlers]) {
      root.removeHandler(handler);
      (handler as { close?: () => void }).close?.();
    }
  }
  if (root.handlers.length > 0) return false;
  const style = options.style ?? '%';
  let handlers = options.handlers;
  if (handlers === undefined) {
    const handler = options.filename
      ? new FileHandler(options.filename, { mode: options.filemode ?? 'a', encoding: options.encoding ?? null })
      : new StreamHandler(options.stream ?? 'stderr');
    handlers = [handler];
  }
  const formatter = new Formatter(options.format ?? BASIC_FORMATS[style], options.datefmt ?? null, style);
  for (const handler of handlers) {
    if (handler.formatter === null) handler.setFormatter(formatter);
    root.addHandler(handler);
  }
  if (options.level !== undefined) root.setLevel(options.level);
  return true;
}
