/**
 * Splits decoded text into lines in linear time, whatever the line lengths: a partial line is kept
 * as a list of pieces joined once, never re-concatenated per chunk, and it is capped at `maxLine`
 * characters — the rest of a longer line is counted (and reported as `cut`), not kept, so a
 * 100 MB line without a newline costs `maxLine` of memory.
 *
 * A carriage return not followed by a newline overwrites the line, as on a terminal: a `\r`
 * progress bar becomes its last state, one line. `\r\n` is a plain line end.
 *
 * With `candidates` (a global, multiline regex that matches somewhere in every line the caller
 * wants, see {@link candidateRegex}), whole lines of a chunk are searched at once and only lines
 * where it matches are emitted: a 1% filter then costs one regex scan of the text, not a split.
 */

/** Receives each complete line and how many characters were cut from its end. */
export type LineSink = (text: string, cut: number) => void;

export class LineSplitter {
  private parts: string[] = [];
  private size = 0;
  private cut = 0;
  /** The previous chunk ended with `\r`: overwrite, unless this chunk starts with `\n`. */
  private pendingReturn = false;

  constructor(
    private readonly maxLine: number,
    private readonly onLine: LineSink,
    private readonly candidates: RegExp | null = null,
  ) {}

  /** Feeds a chunk of text; calls the sink for every line it completes. */
  push(chunk: string): void {
    this.pushLines(this.candidates && !this.pendingReturn ? this.scan(chunk, this.candidates) : chunk);
  }

  /**
   * Emits the candidate lines among the chunk's complete lines after its first newline; returns
   * what is left for the line-by-line path (the first line, completing a partial one, goes first).
   * Chunks with carriage returns or escapes take the line-by-line path whole.
   */
  private scan(chunk: string, regex: RegExp): string {
    const first = chunk.indexOf('\n');
    const last = chunk.lastIndexOf('\n');
    if (first === last || chunk.includes('\r') || chunk.includes('\x1b')) return chunk;
    this.pushLines(chunk.slice(0, first + 1));
    regex.lastIndex = first + 1;
    for (let match = regex.exec(chunk); match && match.index < last; match = regex.exec(chunk)) {
      const start = chunk.lastIndexOf('\n', match.index - 1) + 1;
      const end = chunk.indexOf('\n', match.index);
      const length = end - start;
      if (length > this.maxLine) this.onLine(chunk.slice(start, start + this.maxLine), length - this.maxLine);
      else this.onLine(chunk.slice(start, end), 0);
      regex.lastIndex = end + 1;
    }
    return chunk.slice(last + 1);
  }

  private pushLines(chunk: string): void {
    // The next carriage return at or after `start` (Infinity: none left); each is found once.
    let nextReturn = indexOrInfinity(chunk, '\r', 0);
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf('\n', start);
      const end = newline < 0 ? chunk.length : newline;
      if (nextReturn < end || this.pendingReturn) {
        nextReturn = this.addWithReturns(chunk, start, end, newline >= 0, nextReturn);
      } else this.add(chunk, start, end);
      if (newline < 0) return;
      this.emit();
      start = newline + 1;
    }
  }

  /** Emits what is left as a last line (end of input). */
  end(): void {
    if (this.size > 0 || this.cut > 0) this.emit();
    this.pendingReturn = false;
  }

  private add(chunk: string, start: number, end: number): void {
    if (end <= start) return;
    const room = this.maxLine - this.size;
    if (room <= 0) {
      this.cut += end - start;
      return;
    }
    const take = Math.min(room, end - start);
    this.parts.push(start === 0 && take === chunk.length ? chunk : chunk.slice(start, start + take));
    this.size += take;
    this.cut += end - start - take;
  }

  /** Like {@link add}, with carriage returns in [start, end); returns the next one after `end`. */
  private addWithReturns(chunk: string, start: number, end: number, terminated: boolean, nextReturn: number): number {
    if (this.pendingReturn) {
      this.pendingReturn = false;
      if (end > start) this.reset();
    }
    let stop = end;
    if (stop > start && chunk.charCodeAt(stop - 1) === 13) {
      stop--;
      if (!terminated) this.pendingReturn = true;
    }
    let from = start;
    let r = nextReturn;
    for (; r < stop; r = indexOrInfinity(chunk, '\r', r + 1)) {
      from = r + 1;
      this.reset();
    }
    this.add(chunk, from, stop);
    // A return just before the newline (or at the chunk's end) was consumed as the line's end.
    return r < end ? indexOrInfinity(chunk, '\r', end + 1) : r;
  }

  private reset(): void {
    this.parts = [];
    this.size = 0;
    this.cut = 0;
  }

  private emit(): void {
    const text = this.parts.length === 1 ? this.parts[0]! : this.parts.join(''); // one part: it is there
    const cut = this.cut;
    this.reset();
    this.onLine(text, cut);
  }
}

function indexOrInfinity(text: string, char: string, from: number): number {
  const at = text.indexOf(char, from);
  return at < 0 ? Infinity : at;
}

/**
 * A regex that finds, in a block of lines, every line where one of `sources` matches — or null
 * when that cannot be promised: lookarounds may see across a line end, and back-references would
 * be renumbered by the alternation.
 */
export function candidateRegex(sources: string[], caseSensitive: boolean): RegExp | null {
  if (sources.length === 0 || sources.some((s) => /\(\?<?[=!]|\\[1-9k]/.test(s))) return null;
  try {
    return new RegExp(sources.map((s) => `(?:${s})`).join('|'), caseSensitive ? 'gm' : 'gim');
  } catch {
    return null;
  }
}
