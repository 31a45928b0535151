/**
 * The fast, lossless fd writer every fd-backed handler writes through.
 *
 * Lines are appended to an in-memory string (one concatenation per line) and written with
 * `fs.writeSync` when the buffer passes a threshold, on the next `setImmediate`, or at exit. Each
 * `write(2)` carries only whole lines: at most 4096 bytes on pipes, FIFOs, sockets and TTYs, so
 * that lines from several processes sharing a pipe never interleave mid-line (POSIX `PIPE_BUF`
 * atomicity; a single longer line is written alone), and up to 64 KiB on regular files and other
 * devices. We do not use sonic-boom because its chunking can split a line across two writes.
 * On a terminal every line is written at once (someone is reading). Elsewhere, shared sinks on
 * fds 1 and 2 keep their order with `console.log` and other writes through `process.stdout` /
 * `process.stderr`, which flush the pending lines first (stdio-order.ts).
 *
 * Failure policy: `EAGAIN` (libuv sets `O_NONBLOCK` on a stdout/stderr pipe or TTY once
 * `process.stdout` is touched — in every process sharing it) waits briefly and retries, so nothing
 * is lost (a reader that stops reading blocks the writer, as a blocking write would); `EPIPE` (the reader went away, `node app | head -1`) silently drops this and
 * all further output; any other error (`ENOSPC`, `EACCES`, `EBADF`, …) drops the failed data and
 * is passed to `onError` (the handler's Python-style `handleError`, which reports once).
 * Memory is bounded by the threshold plus one line.
 */
// `fs.writeSync` is looked up at each write (tests replace it to observe the write(2) boundary).
const fs = process.getBuiltinModule('node:fs');
const { closeSync, fstatSync } = fs;
import { trackSink, untrackSink, isExiting } from './lifecycle.js';
import { guardStdioOrder } from './stdio-order.js';

/** Text encodings a sink can write (Node names; see {@link normalizeEncoding}). */
export type SinkEncoding = 'utf8' | 'latin1' | 'ascii' | 'utf16le';

/** Largest write that POSIX guarantees is atomic on a pipe (`PIPE_BUF` on Linux). */
export const PIPE_CHUNK = 4096;
/** Chunk size for regular files and devices where atomicity across processes is not at stake. */
export const FILE_CHUNK = 64 * 1024;
/** Buffered characters that trigger a synchronous flush during a burst of log calls. */
const FLUSH_THRESHOLD = 32 * 1024;
/** Largest buffer a sink keeps for reuse between flushes (a longer flush gets one of its own). */
const MAX_REUSED_BYTES = 1024 * 1024;
/** Longest single sleep while a non-blocking fd reports `EAGAIN`. */
const MAX_BACKOFF_MS = 20;

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
/** Blocks the thread for `ms` milliseconds (the write must finish before we return). */
function sleep(ms: number): void {
  Atomics.wait(sleepCell, 0, 0, ms);
}

/**
 * Maps Python and Node encoding names onto the ones a sink supports
 * (`'utf-8'`, `'UTF8'` → `utf8`; `'latin-1'`, `'iso-8859-1'` → `latin1`; `'utf-16-le'` → `utf16le`).
 * Throws on anything else, so configuration fails at build time rather than at the first line.
 */
export function normalizeEncoding(encoding: string | null | undefined): SinkEncoding {
  if (encoding === undefined || encoding === null || encoding === '') return 'utf8';
  const key = encoding.toLowerCase().replace(/[-_\s]/g, '');
  switch (key) {
    case 'utf8':
    case 'u8':
    case 'locale':
      return 'utf8';
    case 'latin1':
    case 'iso88591':
    case 'l1':
    case 'binary':
    case 'cp819':
      return 'latin1';
    case 'ascii':
    case 'usascii':
      return 'ascii';
    case 'utf16le':
    case 'ucs2':
      return 'utf16le';
    default:
      throw new Error(`unsupported encoding '${encoding}' (supported: utf-8, latin-1, ascii, utf-16-le)`);
  }
}

/** Options of an {@link FdSink}. */
export interface FdSinkOptions {
  /** Encoding of the written bytes (default `utf8`). */
  encoding?: SinkEncoding;
  /** Receives write errors other than `EAGAIN`/`EPIPE`; the failed data is dropped. */
  onError?: (error: unknown) => void;
  /** Close the fd in {@link FdSink.close} (true for files the sink's owner opened). */
  ownsFd?: boolean;
  /** Largest single write; by default 4096 for pipes/sockets/TTYs and 64 KiB otherwise. */
  chunkSize?: number;
}

function isTerminal(fd: number): boolean {
  try {
    return process.getBuiltinModule('node:tty').isatty(fd);
  } catch {
    return false;
  }
}

/** Chooses the write size for an fd: PIPE_BUF where atomicity between writers matters. */
export function chunkSizeFor(fd: number): number {
  try {
    const stat = fstatSync(fd);
    if (stat.isFile()) return FILE_CHUNK;
    if (stat.isCharacterDevice() && !isTerminal(fd)) return FILE_CHUNK; // /dev/null, /dev/full
  } catch {
    // Unknown: be safe.
  }
  return PIPE_CHUNK;
}

