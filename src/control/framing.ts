/**
 * Frames as Python's `logging.config.listen` reads them: a 4-byte big-endian length, then that
 * many payload bytes. The decoder is incremental (bytes arrive in any split), bounded (a length
 * over the limit is an error before a single payload byte is buffered) and never copies the
 * buffered bytes more than once per frame.
 */

/** Default largest payload accepted: 1 MiB, far above any real logging config. */
export const DEFAULT_MAX_FRAME = 1024 * 1024;

/** A frame header announced more bytes than allowed. */
export class FrameTooLargeError extends Error {
  override name = 'FrameTooLargeError';
  constructor(
    readonly length: number,
    readonly limit: number,
  ) {
    super(`frame of ${length} bytes exceeds the limit of ${limit} bytes`);
  }
}

/** Prefixes `payload` with its 4-byte big-endian length. */
export function encodeFrame(payload: string | Uint8Array): Buffer {
  const body =
    typeof payload === 'string'
      ? Buffer.from(payload, 'utf8')
      : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  if (body.length > 0xffffffff) throw new RangeError('payload too large for a 4-byte length');
  const header = Buffer.allocUnsafe(4);
  header.writeUInt32BE(body.length, 0);
  return Buffer.concat([header, body]);
}

/**
 * Incremental frame decoder. `push(chunk)` returns the frames completed by that chunk; it throws
 * {@link FrameTooLargeError} as soon as a header announces more than `maxFrame` bytes, so memory
 * per connection stays below `maxFrame + chunk size`.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Payload length of the frame being read, or -1 while its header is incomplete. */
  private expected = -1;

  constructor(readonly maxFrame: number = DEFAULT_MAX_FRAME) {}

  /** Bytes held for an incomplete frame. */
  get pending(): number {
    return this.buffered;
  }

  /** True when part of a frame (header or payload) has been received. */
  get partial(): boolean {
    return this.buffered > 0 || this.expected >= 0;
  }

  push(chunk: Buffer): Buffer[] {
    const frames: Buffer[] = [];
    if (chunk.length === 0) return frames;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.expected < 0) {
        if (this.buffered < 4) break;
        const header = this.take(4);
        const length = header.readUInt32BE(0);
        if (length > this.maxFrame) {
          this.reset();
          throw new FrameTooLargeError(length, this.maxFrame);
        }
        this.expected = length;
      }
      if (this.buffered < this.expected) break;
      frames.push(this.take(this.expected));
      this.expected = -1;
    }
    return frames;
  }

  /** Forgets everything buffered. */
  reset(): void {
    this.chunks = [];
    this.buffered = 0;
    this.expected = -1;
  }

  /** Removes and returns the first `n` buffered bytes (n <= buffered). */
  private take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    const first = this.head();
    if (first.length >= n) {
      const out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      this.buffered -= n;
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let offset = 0;
    while (offset < n) {
      const head = this.head();
      const want = n - offset;
      if (head.length <= want) {
        head.copy(out, offset);
        offset += head.length;
        this.chunks.shift();
      } else {
        head.copy(out, offset, 0, want);
        this.chunks[0] = head.subarray(want);
        offset += want;
      }
    }
    this.buffered -= n;
    return out;
  }

  /** The first buffered chunk; there is one whenever take() is within `buffered`, as its callers ensure. */
  private head(): Buffer {
    const head = this.chunks[0];
    if (!head) throw new Error('FrameDecoder: took more bytes than are buffered (internal error)');
    return head;
  }
}

/**
 * A frame's total deadline. The idle timeout only catches silent peers; one that drips a byte a
 * second would hold its connection, and the partial frame's memory, for ever. Armed when a frame
 * starts, cleared when it completes, re-armed for the next: `onExpire` runs when one frame takes
 * longer than `ms` in all. The timer never keeps the process alive.
 */
export class FrameDeadline {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly ms: number,
    private readonly onExpire: () => void,
  ) {}

  /** After each chunk: `completed` frames were finished by it, `partial` tells whether one is still open. */
  update(completed: number, partial: boolean): void {
    if (completed > 0 || !partial) this.stop();
    if (partial && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.onExpire();
      }, this.ms);
      this.timer.unref();
    }
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
