/**
 * Python's `logging.Formatter`: `%`, `{` or `$` style, validated at construction, compiled once,
 * with Python's default asctime (`2020-10-15 18:47:04,825`, local time) and the error's stack
 * appended after the message.
 */
const { inspect } = process.getBuiltinModule('node:util');
import { printf } from '../core/printf.js';
import { CALLER_FIELDS, type LogRecord } from '../core/record.js';
import { FormatError } from './errors.js';
import { strftime } from './strftime.js';
import {
  type CompiledFormat,
  DEFAULT_FORMATS,
  type FormatStyle,
  compileFormat,
  formatUsesTime,
  render,
  validateFormat,
} from './styles.js';
import type { FormatContext, RecordFormatter } from './types.js';

const DEFAULT_MSEC_FORMAT = '%s,%03d';

/** A record as the formatter reads it: `stack_info` may be set by whoever builds the record. */
type RecordWithStack = LogRecord & { stack_info?: string | null };

/**
 * Renders records as text, like Python's `logging.Formatter(fmt, datefmt, style, validate, defaults=)`.
 *
 * ```ts
 * new Formatter('%(asctime)s %(levelname)-8s %(name)s: %(message)s');
 * new Formatter('{levelname:>8} {name:.3} {message!r}', undefined, '{');
 * new Formatter('$name ${levelname}: $message', undefined, '$');
 * ```
 *
 * Field names are Python's (`levelname`, `funcName`, `processName`, …); any other name is taken
 * from the record's structured fields (Python's `extra=`), then from `defaults`. A format naming
 * a field the record does not have makes `format()` throw `Formatting field not found in record: 'x'`,
 * which the handler reports through `handleError`.
 */
export class Formatter implements RecordFormatter {
  /** The format string in use (Python's `_fmt`): the style's default when none was given. */
  readonly fmt: string;
  /** strftime format for `asctime`; empty or null gives Python's default with milliseconds. */
  datefmt: string | null;
  readonly style: FormatStyle;
  /** Values for fields a record lacks (Python's `defaults=`). */
  readonly defaults: Readonly<Record<string, unknown>> | undefined;
  /** True when the format uses `module`, `funcName`, `filename`, `pathname` or `lineno`. */
  readonly usesCaller: boolean;
  /** Python's `default_time_format`, used when there is no `datefmt`. */
  defaultTimeFormat = '%Y-%m-%d %H:%M:%S';
  /** Python's `default_msec_format` (`%s,%03d`); null drops the milliseconds. */
  defaultMsecFormat: string | null = DEFAULT_MSEC_FORMAT;
  /** Render times in UTC (Python's `converter = time.gmtime`) instead of local time. */
  utc = false;
  /** The compiled format. */
  protected readonly compiled: CompiledFormat;
  private readonly timeNeeded: boolean;
  // strftime output only changes once a second: keep the last one.
  private cachedSecond = Number.NaN;
  private cachedPattern = '';
  private cachedUtc = false;
  private cachedTime = '';

  /**
   * @param fmt format string; empty or omitted means `%(message)s` (`{message}`, `${message}`)
   * @param datefmt strftime format for `asctime`
   * @param style `%`, `{` or `$`
   * @param validate check the format now, with Python's rules (throws {@link FormatError})
   * @param defaults values for fields the record does not have
   */
  constructor(
    fmt?: string | null,
    datefmt?: string | null,
    style: FormatStyle = '%',
    validate = true,
    defaults?: Record<string, unknown> | null,
  ) {
    if (style !== '%' && style !== '{' && style !== '$') throw new FormatError('Style must be one of: %,{,$');
    this.style = style;
    this.fmt = fmt || DEFAULT_FORMATS[style];
    this.datefmt = datefmt ?? null;
    this.defaults = defaults ? { ...defaults } : undefined;
    if (validate) validateFormat(this.fmt, style);
    this.compiled = compileFormat(this.fmt, style, this.defaults);
    this.usesCaller = this.compiled.fields.some((field) => CALLER_FIELDS.has(field));
    this.timeNeeded = formatUsesTime(this.fmt, style);
  }

  /** Python's `usesTime()`: whether `format()` sets `record.asctime`. */
  usesTime(): boolean {
    return this.timeNeeded;
  }

  /** Renders the record, then its error's stack and `stack_info` on the following lines. */
  format(record: LogRecord, _context?: FormatContext): string {
    return this.formatWith(this.compiled, record);
  }

  /** Python's `format()` body, for one compiled variant of the format (the colour formatter has several). */
  protected formatWith(compiled: CompiledFormat, record: LogRecord): string {
    // As Python sets record.message first: resolving the message may also find the record's error.
    record.getMessage();
    if (this.timeNeeded) record.asctime = this.formatTime(record, this.datefmt);
    let text = render(compiled, record);
    if (record.exc && !record.exc_text) record.exc_text = this.formatException(record.exc);
    if (record.exc_text) {
      if (text[text.length - 1] !== '\n') text += '\n';
      text += record.exc_text;
    }
    const stack = (record as RecordWithStack).stack_info;
    if (stack) {
      if (text[text.length - 1] !== '\n') text += '\n';
      text += this.formatStack(String(stack));
    }
    return text;
  }

  /** Python's `formatMessage()`: the format applied to the record, without exception text. */
  formatMessage(record: LogRecord): string {
    return render(this.compiled, record);
  }

  /**
   * Python's `formatTime()`: `strftime(datefmt)` of `record.created` when `datefmt` is set (no
   * milliseconds), else `2020-10-15 18:47:04,825`. Local time unless {@link utc}.
   */
  formatTime(record: LogRecord, datefmt?: string | null): string {
    const second = Math.floor(record.created);
    const pattern = datefmt || this.defaultTimeFormat;
    let base: string;
    if (second === this.cachedSecond && pattern === this.cachedPattern && this.utc === this.cachedUtc) {
      base = this.cachedTime;
    } else {
      base = strftime(pattern, second * 1000, this.utc);
      this.cachedSecond = second;
      this.cachedPattern = pattern;
      this.cachedUtc = this.utc;
      this.cachedTime = base;
    }
    if (datefmt) return base;
    const msecFormat = this.defaultMsecFormat;
    if (!msecFormat) return base;
    if (msecFormat === DEFAULT_MSEC_FORMAT) {
      const ms = Math.trunc(record.msecs);
      return base + (ms < 10 ? ',00' : ms < 100 ? ',0' : ',') + ms;
    }
    return printf(msecFormat, [base, record.msecs]).text;
  }

  /** Python's `formatException()`: the error's stack, with its cause and own properties. */
  formatException(error: Error): string {
    if (!(error instanceof Error)) return String(error);
    return inspect(error, { depth: 3, colors: false });
  }

  /** Python's `formatStack()`: the stack text as it is. */
  formatStack(stackInfo: string): string {
    return stackInfo;
  }
}
