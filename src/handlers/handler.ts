/**
 * The handler base class, as Python's `logging.Handler`: a level, filters, a formatter, and an
 * `emit` that subclasses implement. Errors while emitting are reported once on stderr and never
 * reach the application.
 */
import { Filterer } from '../core/filter.js';
import { NOTSET, checkLevel } from '../core/levels.js';
import { invalidateCallerNeed, type RecordHandler } from '../core/logger.js';
import type { LogRecord } from '../core/record.js';
import { pyRepr } from '../core/printf.js';
import { Formatter } from '../format/formatter.js';
import { pyTupleRepr } from '../format/fields.js';
import type { FormatContext, RecordFormatter } from '../format/types.js';

/** Renders a record when a handler has no formatter: Python's `Formatter()` (`%(message)s`, then the error). */
let defaultFormatter: RecordFormatter = new Formatter();

/** Sets the formatter used by handlers without one (default: Python's `Formatter()`, `%(message)s`). */
export function setDefaultFormatter(formatter: RecordFormatter): void {
  defaultFormatter = formatter;
}

/** @internal renders a record with the default formatter (the stderr last resort uses it). */
export function formatWithDefault(record: LogRecord): string {
  return defaultFormatter.format(record, NO_COLOR_CONTEXT);
}

/** Where `handleError` reports go; the stream module routes them through the fd-2 sink. */
let errorOutput: (text: string) => void = (text) => {
  process.stderr.write(text);
};

/** @internal sets where `handleError` writes its reports (text ends with a newline); returns the previous one. */
export function setErrorOutput(output: (text: string) => void): (text: string) => void {
  const previous = errorOutput;
  errorOutput = output;
  return previous;
}

const liveHandlers = new Set<Handler>();

/** Colour off: files, sockets and pipes, unless `FORCE_COLOR` says otherwise. */
export const NO_COLOR_CONTEXT: FormatContext = Object.freeze({ color: false });

/** Every handler created and not yet closed (Python's `_handlerList`), oldest first. */
export function getLiveHandlers(): Handler[] {
  return [...liveHandlers];
}

/** Returns `value` when it is an acceptable {@link Handler.terminator}, else throws a TypeError saying what is. */
export function checkTerminator(value: unknown): string {
  if (typeof value !== 'string') throw new TypeError(`terminator must be a string, not ${pyRepr(value)}`);

  if (value.length > 16 || /[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/.test(value)) {
    throw new TypeError(
      `terminator must be at most 16 characters without control characters other than \\n, \\r, \\t and NUL, not ${pyRepr(value)}`,
    );
  }
  return value;
}

/** Base class of every handler. */
export abstract class Handler extends Filterer implements RecordHandler {
  /** Name from configuration (`handler_<name>` / `handlers.<id>`), `null` otherwise. */
  name: string | null = null;
  level: number;
  /** True once `close()` has run. */
  closed = false;
  private reportedError = false;
  private currentFormatter: RecordFormatter | null = null;
  private lineEnd = '\n';

  /**
   * Where this handler writes (`stderr`, a file path, `udp://host:514`), as `status` and error
   * reports name it; undefined for a handler without a destination of its own.
   */
  get target(): string | undefined {
    return undefined;
  }

  constructor(level: number | string = NOTSET) {
    super();
    this.level = checkLevel(level);
    liveHandlers.add(this);
  }

  /** True when this handler's formatter needs caller fields. */
  get usesCaller(): boolean {
    return this.formatter?.usesCaller ?? false;
  }

  /**
   * What ends each record written (Python's `StreamHandler.terminator`, default `'\n'`), for the
   * stream and file handlers. At most 16 characters; no control characters other than `\n`, `\r`,
   * `\t` and NUL, so a configuration cannot send escape sequences to a terminal.
   */
  get terminator(): string {
    return this.lineEnd;
  }
  set terminator(value: string) {
    this.lineEnd = checkTerminator(value);
  }

  setLevel(level: number | string): void {
    this.level = checkLevel(level);
  }

  /**
   * The formatter (`null`: the default, `%(message)s`). Assigning it, as Python code does with
   * `handler.formatter = …`, is the same as {@link setFormatter}: loggers learn whether log calls
   * must now capture caller fields.
   */
  get formatter(): RecordFormatter | null {
    return this.currentFormatter;
  }
  set formatter(formatter: RecordFormatter | null) {
    this.currentFormatter = formatter;
    invalidateCallerNeed();
  }

  setFormatter(formatter: RecordFormatter | null): void {
    this.formatter = formatter;
  }

  /** Whether colour codes suit this handler's destination; stream handlers override it. */
  formatContext: FormatContext = NO_COLOR_CONTEXT;

  /** Renders a record with this handler's formatter (or the default). */
  format(record: LogRecord): string {
    return (this.formatter ?? defaultFormatter).format(record, this.formatContext);
  }

  /** Filters the record and emits it; an error in `emit` goes to `handleError`, never to the caller. */
  handle(record: LogRecord): boolean {
    if (this.filters.length > 0 && !this.filter(record)) return false;
    try {
      this.emit(record);
    } catch (error) {
      this.handleError(record, error);
    }
    return true;
  }

  /** Writes one record; subclasses implement it. */
  abstract emit(record: LogRecord): void;

  /** Pushes buffered output to its destination, synchronously. */
  flush(): void {}

  /** Flushes and releases resources; the handler emits nothing afterwards. */
  close(): void {
    this.closed = true;
    liveHandlers.delete(this);
  }

  /**
   * Python's `handleError`: reports the failure on stderr, with the record's message and
   * arguments, the first time it happens for this handler; logging carries on.
   */
  handleError(record: LogRecord | null, error: unknown): void {
    if (this.reportedError || process.env['LOGDIAL_RAISE_EXCEPTIONS'] === '0') return;
    this.reportedError = true;
    // Never throws: the report is built from values the application passed (a `toString` or a
    // getter may throw), and the failure it reports must not reach the application either.
    try {
      errorOutput(this.errorReport(record, error));
    } catch {
      // stderr itself is gone, or the values cannot even be described: nothing more to do.
    }
  }

  /** The text of a `handleError` report, with Python's `Message: 'bad %s'` / `Arguments: ('arg',)` lines. */
  private errorReport(record: LogRecord | null, error: unknown): string {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    let text = `--- Logging error ---\n${detail}\n`;
    // Name the destination too: write errors found while flushing a buffer have no record.
    const target = this.target;
    text += `Handler: ${this.constructor.name}${this.name ? ` (${this.name})` : ''}${target !== undefined ? ` -> ${target}` : ''}\n`;
    if (record) {
      try {
        text += `Message: ${pyRepr(record.msg)}\nArguments: ${pyTupleRepr(record.args)}\n`;
      } catch {
        text += 'Message: <unprintable>\n';
      }
    }
    return text + 'Further errors from this handler are not reported.\n';
  }

  /** @internal lets a subclass report errors again after it recovered. */
  protected resetErrorReport(): void {
    this.reportedError = false;
  }
}
