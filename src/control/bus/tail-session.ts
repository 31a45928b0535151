/**
 * The viewer's side of `tail` over the bus: the answers and record frames of every endpoint a
 * `tail` was sent to, on a reply channel of its own (so detaching is unsubscribing from it).
 */
import type { TailReply, TapEndFrame, TapRecordFrame } from '../tap.js';
import type { TapMessage } from './wire.js';

/** A running tail over the bus. */
export interface BusTailSession {
  /** Each answering endpoint's answer (`ok` when its tap started), by endpoint id. */
  readonly replies: ReadonlyMap<string, TailReply>;
  /** Endpoints the tail was sent to that did not answer in time. */
  readonly missing: string[];
  /**
   * Each endpoint's end frame once it came, by endpoint id: its `dropped` is the tap's final count
   * (records dropped after the last record frame are counted there only).
   */
  readonly ends: ReadonlyMap<string, TapEndFrame>;
  /** Resolves once every started tap has sent its end frame (or the session was closed). */
  readonly ended: Promise<void>;
  /** Detaches: the endpoints see nobody listening and remove their taps. */
  close(): Promise<void>;
}

/** Collects one tail's tap messages. */
export class TailListener {
  readonly replies = new Map<string, TailReply>();
  readonly ends = new Map<string, TapEndFrame>();
  readonly answered: Promise<void>;
  readonly ended: Promise<void>;
  private readonly open = new Set<string>();
  private allAnswered: () => void = () => undefined;
  private allEnded: () => void = () => undefined;

  constructor(
    private readonly expected: ReadonlySet<string>,
    private readonly onRecord: (frame: TapRecordFrame, endpoint: string) => void,
  ) {
    this.answered = new Promise<void>((resolve) => (this.allAnswered = resolve));
    this.ended = new Promise<void>((resolve) => (this.allEnded = resolve));
    if (expected.size === 0) this.allAnswered();
  }

  take(message: TapMessage): void {
    const { endpoint, reply, frames } = message;
    if (!this.expected.has(endpoint)) return;
    if (reply && !this.replies.has(endpoint)) {
      this.replies.set(endpoint, reply);
      if (reply.ok) this.open.add(endpoint);
      if (this.replies.size === this.expected.size) this.allAnswered();
    }
    for (const frame of frames ?? []) {
      if (frame.tap === 'record') {
        this.onRecord(frame, endpoint);
        continue;
      }
      if (!this.open.delete(endpoint)) continue;
      this.ends.set(endpoint, frame);
      if (this.open.size === 0) this.allEnded();
    }
  }

  /** After the answers are in (or the wait is over): nothing open means nothing to wait for. */
  settle(): void {
    if (this.open.size === 0) this.allEnded();
  }

  missing(): string[] {
    return [...this.expected].filter((endpoint) => !this.replies.has(endpoint));
  }

  close(): void {
    this.open.clear();
    this.allEnded();
  }
}
