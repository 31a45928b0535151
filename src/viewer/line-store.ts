/**
 * The viewer's memory: the last `capacity` lines of output (older ones are dropped, so a chatty
 * child cannot grow the viewer without bound) and the current filter.
 */
import { stripAnsi } from './ansi.js';

/** A line as received, with its plain text for matching. */
export interface StoredLine {
  raw: string;
  plain: string;
}

/** A bounded line buffer with a regular-expression filter. */
export class LineStore {
  private readonly lines: StoredLine[] = [];
  private start = 0;
  private filter: RegExp | null = null;
  /** Lines received in total (including those dropped for capacity). */
  received = 0;

  constructor(readonly capacity = 10000) {}

  /** Adds a line; returns it with its plain text. */
  push(raw: string): StoredLine {
    const line = { raw, plain: stripAnsi(raw) };
    this.received++;
    if (this.lines.length < this.capacity) this.lines.push(line);
    else {
      this.lines[this.start] = line;
      this.start = (this.start + 1) % this.capacity;
    }
    return line;
  }

  /** Sets the filter from user input: a regular expression, or plain text when it is not one. */
  setFilter(pattern: string): void {
    if (pattern === '') {
      this.filter = null;
      return;
    }
    try {
      this.filter = new RegExp(pattern, 'i');
    } catch {
      this.filter = new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
    }
  }

  /** The filter's source, or '' when none. */
  get filterText(): string {
    return this.filter?.source ?? '';
  }

  matches(line: StoredLine): boolean {
    return this.filter === null || this.filter.test(line.plain);
  }

  /** The matching lines, oldest first, ending `skipFromEnd` matches before the newest; at most `count`. */
  tail(count: number, skipFromEnd = 0): StoredLine[] {
    const out: StoredLine[] = [];
    let skipped = 0;
    for (let i = this.lines.length - 1; i >= 0 && out.length < count; i--) {
      const line = this.lines[(this.start + i) % this.lines.length]!;
      if (!this.matches(line)) continue;
      if (skipped < skipFromEnd) {
        skipped++;
        continue;
      }
      out.push(line);
    }
    return out.reverse();
  }

  /** How many stored lines match the filter. */
  countMatching(): number {
    if (this.filter === null) return this.lines.length;
    let n = 0;
    for (const line of this.lines) if (this.matches(line)) n++;
    return n;
  }
}
