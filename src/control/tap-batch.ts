/**
 * A socket tap's batch: record frames encoded straight into one reusable staging buffer (length
 * prefix and JSON, the same bytes as `encodeFrame(JSON.stringify(tapRecordFrame(…)))`), taken out
 * as one exact-size buffer per socket write. Per record: one string and one copy into the buffer;
 * no frame object, no per-record Buffer.
 *
 * Bounds: the staging buffer grows to hold what is staged (callers take a batch once it passes
 * their flush size) and shrinks back to {@link INITIAL_BYTES} when a taken batch left it larger
 * than {@link KEEP_BYTES}.
 */
import type { LogRecord } from '../core/record.js';

/** Longest message text (and stack) sent per record: the rest is cut and marked. */
export const MAX_MESSAGE = 64 * 1024;
const INITIAL_BYTES = 64 * 1024;
const KEEP_BYTES = 256 * 1024;

/** The JSON text of a record frame: what `JSON.stringify(tapRecordFrame(record, dropped))` gives. */
export function tapRecordJson(record: LogRecord, dropped: number, head = recordHead(record)): string {
  const message = record.getMessage();
  const msg =
    message.length > MAX_MESSAGE
      ? `${message.slice(0, MAX_MESSAGE)} … [${message.length - MAX_MESSAGE} more characters]`
      : message;
  const stack = record.exc?.stack;
  const exc = stack ? `,"exc":${JSON.stringify(stack.slice(0, MAX_MESSAGE))}` : '';
  return `{"tap":"record","t":${Math.round(record.created * 1000)}${head}${JSON.stringify(msg)},"dropped":${dropped}${exc}}`;
}

/** The level and logger part of a record frame, up to the message's value. */
function recordHead(record: LogRecord): string {
  return `,"level":${JSON.stringify(record.levelname)},"logger":${JSON.stringify(record.name)},"msg":`;
}

export class TapBatch {
  private buffer = Buffer.allocUnsafe(INITIAL_BYTES);
  private used = 0;
  /** The encoded level and logger parts by level number, for the last logger seen. */
  private lastName = '';
  private heads = new Map<number, string>();

  /** Bytes staged. */
  get bytes(): number {
    return this.used;
  }

  /** Stages one record frame. */
  add(record: LogRecord, dropped: number): void {
    if (record.name !== this.lastName || this.heads.size > 64) {
      this.lastName = record.name;
      this.heads = new Map();
    }
    let head = this.heads.get(record.levelno);
    if (head === undefined) this.heads.set(record.levelno, (head = recordHead(record)));
    this.addJson(tapRecordJson(record, dropped, head));
  }

  /** Stages one frame whose payload is `json`. */
  addJson(json: string): void {
    // At most 3 bytes per UTF-16 unit (a surrogate pair is 4 bytes for 2 units).
    const worst = 4 + json.length * 3;
    if (this.used + worst > this.buffer.length) this.grow(this.used + worst);
    const length = this.buffer.write(json, this.used + 4, 'utf8');
    this.buffer.writeUInt32BE(length, this.used);
    this.used += 4 + length;
  }

  /** The staged frames as one buffer of their own (null when none); the staging starts over. */
  take(): Buffer | null {
    if (this.used === 0) return null;
    const out = Buffer.allocUnsafe(this.used);
    this.buffer.copy(out, 0, 0, this.used);
    this.used = 0;
    if (this.buffer.length > KEEP_BYTES) this.buffer = Buffer.allocUnsafe(INITIAL_BYTES);
    return out;
  }

  private grow(needed: number): void {
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const bigger = Buffer.allocUnsafe(size);
    this.buffer.copy(bigger, 0, 0, this.used);
    this.buffer = bigger;
  }
}
