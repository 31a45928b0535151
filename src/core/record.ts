/**
 * A log record: one event, with the fields Python's `LogRecord` has. Built only when the level is
 * enabled; its message is formatted once, on first use, by whichever handler needs it first.
 */
import { type CallerInfo, describeCallSite } from './caller.js';
import { levelName } from './levels.js';
import { currentContext } from './context.js';
import { bareFormatOf, printf, renderBare } from './printf.js';
import { getProcessName, getThreadName, threadId } from './process-info.js';

const loadedAt = Date.now();
/** Perf: `process.pid` is an accessor costing ~10 ns per read; a process's pid never changes. */
const pid = process.pid;

/**
 * Reads the trace context (OpenTelemetry span ids) active at a log call; installed by the format
 * layer once a formatter writes span ids, so a record carries the span of its call even when it
 * is formatted later (a MemoryHandler's flush). Unset, records capture nothing and pay one test.
 * `null`: captured, no active span.
 */
let traceCapture: (() => object | null) | undefined;

/** @internal Installs the capture of the trace context at each record's creation (format/trace-context.ts). */
export function setTraceCapture(capture: (() => object | null) | undefined): void {
  traceCapture = capture;
}

/** Reads a record's captured trace context (set in the class's static block: the field is private). */
let readTrace: (record: LogRecord) => object | null | undefined;

/** @internal The trace context captured at `record`'s creation: `undefined` when none was captured. */
export function capturedTrace(record: LogRecord): object | null | undefined {
  return readTrace(record);
}

/** Plain objects (not arrays, errors, dates, class instances) become structured fields. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** One log event. Field names follow Python's `LogRecord`. */
export class LogRecord {
  /** Logger name (`''` shows as `root`). */
  readonly name: string;
  readonly levelno: number;
  readonly levelname: string;
  /** The message as passed: usually a printf-style format string. */
  msg: unknown;
  /** Message arguments as passed. */
  args: readonly unknown[];
  /** Seconds since the epoch, as Python's `created`. */
  readonly created: number;
  /** Millisecond part of `created`. */
  readonly msecs: number;
  /** Milliseconds since logdial was loaded. */
  readonly relativeCreated: number;
  readonly process: number;
  readonly processName: string;
  readonly thread: number;
  readonly threadName: string;
  /** Set by a formatter that uses it. */
  asctime: string | undefined = undefined;
  /** The error whose stack is appended, like Python's `exc_info`. */
  exc: Error | undefined = undefined;
  /** Cached rendering of `exc`, like Python's `exc_text`. */
  exc_text: string | undefined = undefined;
  /**
   * True on a record emitted late by a trigger's backfill (core/triggers.ts); absent otherwise.
   * Declared only: no field is stored on the records that never need it.
   */
  declare backfill?: boolean;
  /** Call site captured at the log call when an active formatter needs caller fields. */
  callSite: NodeJS.CallSite | undefined = undefined;
  private resolvedMessage: string | undefined = undefined;
  private structured: Record<string, unknown> | undefined = undefined;
  private caller: CallerInfo | undefined = undefined;
  // Private names: a format field or a filter's attribute of the same name never meets them.
  readonly #bindings: Readonly<Record<string, unknown>> | undefined;
  readonly #context: Readonly<Record<string, unknown>> | undefined;
  readonly #trace: object | null | undefined;

  static {
    readTrace = (record) => record.#trace;
  }

  /**
   * `fields` are the call's own structured fields; `bindings` those of the child logger it was
   * made on (core/child.ts). The request context (core/context.ts) is read here, at the call, and
   * so is the trace context when a formatter asked for it.
   */
  constructor(
    name: string,
    levelno: number,
    msg: unknown,
    args: readonly unknown[],
    exc?: Error,
    fields?: Record<string, unknown>,
    bindings?: Readonly<Record<string, unknown>>,
  ) {
    this.name = name === '' ? 'root' : name;
    this.levelno = levelno;
    this.levelname = levelName(levelno);
    this.msg = msg;
    this.args = args;
    const now = Date.now();
    this.created = now / 1000;
    this.msecs = now % 1000;
    this.relativeCreated = now - loadedAt;
    this.process = pid;
    this.processName = getProcessName();
    this.thread = threadId;
    this.threadName = getThreadName();
    if (exc) this.exc = exc;
    if (fields) this.structured = fields;
    this.#bindings = bindings;
    this.#context = currentContext();
    this.#trace = traceCapture === undefined ? undefined : traceCapture();
  }

