/**
 * The viewer's memory: every line received, oldest dropped first once the total passes `maxBytes`
 * (so a chatty program or a huge file cannot grow the viewer without bound), and the index of the
 * lines the filters let through, kept up to date as lines arrive — filters and search run over
 * everything retained, and the view finds its lines without rescanning.
 *
 * Invariants: retained lines are in arrival order with consecutive sequence numbers; `shownSeqs`
 * holds increasing sequence numbers of retained lines only; `bytes` is the sum of the retained
 * lines' estimated sizes, and exceeds `maxBytes` only while a single line is retained.
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

/** Estimated memory of a line: its strings (two bytes a character) and the object around them. */
function lineBytes(line: StoredLine): number {
  // A parsed JSON object takes about twice its text again.
  return (
    2 * (line.raw.length + (line.plain === line.raw ? 0 : line.plain.length)) +
    (line.fields ? 4 * line.raw.length : 0) +
    120
  );
}

/**
 * The part of `--max-memory` the retained lines may take by the estimate: half, since the
 * runtime's heap holds garbage and slack beside live lines (measured: `npm run bench -- --only viewer`).
 */
export function historyBudget(maxMemory: number): number {
  return Math.floor(maxMemory / 2);
}

/** Compacts an array with a consumed prefix once the prefix is at least half of it. */
function compact<T>(items: T[], head: number): number {
  if (head < 4096 || head * 2 < items.length) return head;
  items.splice(0, head);
  return 0;
}

export class LineStore {
  private readonly lines: StoredLine[] = [];
  private head = 0;
  private readonly shownSeqs: number[] = [];
  private shownHead = 0;
  private nextSeq = 0;
  /** Estimated bytes retained. */
  bytes = 0;
  /** Lines dropped to stay within `maxBytes`. */
  dropped = 0;
  /** Counts per level, logger and process over the retained lines. */
  readonly counts = new Counts();

  constructor(
    readonly maxBytes: number,
    readonly filters: FilterSet,
    /** Fields of a line: JSON lines, and lines of a known logging format. */
    private readonly parse: LineParser = parseJsonLine,
  ) {}

  /** Lines received in total. */
  get received(): number {
    return this.nextSeq;
  }

  /** Lines retained. */
  get size(): number {
    return this.lines.length - this.head;
  }

  /** Lines retained that the filters let through. */
  get shownCount(): number {
    return this.shownSeqs.length - this.shownHead;
  }

  /** Adds a line; returns it, and whether the filters let it through. */
  push(raw: string, cut: number, stream: StreamName, source: number): { line: StoredLine; shown: boolean } {
    let plain = raw.includes('\x1b') ? stripAnsi(raw) : raw;
    const fields = cut === 0 ? this.parse(plain) : null;
    if (fields?.kind === 'json') raw = plain = readableLine(fields);
    const level = fields ? fields.rank : lineLevel(plain);
    const line: StoredLine = { seq: this.nextSeq++, raw, plain, cut, level, stream, source, at: Date.now(), fields };
    this.lines.push(line);
    this.bytes += lineBytes(line);
    this.counts.add(line, 1);
    const shown = this.filters.test(line);
    if (shown) this.shownSeqs.push(line.seq);
    while (this.bytes > this.maxBytes && this.size > 1) this.dropOldest();
    return { line, shown };
  }

  private dropOldest(): void {
    const old = this.lines[this.head]!;
    this.lines[this.head++] = undefined as unknown as StoredLine;
    this.bytes -= lineBytes(old);
    this.counts.add(old, -1);
    this.dropped++;
    if (this.shownHead < this.shownSeqs.length && this.shownSeqs[this.shownHead] === old.seq) this.shownHead++;
    this.head = compact(this.lines, this.head);
    this.shownHead = compact(this.shownSeqs, this.shownHead);
  }

  /** Recomputes which lines are shown (after the filters changed): one pass over what is retained. */
  refilter(): void {
    this.shownSeqs.length = 0;
    this.shownHead = 0;
    for (let i = this.head; i < this.lines.length; i++) {
      const line = this.lines[i]!;
      if (this.filters.test(line)) this.shownSeqs.push(line.seq);
    }
  }

  /** The line with this sequence number, if retained. */
  bySeq(seq: number): StoredLine | undefined {
    const first = this.lines[this.head]?.seq ?? 0;
    return this.lines[this.head + seq - first];
  }

  /** The `index`-th shown line (0 is the oldest retained). */
  shownAt(index: number): StoredLine | undefined {
    if (index < 0 || index >= this.shownCount) return undefined;
    return this.bySeq(this.shownSeqs[this.shownHead + index]!);
  }

  /** Index among shown lines of the first one with `seq` at or after the given one. */
  shownIndexOf(seq: number): number {
    let lo = this.shownHead;
    let hi = this.shownSeqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.shownSeqs[mid]! < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo - this.shownHead;
  }

  /** Index among shown lines of the first one that arrived at or after `time` (ms since the epoch). */
  shownIndexAtTime(time: number): number {
    let lo = 0;
    let hi = this.shownCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.shownAt(mid)!.at < time) lo = mid + 1;
      else hi = mid;
    }
    return Math.min(lo, Math.max(0, this.shownCount - 1));
  }

  /** The shown lines, oldest first. */
  *shown(): IterableIterator<StoredLine> {
    for (let i = 0; i < this.shownCount; i++) yield this.shownAt(i)!;
  }
}
