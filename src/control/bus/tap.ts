/**
 * `tail` over the Redis bus: a tap at a logger and level whose records are published, in batches,
 * to the viewer's reply channel.
 *
 * Bounds: records waiting to be published (queued, and sent but not yet confirmed by Redis) take
 * at most `maxBuffer` bytes; beyond, records are dropped and counted (the count rides on every
 * later record and on the end frame), so a slow Redis or viewer costs a bounded buffer, never a
 * stall. One message carries at most {@link MAX_BATCH_BYTES}. The tap ends on expiry (an end
 * frame), when nobody listens on the viewer's channel any more (the viewer detached or died: its
 * connection, and with it its subscription, is gone), and when the endpoint closes.
 */
import { addRecordTap } from '../../core/logger.js';
import type { LogRecord } from '../../core/record.js';
import type { RecordTap } from '../../core/taps.js';
import { tapRecordFrame, type TapEndFrame, type TapRecordFrame } from '../tap.js';

/** Largest batch of frames in one published message. */
export const MAX_BATCH_BYTES = 256 * 1024;

/** What a tap needs of the bus. */
export interface BusTapLink {
  /** Publishes frames to the viewer; rejects when Redis did not take them. */
  publish(frames: Array<TapRecordFrame | TapEndFrame>): Promise<void>;
  /** Resolves false once nobody listens on the viewer's channel (null: cannot tell now). */
  listening(): Promise<boolean | null>;
  /** The tap is gone (for the endpoint's bookkeeping). */
  ended(): void;
}

export class BusTap implements RecordTap {
  dropped = 0;
  readonly withoutCaller = true;
  private queue: TapRecordFrame[] = [];
  private queuedBytes = 0;
  private inFlightBytes = 0;
  private flushScheduled = false;
  private detach: (() => void) | null = null;
  private expiry: NodeJS.Timeout | null = null;
  private check: NodeJS.Timeout | null = null;

  constructor(
    readonly logger: string,
    readonly level: number,
    private readonly maxBuffer: number,
    private readonly link: BusTapLink,
  ) {}

  /** Attaches the tap for `ttl` ms, asking every `checkMs` whether the viewer still listens. */
  start(ttl: number, checkMs: number): void {
    this.expiry = setTimeout(() => this.end('expired'), ttl);
    this.expiry.unref();
    this.check = setInterval(() => void this.checkViewer(), checkMs);
    this.check.unref();
    this.detach = addRecordTap(this);
  }

  get active(): boolean {
    return this.detach !== null;
  }

  deliver(record: LogRecord): void {
    const frame = tapRecordFrame(record, this.dropped);
    const bytes = frame.msg.length + (frame.exc?.length ?? 0) + frame.logger.length + 64;
    if (this.queuedBytes + this.inFlightBytes + bytes > this.maxBuffer) {
      this.dropped++;
      return;
    }
    this.queue.push(frame);
    this.queuedBytes += bytes;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Sends the end frame (after what is queued) and detaches. */
  end(reason: TapEndFrame['reason']): void {
    if (!this.stop()) return;
    this.flush();
    void this.send([{ tap: 'end', reason, dropped: this.dropped }], 0);
  }

  /** Detaches without a word (nobody listens); true the first time. */
  stop(): boolean {
    if (!this.detach) return false;
    this.detach();
    this.detach = null;
    if (this.expiry) clearTimeout(this.expiry);
    if (this.check) clearInterval(this.check);
    this.link.ended();
    return true;
  }

  private flush(): void {
    this.flushScheduled = false;
    while (this.queue.length > 0) {
      let size = 0;
      let count = 0;
      for (const frame of this.queue) {
        size += frame.msg.length + (frame.exc?.length ?? 0) + frame.logger.length + 64;
        count++;
        if (size >= MAX_BATCH_BYTES) break;
      }
      const batch = this.queue.splice(0, count);
      this.queuedBytes -= size;
      void this.send(batch, size);
    }
    if (this.queue.length === 0) this.queuedBytes = 0;
  }

  private async send(frames: Array<TapRecordFrame | TapEndFrame>, bytes: number): Promise<void> {
    this.inFlightBytes += bytes;
    try {
      await this.link.publish(frames);
    } catch {
      // Redis did not take them: they count as dropped, the tap goes on.
      this.dropped += frames.filter((f) => f.tap === 'record').length;
    } finally {
      this.inFlightBytes -= bytes;
    }
  }

  private async checkViewer(): Promise<void> {
    if ((await this.link.listening().catch(() => null)) === false) this.stop();
  }
}
