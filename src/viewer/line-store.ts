/**
 * The viewer's memory: every line received, oldest dropped first once the history would pass its
 * byte budget (so a chatty program or a huge file cannot grow the viewer without bound), and the
 * index of the lines the filters let through, kept up to date as lines arrive — filters and search
 * run over everything retained, and the view finds its lines without rescanning.
 *
 * Stored compactly, so the budget is what the history really takes: line texts as UTF-8 in one
 * ring of bytes (70% of the budget), everything else about a line in typed-array rings (30%,
 * {@link META_BYTES} a line). Nothing per line lives on the JavaScript heap, so the garbage
 * collector has no history to scan or free late; a line is decoded again when it is shown.
 *
 * Invariants: retained lines have consecutive sequence numbers, the oldest at `received - size`;
 * their texts lie in the ring in arrival order, each in one piece of at least one byte, none
 * overlapping; `shown` holds the increasing sequence numbers of retained lines the filters pass.
 */
import { Counts } from './analytics.js';
import { stripAnsi } from './ansi.js';
import { type FilterSet, lineLevel, type StreamName } from './filters.js';
import { type JsonFields, type LineParser, parseJsonLine, readableLine } from './json-lines.js';

/** A line as received. */
export interface StoredLine {
  seq: number;
  raw: string;
  /** The text without escape sequences (the same string when it had none). */
  plain: string;
  /** Characters cut from a very long line (0 when whole). */
  cut: number;
  level: number;
  stream: StreamName;
  /** Index of its source (0 for a single one). */
  source: number;
  /** When it arrived (ms since the epoch). */
  at: number;
  /** Its fields, when it is a JSON log line (then `raw` and `plain` are the readable form). */
  fields: JsonFields | null;
}

/** Bytes a retained line takes besides its text (offset, length, cut, stream, source, time, counted keys, index; rounded up). */
export const META_BYTES = 48;
const TEXT_SHARE = 0.7;

/**
 * The part of `--max-memory` the retained history may take: 40%; the rest is the runtime itself
 * (about 40 MB), its young generation of short-lived strings (up to about 60 MB) and read buffers
 * (measured: peak RSS in `npm run bench -- --only viewer`).
 */
export function historyBudget(maxMemory: number): number {
  return Math.floor(maxMemory * 0.4);
}

/** Buffer's own UTF-8 writer: `write` without its argument juggling, once per stored line. */
type Utf8Writable = Buffer & { utf8Write(text: string, offset: number, length: number): number };

export class LineStore {
  private readonly text: Buffer;
  private readonly capacity: number;
  /** Where the next text goes. */
  private tail = 0;
  private readonly slots: number;
  // Per-slot arrays of `slots` entries, always read at `seq % slots`: such reads are in range
  // (asserted with `!`, not checked, on every line drawn or dropped).
  private readonly starts: Uint32Array;
  private readonly lengths: Uint32Array;
  private readonly cuts: Float64Array;
  private readonly streams: Uint8Array;
  private readonly sources: Uint16Array;
  private readonly times: Float64Array;
  private readonly keyIds: Uint32Array;
  private readonly shownSeqs: Float64Array;
  private shownHead = 0;
  private shownTail = 0;
  private nextSeq = 0;
  private count = 0;
  private textBytes = 0;
  /** Lines dropped to stay within `maxBytes`. */
  dropped = 0;
  /** Counts per level, logger and process over the retained lines. */
  readonly counts = new Counts();

  constructor(
    readonly maxBytes: number,
    readonly filters: FilterSet,
    /** Fields of a line: JSON lines, and lines of a known logging format. */
    private readonly parse: LineParser = parseJsonLine,
  ) {
    this.capacity = Math.max(1024, Math.floor(maxBytes * TEXT_SHARE));
    this.text = Buffer.allocUnsafeSlow(this.capacity);
    const slots = (this.slots = Math.max(16, Math.floor((maxBytes * (1 - TEXT_SHARE)) / META_BYTES)));
    this.starts = new Uint32Array(slots);
    this.lengths = new Uint32Array(slots);
    this.cuts = new Float64Array(slots);
    this.streams = new Uint8Array(slots);
    this.sources = new Uint16Array(slots);
    this.times = new Float64Array(slots);
    this.keyIds = new Uint32Array(slots * 3);
    this.shownSeqs = new Float64Array(slots);
  }

  /** Bytes retained: the lines' texts and what is kept about each. */
  get bytes(): number {
    return this.textBytes + this.count * META_BYTES;
  }

  /** Lines received in total. */
  get received(): number {
    return this.nextSeq;
  }

