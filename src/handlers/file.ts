/**
 * Python's `FileHandler`: appends (or truncates, mode 'w') a file and writes through the sink.
 */
const { constants, openSync } = process.getBuiltinModule('node:fs');
import { resolve } from 'node:path';
import type { LogRecord } from '../core/record.js';
import { Handler } from './handler.js';
import { FdSink, type SinkEncoding, normalizeEncoding } from './sink.js';

/** Options of {@link FileHandler} (Python's `mode`, `encoding`, `delay`). */
export interface FileHandlerOptions {
  /** `'a'` append (default) or `'w'` truncate at open; `'x'` fails if the file exists. `b`/`t`/`+` are ignored. */
  mode?: string;
  /** `utf-8` (default), `latin-1`, `ascii` or `utf-16-le`. */
  encoding?: string | null;
  /** Open the file at the first record instead of now. */
  delay?: boolean;
}

/** open(2) flags for a Python mode string. Every mode appends, so concurrent writers never overwrite. */
export function openFlags(mode: string): number {
  const base = constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND;
  const kind = mode.replace(/[bt+]/g, '');
  if (kind === 'a') return base;
  if (kind === 'w') return base | constants.O_TRUNC;
  if (kind === 'x') return base | constants.O_EXCL;
  throw new Error(`invalid mode '${mode}' for a log file (use 'a', 'w' or 'x')`);
}

/**
 * Writes formatted records to a file. `baseFilename` is the absolute path, as in Python.
 * Open errors are thrown by the constructor (unless `delay`), so configuration fails early;
 * write errors (disk full, …) are reported once on stderr and logging carries on.
 */
export class FileHandler extends Handler {
  /** Absolute path of the file. */
  readonly baseFilename: string;
  mode: string;
  readonly encoding: SinkEncoding;
  readonly delay: boolean;
  /** The open file's sink; `null` before the first record when `delay`, and after `close()`. */
  protected fileSink: FdSink | null = null;
  private wasClosed = false;

  constructor(filename: string, options: FileHandlerOptions = {}) {
    super();
    if (typeof filename !== 'string' || filename === '') throw new TypeError('FileHandler needs a file name');
    this.baseFilename = resolve(filename);
    this.mode = options.mode ?? 'a';
    openFlags(this.mode); // validate now
    this.encoding = normalizeEncoding(options.encoding);
    this.delay = options.delay ?? false;
    if (!this.delay) this.fileSink = this.open();
  }

  /** The file's absolute path. */
  override get target(): string {
    return this.baseFilename;
  }

  /** @internal the sink (for tests and diagnostics). */
  get sink(): FdSink | null {
    return this.fileSink;
  }

  /** Opens the file (Python's `_open`) and returns a sink on it; throws on failure. */
  protected open(): FdSink {
    const fd = this.openFd();
    const sink = new FdSink(fd, {
      encoding: this.encoding,
      ownsFd: true,
      onError: (error) => this.handleError(null, error),
    });
    this.opened(fd);
    return sink;
  }

  /** open(2)s the file with the handler's mode; throws on failure. */
  protected openFd(): number {
    return openSync(this.baseFilename, openFlags(this.mode), 0o666);
  }

  /** Called after the file was opened on `fd` (subclasses record size or identity). */
  protected opened(_fd: number): void {}

  /** The sink, opening the file first when delayed (or reopened after close, like Python). */
  protected ensureSink(): FdSink | null {
    if (this.fileSink) return this.fileSink;
    // Python: a closed handler reopens on emit, except mode 'w' (that would truncate again).
    if (this.wasClosed && this.mode.startsWith('w')) return null;
    this.fileSink = this.open();
    return this.fileSink;
  }

  override emit(record: LogRecord): void {
    const line = this.format(record);
    const sink = this.fileSink ?? this.ensureSink();
    if (sink) sink.write(line, this.terminator);
  }

  override flush(): void {
    this.fileSink?.flush();
  }

  /** Flushes and closes the file. */
  override close(): void {
    const sink = this.fileSink;
    this.fileSink = null;
    this.wasClosed = true;
    sink?.close();
    super.close();
  }
}