  /**
   * The message with its arguments applied, as Python's `getMessage()`. Arguments that no
   * placeholder consumed are not lost: an `Error` becomes `exc` (the one already there is not
   * repeated), a plain object becomes structured fields, anything else is appended after a space
   * (as Node's `util.format` does). An object or `Error` first, then a string, is pino's order:
   * `log.info({ user }, 'logged in %s', x)`, `log.error(err, 'saving %s failed', id)`.
   */
  getMessage(): string {
    if (this.resolvedMessage !== undefined) return this.resolvedMessage;
    let msg = this.msg;
    let args = this.args;
    if (isPlainObject(msg) && typeof args[0] === 'string') {
      this.addFields(msg);
      msg = args[0];
      args = args.slice(1);
    } else if (msg instanceof Error) {
      this.exc ??= msg;
      if (typeof args[0] === 'string') {
        msg = args[0];
        args = args.slice(1);
      } else msg = msg.message;
    } else if (isPlainObject(msg) && args.length === 0) {
      this.addFields(msg);
      msg = '';
    }
    let text = typeof msg === 'string' ? msg : String(msg);
    let rest = 0;
    if (args.length > 0) {
      // A message without `%` (a template string followed by fields) consumes no argument and is
      // neither parsed nor kept among the split formats.
      if (text.includes('%')) {
        const bare = bareFormatOf(text);
        const joined = bare === null ? undefined : renderBare(bare, args);
        if (bare !== null && joined !== undefined) {
          text = joined;
          rest = bare.types.length;
        } else {
          const result = printf(text, args);
          text = result.text;
          rest = result.consumed;
        }
      }
      for (let i = rest; i < args.length; i++) {
        const extra = args[i];
        if (extra instanceof Error && (this.exc === undefined || this.exc === extra)) this.exc = extra;
        else if (isPlainObject(extra)) this.addFields(extra);
        else text += ' ' + (typeof extra === 'string' ? extra : printf('%s', [extra]).text);
      }
    }
    if (this.#bindings !== undefined || this.#context !== undefined) this.mergeScoped();
    this.resolvedMessage = text;
    return text;
  }

  /**
   * Context < bindings < the call's fields, merged once per record. One source alone is used as
   * it is (no copy): an enabled call through a child allocates nothing more than the record.
   */
  private mergeScoped(): void {
    const own = this.structured;
    const bound = this.#bindings;
    const context = this.#context;
    if (context === undefined && own === undefined) this.structured = bound;
    else if (bound === undefined && own === undefined) this.structured = context;
    else this.structured = { ...context, ...bound, ...own };
  }

  /** The message once resolved; set for formatters, like Python's `record.message`. */
  get message(): string {
    return this.getMessage();
  }

  /**
   * Every structured field of the record, merged: request context < child-logger bindings <
   * the call's own fields (plain-object arguments, `logWith`'s `fields`), a later source winning
   * a key. Computed once; `undefined` when there are none. Read-only: it may be a child's
   * bindings object itself.
   */
  get fields(): Readonly<Record<string, unknown>> | undefined {
    if (this.resolvedMessage === undefined) this.getMessage();
    return this.structured;
  }

  /** The bindings of the child logger the call was made on (`undefined` when none). */
  get bindings(): Readonly<Record<string, unknown>> | undefined {
    return this.#bindings;
  }

  /** The request context active at the call ({@link withContext}; `undefined` when none). */
  get context(): Readonly<Record<string, unknown>> | undefined {
    return this.#context;
  }

  private addFields(obj: Record<string, unknown>): void {
    this.structured = this.structured ? { ...this.structured, ...obj } : obj;
  }

  /** @internal Sets the caller fields directly (a marked call site whose fields are known). */
  useCaller(info: CallerInfo): void {
    this.caller = info;
  }

  /** Caller fields; computed from the call site on first use. */
  get callerInfo(): CallerInfo {
    return (this.caller ??= describeCallSite(this.callSite));
  }
  get pathname(): string {
    return this.callerInfo.pathname;
  }
  get filename(): string {
    return this.callerInfo.filename;
  }
  get module(): string {
    return this.callerInfo.module;
  }
  get funcName(): string {
    return this.callerInfo.funcName;
  }
  get lineno(): number {
    return this.callerInfo.lineno;
  }
}

/** Fields whose value needs a stack capture at the log call (the caller getters of {@link LogRecord}). */
export const CALLER_FIELDS: ReadonlySet<string> = new Set(['module', 'funcName', 'filename', 'pathname', 'lineno']);
