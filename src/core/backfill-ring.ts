/**
 * A ring of the last N records: what a trigger's backfill keeps of the records below the level.
 *
 * Invariants: never holds more than `capacity` records; `drain()` returns them oldest first and
 * leaves the ring empty; the backing array grows with use up to `capacity`, so a ring that sees
 * few records costs few slots. Records are kept as made (arguments unformatted).
 */
import type { LogRecord } from './record.js';

/** Most records one ring may keep (a configuration asking for more is refused). */
export const MAX_BACKFILL = 100_000;

export class BackfillRing {
  private readonly slots: Array<LogRecord | undefined> = [];
  /** Index of the oldest record when full; the next write position. */
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_BACKFILL)
      throw new RangeError(`backfill capacity must be an integer from 1 to ${MAX_BACKFILL}, got ${capacity}`);
  }

  /** Records held now. */
  get size(): number {
    return this.count;
  }

  /** Keeps `record`, dropping the oldest when full. */
  push(record: LogRecord): void {
    if (this.slots.length < this.capacity) {
      this.slots.push(record);
      this.count = this.slots.length;
      return;
    }
    this.slots[this.next] = record;
    this.next = this.next + 1 === this.capacity ? 0 : this.next + 1;
    this.count = this.capacity;
  }

  /** The records held, oldest first; the ring is empty afterwards (its slots released). */
  drain(): LogRecord[] {
    const out: LogRecord[] = [];
    const full = this.slots.length === this.capacity;
    const start = full ? this.next : 0;
    for (let i = 0; i < this.slots.length; i++) {
      const record = this.slots[(start + i) % this.slots.length];
      if (record !== undefined) out.push(record);
    }
    this.slots.length = 0;
    this.next = 0;
    this.count = 0;
    return out;
  }
}
