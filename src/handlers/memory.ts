/**
 * Python's `MemoryHandler`: keeps records in memory and passes them to a target handler when the
 * buffer is full, when a record at `flushLevel` or above arrives, or on `flush()`/`close()`.
 */
import { ERROR, checkLevel } from '../core/levels.js';
import { invalidateCallerNeed, type RecordHandler } from '../core/logger.js';
import type { LogRecord } from '../core/record.js';
import { Handler } from './handler.js';
import { ensureExitHooks } from './lifecycle.js';

/** Options of {@link MemoryHandler}. */
export interface MemoryHandlerOptions {
  /** Records at this level or above flush the buffer (default ERROR). */
  flushLevel?: number | string;
  /** The handler that receives the records (also settable later with `setTarget`). */
  target?: RecordHandler | null;
  /** Flush to the target on `close()` (default true). */
  flushOnClose?: boolean;
}

/**
 * Buffers up to `capacity` records for a target handler. As in Python, the target's `handle` is
 * called for each buffered record (its filters apply; its level does not, since handler levels
 * are checked by loggers). Unlike Python, a handler without a target keeps only the last
 * `capacity` records instead of growing without bound.
 *
 * At process exit (and on SIGTERM/SIGINT/SIGHUP when nobody else handles them) the buffer is
 * flushed to the target, as Python's `atexit` shutdown does.
 *
 * Note: `target` is the status string every handler has; the handler itself is `targetHandler`
 * (set it with the constructor's `target` option or `setTarget`).
 */
export class MemoryHandler extends Handler {
  readonly capacity: number;
  flushLevel: number;
  flushOnClose: boolean;
  private receiver: RecordHandler | null;
  /** Records waiting for the target. */
  buffer: LogRecord[] = [];

  constructor(capacity: number, options: MemoryHandlerOptions = {}) {
    super();
    if (!Number.isInteger(capacity) || capacity < 0)
      throw new RangeError(`capacity must be an integer >= 0, not ${capacity}`);
    this.capacity = capacity;
    this.flushLevel = checkLevel(options.flushLevel ?? ERROR);
    this.receiver = options.target ?? null;
    this.flushOnClose = options.flushOnClose ?? true;
    // At exit the buffer goes to the target, as with Python's atexit shutdown.
    ensureExitHooks();
  }

  /** `memory -> <target's target or name>`, or `memory` without a target. */
  override get target(): string {
    const t = this.targetHandler;
    if (!t) return 'memory';
    const inner =
      (t instanceof Handler ? t.target : undefined) ?? (t as { name?: string | null }).name ?? t.constructor.name;
    return `memory -> ${inner}`;
  }

  /** Caller fields are needed when this handler's or the target's formatter uses them. */
  override get usesCaller(): boolean {
    return (this.formatter?.usesCaller ?? false) || (this.targetHandler?.usesCaller ?? false);
  }

  /**
   * The receiving handler (Python's `target`). Assigning it is the same as {@link setTarget}:
   * loggers learn whether the new target's formatter needs caller fields.
   */
  get targetHandler(): RecordHandler | null {
    return this.receiver;
  }
  set targetHandler(target: RecordHandler | null) {
    this.receiver = target;
    invalidateCallerNeed();
  }

  /** Python's `setTarget`. */
  setTarget(target: RecordHandler | null): void {
    this.targetHandler = target;
  }

  /** Python's `shouldFlush`: the buffer is full or the record is at `flushLevel` or above. */
  shouldFlush(record: LogRecord): boolean {
    return this.buffer.length >= this.capacity || record.levelno >= this.flushLevel;
  }

  override emit(record: LogRecord): void {
    this.buffer.push(record);
    if (this.shouldFlush(record)) this.flush();
    // Without a target nothing drains the buffer: keep the newest `capacity` records.
    if (this.targetHandler === null && this.buffer.length > this.capacity)
      this.buffer.splice(0, this.buffer.length - this.capacity);
  }

  /** Sends the buffered records to the target (kept when there is none). */
  override flush(): void {
    const target = this.targetHandler;
    if (!target) return;
    const records = this.buffer;
    this.buffer = [];
    for (const record of records) {
      try {
        target.handle(record);
      } catch (error) {
        this.handleError(record, error);
      }
    }
  }

  /** Flushes (if `flushOnClose`), then drops the target and the buffer. */
  override close(): void {
    try {
      if (this.flushOnClose) this.flush();
    } finally {
      this.targetHandler = null;
      this.buffer = [];
      super.close();
    }
  }
}