/** A buffered, synchronous, line-atomic writer on one file descriptor. */
export class FdSink {
  /** The file descriptor written to (-1 once closed). */
  fd: number;
  /** Largest single `write(2)` (whole lines only; a longer line is written alone). */
  chunkSize: number;
  readonly encoding: SinkEncoding;
  /** True after `EPIPE`: output is dropped from then on. */
  broken = false;
  closed = false;
  private buffer = '';
  private threshold = FLUSH_THRESHOLD;
  private scheduled = false;
  /** Reused for encoding flushes (see {@link encode}); `writing` while its bytes are being written. */
  private reused: Buffer | null = null;
  private writing = false;
  private readonly ownsFd: boolean;
  private readonly onError: ((error: unknown) => void) | undefined;
  private readonly newlineWidth: number;
  private readonly flushSoon = (): void => {
    this.scheduled = false;
    this.flush();
  };

  constructor(fd: number, options: FdSinkOptions = {}) {
    this.fd = fd;
    this.encoding = options.encoding ?? 'utf8';
    this.newlineWidth = this.encoding === 'utf16le' ? 2 : 1;
    this.ownsFd = options.ownsFd ?? false;
    this.onError = options.onError;
    this.chunkSize = options.chunkSize ?? chunkSizeFor(fd);
    // After `exit` began nothing runs later: write through. On a terminal, a person is reading:
    // write each line at once (like Python), so it interleaves correctly with console.log.
    if (isExiting() || isTerminal(fd)) this.threshold = 0;
    trackSink(this);
  }

  /** Characters buffered and not yet written. */
  get pending(): number {
    return this.buffer.length;
  }

  /**
   * @internal The sink of the other stdio fd when both are one file (`2>&1`): its pending lines
   * are written before this sink takes a line, so the two keep their order.
   */
  sibling: FdSink | null = null;

  /** Appends one line and its terminator (a newline by default) and writes when the buffer is full. */
  write(line: string, terminator = '\n'): void {
    if (this.broken) return; // EPIPE: nobody reads
    if (this.sibling !== null && this.sibling.buffer.length > 0) this.sibling.flush();
    this.buffer += line + terminator;
    if (this.buffer.length >= this.threshold) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushSoon);
    }
  }

  /** Makes every later `write` go straight to the fd (used once the process is exiting). */
  writeThrough(): void {
    this.threshold = 0;
  }

  /** Called before buffered lines are written (the watched-file handler checks its path there). */
  beforeWrite: (() => void) | null = null;

  /** Writes everything buffered, synchronously. Never throws. */
  flush(): void {
    if (this.buffer.length === 0) return;
    if (this.beforeWrite !== null && !this.broken) {
      try {
        this.beforeWrite();
      } catch (error) {
        // flush() runs from setImmediate and exit hooks: an error here would crash the app.
        this.onError?.(error);
      }
    }
    const text = this.buffer;
    this.buffer = '';
    if (this.broken || this.fd < 0) return;
    const nested = this.writing;
    const bytes = this.encode(text);
    this.writing = true;
    try {
      this.writeLines(bytes);
    } finally {
      this.writing = nested;
    }
  }

  /** Writes whole lines of `bytes`, at most a chunk at a time (a longer line alone). */
  private writeLines(bytes: Buffer): void {
    const chunk = this.chunkSize;
    const end = bytes.length;
    let offset = 0;
    while (offset < end) {
      let stop = end;
      if (end - offset > chunk) {
        const cut = this.lastNewline(bytes, offset, offset + chunk);
        if (cut >= 0) stop = cut + this.newlineWidth;
        else {
          // One line longer than a chunk: written alone (no other line shares its writes).
          const next = this.nextNewline(bytes, offset + chunk);
          stop = next < 0 ? end : next + this.newlineWidth;
        }
      }
      if (!this.writeRange(bytes, offset, stop)) return;
      offset = stop;
    }
  }

  /**
   * `text` encoded, in the sink's reused buffer when it fits (valid until the next flush).
   * Perf (bench/profile.ts, string2k): a new buffer per flush cost its allocation and the garbage
   * collections its external memory triggers. A flush nested in another (an error handler that
   * logs through this sink) encodes into a buffer of its own: the outer one's bytes stay intact.
   */
  private encode(text: string): Buffer {
    const most = text.length * 3; // bytes per UTF-16 code unit: at most 3 in UTF-8, 2 in UTF-16LE, 1 in Latin-1
    if (most > MAX_REUSED_BYTES || this.writing) return Buffer.from(text, this.encoding);
    let reused = this.reused;
    if (reused === null || reused.length < most)
      reused = this.reused = Buffer.allocUnsafeSlow(Math.max(4096, 2 ** Math.ceil(Math.log2(most))));
    return reused.subarray(0, reused.write(text, 0, this.encoding));
  }

  /**
   * Points the sink at another fd (rotation, reopen after logrotate): writes what is buffered to
   * the old fd first, then closes the old fd if the sink owned it.
   */
  replaceFd(fd: number): void {
    this.flush();
    this.closeFd();
    this.fd = fd;
    this.broken = false;
    this.chunkSize = chunkSizeFor(fd);
  }

  /** Points the sink at another fd without writing the buffer first (it goes to the new fd). */
  swapFd(fd: number): void {
    this.closeFd();
    this.fd = fd;
    this.broken = false;
    this.chunkSize = chunkSizeFor(fd);
  }

  /** Flushes, closes the fd if owned, and stops tracking the sink. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closeFd();
    this.fd = -1;
    this.closed = true;
    untrackSink(this);
  }

  private closeFd(): void {
    if (!this.ownsFd || this.fd < 0) return;
    try {
      closeSync(this.fd);
    } catch (error) {
      this.onError?.(error);
    }
  }

  /** Index of the last newline starting in [from, to), or -1. */
  private lastNewline(bytes: Buffer, from: number, to: number): number {
    if (this.newlineWidth === 1) {
      const i = bytes.lastIndexOf(10, to - 1);
      return i >= from ? i : -1;
    }
    // UTF-16LE: a newline is the code unit 0x000A at an even offset.
    for (let i = (to - 2) & ~1; i >= from; i -= 2) if (bytes[i] === 10 && bytes[i + 1] === 0) return i;
    return -1;
  }

  /** Index of the first newline at or after `from`, or -1. */
  private nextNewline(bytes: Buffer, from: number): number {
    if (this.newlineWidth === 1) return bytes.indexOf(10, from);
    for (let i = from & ~1; i + 1 < bytes.length; i += 2) if (bytes[i] === 10 && bytes[i + 1] === 0) return i;
    return -1;
  }

  /** Writes bytes[start, stop) completely; false when the rest of this flush must be dropped. */
  private writeRange(bytes: Buffer, start: number, stop: number): boolean {
    let position = start;
    let backoff = 1;
    while (position < stop) {
      try {
        position += fs.writeSync(this.fd, bytes, position, stop - position);
        backoff = 1;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK') {
          // The reader is slow and the fd is non-blocking: wait like a blocking write would.
          sleep(backoff);
          backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
          continue;
        }
        if (code === 'EINTR') continue;
        if (code === 'EPIPE') {
          // Nobody reads any more (`| head -1`): drop quietly from now on, never crash or report.
          this.broken = true;
          this.buffer = '';
          return false;
        }
        this.onError?.(error);
        return false;
      }
    }
    return true;
  }
}

