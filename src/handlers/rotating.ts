/**
 * Python's `RotatingFileHandler` (size based: app.log → app.log.1 … app.log.N) and the
 * `namer`/`rotator` hooks of `BaseRotatingHandler`.
 */
const { existsSync, fstatSync, renameSync, statSync, unlinkSync } = process.getBuiltinModule('node:fs');
import type { LogRecord } from '../core/record.js';
import { FileHandler, type FileHandlerOptions } from './file.js';
import { claimRotation, releaseRotation } from './rotation-owner.js';

/**
 * Shared by the size and time rotating handlers: Python's `rotation_filename` / `rotate` hooks.
 */
export abstract class BaseRotatingHandler extends FileHandler {
  /** Maps a default rotated name to the one used (Python's `namer`); `null` keeps it. */
  namer: ((defaultName: string) => string) | null = null;
  /** Moves the current file to its rotated name (Python's `rotator`); `null` renames. */
  rotator: ((source: string, dest: string) => void) | null = null;

  /** Python's `rotation_filename`. */
  rotationFilename(defaultName: string): string {
    return this.namer ? this.namer(defaultName) : defaultName;
  }

  /** Python's `rotate`: renames `source` to `dest` if it exists (it may not, with `delay`). */
  rotate(source: string, dest: string): void {
    if (this.rotator) this.rotator(source, dest);
    else if (existsSync(source)) renameSync(source, dest);
  }

  /** True when the record must go to a fresh file. */
  abstract shouldRollover(record: LogRecord, line: string): boolean;

  /** Closes the current file, renames/removes files, opens a new one (unless `delay`). */
  abstract doRollover(): void;

  #claimed = false;

  /**
   * Claims the file's rotation for this process (see `rotation-owner.ts`); throws, closing the
   * file, when another live process rotates it.
   */
  protected claimRotation(): void {
    try {
      claimRotation(this.baseFilename);
      this.#claimed = true;
    } catch (error) {
      super.close();
      throw error;
    }
  }

  override close(): void {
    super.close();
    if (this.#claimed) releaseRotation(this.baseFilename);
    this.#claimed = false;
  }

  /** Closes the current sink before a rollover (its buffered lines go to the old file). */
  protected closeForRollover(): void {
    const sink = this.fileSink;
    this.fileSink = null;
    sink?.close();
  }

  override emit(record: LogRecord): void {
    const line = this.format(record);
    if (this.shouldRollover(record, line)) this.doRollover();
    const sink = this.fileSink ?? this.ensureSink();
    if (sink) sink.write(line, this.terminator);
  }
}

/** Options of {@link RotatingFileHandler}. */
export interface RotatingFileHandlerOptions extends FileHandlerOptions {
  /** Roll over before a line would make the file reach this size; 0 (default) never rolls over. */
  maxBytes?: number;
  /** Rotated files kept (`app.log.1` … `app.log.N`); 0 (default) means no rollover, as in Python. */
  backupCount?: number;
}

/**
 * Rolls the file over when the next line would make it reach `maxBytes` (counted in bytes,
 * including lines still buffered). Like Python 3.13, an empty file never rolls over (a single
 * huge line goes into it) and neither does anything other than a regular file (`/dev/null`).
 */
export class RotatingFileHandler extends BaseRotatingHandler {
  readonly maxBytes: number;
  readonly backupCount: number;
  // Set by opened(), which the base constructor calls before field initializers would run (an
  // initializer would reset the size of an existing file to 0 and let it grow past maxBytes).
  /** Bytes in the current file, including buffered lines. */
  declare private size: number;
  declare private regularFile: boolean;

  constructor(filename: string, options: RotatingFileHandlerOptions = {}) {
    const maxBytes = options.maxBytes ?? 0;
    const backupCount = options.backupCount ?? 0;
    if (!Number.isFinite(maxBytes) || maxBytes < 0) throw new RangeError(`maxBytes must be >= 0, not ${maxBytes}`);
    if (!Number.isInteger(backupCount) || backupCount < 0)
      throw new RangeError(`backupCount must be an integer >= 0, not ${backupCount}`);
    // Python: with rotation on, 'w' would truncate the previous run's log; append instead.
    super(filename, { ...options, mode: maxBytes > 0 ? 'a' : (options.mode ?? 'a') });
    this.maxBytes = maxBytes;
    this.backupCount = backupCount;
    this.size ??= 0;
    this.regularFile ??= true;
    if (maxBytes > 0 && backupCount > 0) this.claimRotation();
  }

  protected override opened(fd: number): void {
    const stat = fstatSync(fd);
    this.size = stat.size;
    this.regularFile = stat.isFile();
  }

  override shouldRollover(_record: LogRecord, line: string): boolean {
    if (this.fileSink === null) this.ensureSink();
    return this.wouldOverflow(Buffer.byteLength(line, this.encoding) + 1);
  }

  private wouldOverflow(bytes: number): boolean {
    return (
      this.maxBytes > 0 &&
      this.backupCount > 0 &&
      this.size > 0 &&
      this.regularFile &&
      this.size + bytes >= this.maxBytes
    );
  }

  override emit(record: LogRecord): void {
    const line = this.format(record);
    let sink = this.fileSink ?? this.ensureSink();
    if (this.maxBytes > 0) {
      // One byte count per line, only when rotation is on.
      const bytes = Buffer.byteLength(line + this.terminator, this.encoding);
      if (this.wouldOverflow(bytes)) {
        this.doRollover();
        sink = this.fileSink ?? this.ensureSink();
      }
      this.size += bytes;
    }
    sink?.write(line, this.terminator);
  }

  override doRollover(): void {
    this.closeForRollover();
    if (this.backupCount > 0) {
      for (let i = this.backupCount - 1; i > 0; i--) {
        const source = this.rotationFilename(`${this.baseFilename}.${i}`);
        const dest = this.rotationFilename(`${this.baseFilename}.${i + 1}`);
        if (existsSync(source)) {
          if (existsSync(dest)) unlinkSync(dest);
          renameSync(source, dest);
        }
      }
      const dest = this.rotationFilename(`${this.baseFilename}.1`);
      if (existsSync(dest)) unlinkSync(dest);
      this.rotate(this.baseFilename, dest);
    }
    this.size = 0;
    if (!this.delay) this.fileSink = this.open();
  }
}

/** True when `path` exists and is not a regular file (Python never rolls those over). */
export function isSpecialFile(path: string): boolean {
  try {
    return !statSync(path).isFile();
  } catch {
    return false;
  }
}
