/**
 * Python's `StreamHandler`: stdout, stderr or an fd through the fast sink; any other Node
 * `Writable` through its own `write()`.
 */
import { WARNING } from '../core/levels.js';
import { setLastResort, type RecordHandler } from '../core/logger.js';
import type { Writable } from 'node:stream';
const { inspect } = process.getBuiltinModule('node:util');
import type { LogRecord } from '../core/record.js';
import { colorEnabledFor } from '../format/color.js';
import { Handler, formatWithDefault, setErrorOutput } from './handler.js';
import { type FdSink, removeSharedErrorListener, sharedFdSink } from './sink.js';

/** Bytes a plain Writable may hold unwritten; beyond it records are dropped (and reported once). */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

/** Where a {@link StreamHandler} writes: `'stdout'`, `'stderr'`, an fd number, or a Writable. */
export type StreamTarget = 'stdout' | 'stderr' | number | NodeJS.WritableStream;

/** The fd behind a Writable when it is the process's own stdout/stderr (written through the sink). */
function stdioFd(stream: NodeJS.WritableStream): number | undefined {
  const fd = (stream as { fd?: unknown }).fd;
  // Compare only when the fd says stdio, so we never create process.stdout needlessly.
  if (fd === 1 && stream === process.stdout) return 1;
  if (fd === 2 && stream === process.stderr) return 2;
  return undefined;
}

/**
 * Writes formatted records, one line each, to a stream (default stderr).
 * A plain Writable gets one `write()` per line; its errors go to `handleError`, and when more than
 * 4 MiB wait unwritten (a stream that stopped draining), records are dropped and reported once.
 *
 * stdout, stderr and fd numbers go through one shared {@link FdSink} per fd: buffered, line-atomic,
 * flushed on exit and signals. On a terminal each line is written at once; on pipes and files,
 * a `console.log` line may appear before log lines logged earlier in the same event-loop turn
 * (call `flush()` first when that order matters).
 * Colour (the format context) follows `colorEnabledFor(fd)`: a TTY, unless `NO_COLOR`; `FORCE_COLOR`.
 */
export class StreamHandler extends Handler {
  /** The fd written through the sink, or `undefined` for a plain Writable. */
  readonly fd: number | undefined;
  /** The Writable written to when there is no fd. */
  readonly stream: NodeJS.WritableStream | undefined;
  private fdSink: FdSink | undefined;
  private readonly errorListener = (error: unknown): void => this.handleError(null, error);
  private readonly label: string;

  constructor(stream: StreamTarget = 'stderr') {
    super();
    let fd: number | undefined;
    if (stream === 'stdout') fd = 1;
    else if (stream === 'stderr') fd = 2;
    else if (typeof stream === 'number') {
      if (!Number.isInteger(stream) || stream < 0) throw new TypeError(`invalid file descriptor: ${stream}`);
      fd = stream;
    } else if (stream && typeof stream.write === 'function') {
      fd = stdioFd(stream);
      if (fd === undefined) this.stream = stream;
    } else {
      throw new TypeError(
        `StreamHandler needs 'stdout', 'stderr', an fd or a writable stream, not ${inspect(stream, { depth: 0 })}`,
      );
    }
    this.fd = fd;
    this.label = fd === 1 ? 'stdout' : fd === 2 ? 'stderr' : fd !== undefined ? `fd:${fd}` : 'stream';
    if (fd !== undefined) {
      this.fdSink = sharedFdSink(fd, this.errorListener);
      this.formatContext = { color: colorEnabledFor(fd) };
    } else {
      // No fd to ask isatty(): colour only when FORCE_COLOR says so (isatty(-1) is false).
      this.formatContext = { color: colorEnabledFor(-1) };
      // A stream reports write errors (EPIPE, write after end) as 'error' events, which crash
      // the process when nobody listens: they go to handleError instead, as Python's emit does.
      this.stream!.on('error', this.errorListener);
    }
  }

  /** `stdout`, `stderr`, `fd:N`, or `stream` for a Writable. */
  override get target(): string {
    return this.label;
  }

  /** @internal the sink (for tests and diagnostics). */
  get sink(): FdSink | undefined {
    return this.fdSink;
  }

  override emit(record: LogRecord): void {
    const line = this.format(record);
    if (this.fdSink !== undefined) this.fdSink.write(line, this.terminator);
    else {
      const stream = this.stream!;
      // A stream that stops draining must not make the app's memory grow without bound.
      const queued = (stream as Partial<Writable>).writableLength ?? 0;
      if (queued > MAX_QUEUED_BYTES) throw new Error(`stream: ${queued} bytes waiting to be written; dropping records`);
      stream.write(line + this.terminator);
    }
  }

  override flush(): void {
    this.fdSink?.flush();
  }

  /** Flushes; the shared fd stays open (Python does not close the stream either). */
  override close(): void {
    if (this.closed) return;
    this.flush();
    if (this.fd !== undefined) removeSharedErrorListener(this.fd, this.errorListener);
    else this.stream!.removeListener('error', this.errorListener);
    super.close();
  }
}

/**
 * Python's `lastResort` (`_StderrHandler(WARNING)`): records that found no handler, rendered with
 * the default formatter, written through the same fd-2 sink as `StreamHandler('stderr')` so the
 * two keep their order on stderr. The sink is created at first use (no exit hooks before).
 */
export const stderrLastResort: RecordHandler = {
  level: WARNING,
  name: 'lastResort',
  handle(record: LogRecord): void {
    try {
      sharedFdSink(2).write(formatWithDefault(record));
    } catch {
      // Nowhere left to report to.
    }
  },
};

setLastResort(stderrLastResort);

// `handleError` reports go through the same sink: in order with stderr log lines, written at once,
// and a closed stderr (EPIPE) cannot turn a report into an unhandled 'error' event and a crash.
setErrorOutput((text) => {
  const sink = sharedFdSink(2);
  sink.write(text.endsWith('\n') ? text.slice(0, -1) : text);
  sink.flush();
});