const sharedSinks = new Map<number, FdSink>();

/** Links the shared stdout and stderr sinks when fds 1 and 2 are one file (`2>&1`). */
function linkStdioSiblings(): void {
  const out = sharedSinks.get(1);
  const err = sharedSinks.get(2);
  if (out === undefined || err === undefined) return;
  let same = false;
  try {
    const a = fstatSync(1);
    const b = fstatSync(2);
    same = a.dev === b.dev && a.ino === b.ino;
  } catch {
    // Unknown: leave them apart.
  }
  out.sibling = same ? err : null;
  err.sibling = same ? out : null;
}

/** Writes the pending lines of the shared stdout and stderr sinks (both: `2>&1` is one pipe). */
function flushStdioSinks(): void {
  const out = sharedSinks.get(1);
  if (out !== undefined && out.pending > 0) out.flush();
  const err = sharedSinks.get(2);
  if (err !== undefined && err.pending > 0) err.flush();
}

// console.log / process.stdout.write write the pending lines first. Installed at load, so that it
// is in place before the application first touches the streams.
guardStdioOrder(1, flushStdioSinks);
guardStdioOrder(2, flushStdioSinks);

/**
 * The process-wide sink for an fd the library does not own (1, 2 or an fd passed by the app):
 * handlers writing to the same fd share it, so their lines keep their order.
 */
export function sharedFdSink(fd: number, onError?: (error: unknown) => void): FdSink {
  let sink = sharedSinks.get(fd);
  if (!sink || sink.closed) {
    sink = new FdSink(fd, { ownsFd: false, onError: (error) => reportShared(fd, error) });
    sharedSinks.set(fd, sink);
    linkStdioSiblings();
  }
  if (onError) addSharedErrorListener(fd, onError);
  return sink;
}

const sharedErrorListeners = new Map<number, Set<(error: unknown) => void>>();

function addSharedErrorListener(fd: number, listener: (error: unknown) => void): void {
  let set = sharedErrorListeners.get(fd);
  if (!set) sharedErrorListeners.set(fd, (set = new Set()));
  set.add(listener);
}

/** @internal a handler on a shared fd stops receiving its errors (on close). */
export function removeSharedErrorListener(fd: number, listener: (error: unknown) => void): void {
  sharedErrorListeners.get(fd)?.delete(listener);
}

function reportShared(fd: number, error: unknown): void {
  // Report through the first handler still attached, so the report happens once.
  const listeners = sharedErrorListeners.get(fd);
  const first = listeners?.values().next().value;
  if (first) first(error);
}