  /** Lines retained. */
  get size(): number {
    return this.count;
  }

  /** Lines retained that the filters let through. */
  get shownCount(): number {
    return this.shownTail - this.shownHead;
  }

  /** Adds a line; returns it, and whether the filters let it through. */
  push(raw: string, cut: number, stream: StreamName, source: number): { line: StoredLine; shown: boolean } {
    const at = Date.now();
    const line = this.describe(this.nextSeq, raw, cut, stream, source, at);
    // One byte more than the text: every line has a place of its own in the ring.
    const length = Math.min(Buffer.byteLength(raw) + 1, this.capacity);
    const start = this.place(length);
    (this.text as Utf8Writable).utf8Write(raw, start, length - 1);
    const seq = this.nextSeq++;
    const slot = seq % this.slots;
    this.starts[slot] = start;
    this.lengths[slot] = length;
    this.cuts[slot] = cut;
    this.streams[slot] = stream === 'err' ? 1 : 0;
    this.sources[slot] = source;
    this.times[slot] = at;
    this.counts.add(line, this.keyIds, slot * 3, at);
    this.count++;
    this.textBytes += length;
    this.tail = start + length;
    const shown = this.filters.test(line);
    if (shown) this.shownSeqs[this.shownTail++ % this.slots] = seq;
    return { line, shown };
  }

  /** Where a text of `length` bytes goes, dropping the oldest lines until it fits. */
  private place(length: number): number {
    while (this.count >= this.slots) this.dropOldest();
    for (;;) {
      if (this.count === 0) return (this.tail = 0);
      const head = this.starts[this.firstSeq % this.slots]!;
      if (head >= this.tail) {
        // The live texts wrap around the end (or fill the ring): the room is between tail and head.
        if (this.tail + length <= head) return this.tail;
      } else if (this.tail + length <= this.capacity) return this.tail;
      else if (length <= head) return 0;
      this.dropOldest();
    }
  }

  private get firstSeq(): number {
    return this.nextSeq - this.count;
  }

  private dropOldest(): void {
    const seq = this.firstSeq;
    const slot = seq % this.slots;
    this.textBytes -= this.lengths[slot]!;
    this.counts.remove(this.keyIds, slot * 3);
    this.count--;
    this.dropped++;
    if (this.shownHead < this.shownTail && this.shownSeqs[this.shownHead % this.slots] === seq) this.shownHead++;
  }

  /** A line's text, fields and level, as stored and as shown. */
  private describe(seq: number, raw: string, cut: number, stream: StreamName, source: number, at: number): StoredLine {
    let plain = raw.includes('\x1b') ? stripAnsi(raw) : raw;
    const fields = cut === 0 ? this.parse(plain) : null;
    if (fields?.kind === 'json') raw = plain = readableLine(fields);
    const level = fields ? fields.rank : lineLevel(plain);
    return { seq, raw, plain, cut, level, stream, source, at, fields };
  }

  /** Recomputes which lines are shown (after the filters changed): one pass over what is retained. */
  refilter(): void {
    this.shownHead = this.shownTail = 0;
    for (let seq = this.firstSeq; seq < this.nextSeq; seq++) {
      if (this.filters.test(this.bySeq(seq)!)) this.shownSeqs[this.shownTail++ % this.slots] = seq;
    }
  }

  /** The line with this sequence number, if retained (decoded from the ring). */
  bySeq(seq: number): StoredLine | undefined {
    if (seq < this.firstSeq || seq >= this.nextSeq || !Number.isInteger(seq)) return undefined;
    const slot = seq % this.slots;
    const start = this.starts[slot]!;
    const raw = this.text.toString('utf8', start, start + this.lengths[slot]! - 1);
    const stream = this.streams[slot] ? 'err' : 'out';
    return this.describe(seq, raw, this.cuts[slot]!, stream, this.sources[slot]!, this.times[slot]!);
  }

  private shownSeqAt(index: number): number {
    return this.shownSeqs[(this.shownHead + index) % this.slots]!;
  }

  /** The `index`-th shown line (0 is the oldest retained). */
  shownAt(index: number): StoredLine | undefined {
    if (index < 0 || index >= this.shownCount) return undefined;
    return this.bySeq(this.shownSeqAt(index));
  }

  /** Index among shown lines of the first one with `seq` at or after the given one. */
  shownIndexOf(seq: number): number {
    let lo = 0;
    let hi = this.shownCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.shownSeqAt(mid) < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The shown lines, oldest first. */
  *shown(): IterableIterator<StoredLine> {
    for (let i = 0; i < this.shownCount; i++) yield this.shownAt(i)!;
  }
}
