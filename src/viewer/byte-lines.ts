/**
 * Bytes to lines, searching before decoding: with a {@link ByteFinder} (pipe mode's include
 * filters, when they can be searched in raw UTF-8), the complete lines of a buffer are searched as
 * bytes and only the lines where a filter may match are decoded — a 1% filter then costs a byte
 * search of the input, not a decode and a string per line.
 *
 * Invariants: bytes reach the decoder and the {@link LineSplitter} only at line boundaries or in
 * order (so neither holds a partial character or line when the fast path runs); a candidate line
 * lies inside one buffer (at most the read size), and its text is capped at `maxLine` like the
 * splitter's; linear in the input for any line length. Buffers with `\r` or escape sequences
 * take the splitter's path whole (a `\r` overwrites, an escape can split a match).
 */
import { StringDecoder } from 'node:string_decoder';
import { LineSplitter, type LineSink } from './splitter.js';

const NEWLINE = 10;
const RETURN = 13;
const ESCAPE = 27;

/** Finds where the filters may match: calls `visit` with each position, which returns where to go on. */
export interface ByteFinder {
  each(buffer: Buffer, from: number, to: number, visit: (at: number) => number): void;
}

/** One case-sensitive literal: the runtime's byte search. */
class LiteralFinder implements ByteFinder {
  constructor(private readonly needle: Buffer) {}
  each(buffer: Buffer, from: number, to: number, visit: (at: number) => number): void {
    const region = buffer.subarray(0, to);
    for (let at = region.indexOf(this.needle, from); at >= 0; at = region.indexOf(this.needle, visit(at))) {
      /* visit moved the search past the line */
    }
  }
}

/** ASCII letters folded to lower case; every other byte is itself. */
const FOLD = Uint8Array.from({ length: 256 }, (_, b) => (b >= 65 && b <= 90 ? b + 32 : b));

/**
 * One literal, case-insensitively: Horspool's search over folded bytes (a shift of up to the
 * literal's length per step, no string made). Only ASCII letters fold, as in a regex without `u`.
 * Every index below stays in range by its loop's bounds (a byte indexes the 256 shifts); the scan
 * is per byte of input, so it asserts that rather than checking it.
 */
class FoldedLiteralFinder implements ByteFinder {
  private readonly needle: Uint8Array;
  private readonly shift = new Int32Array(256);

  constructor(literal: string) {
    this.needle = Uint8Array.from(Buffer.from(literal.toLowerCase(), 'latin1'));
    const m = this.needle.length;
    this.shift.fill(m);
    for (let i = 0; i < m - 1; i++) {
      const b = this.needle[i]!;
      this.shift[b] = m - 1 - i;
      if (b >= 97 && b <= 122) this.shift[b - 32] = m - 1 - i;
    }
  }

  each(buffer: Buffer, from: number, to: number, visit: (at: number) => number): void {
    const needle = this.needle;
    const m = needle.length;
    const last = needle[m - 1]!;
    let at = from;
    while (at <= to - m) {
      const tail = buffer[at + m - 1]!;
      if (FOLD[tail] === last && this.matchesAt(buffer, at)) at = visit(at);
      else at += this.shift[tail]!;
    }
  }

  private matchesAt(buffer: Buffer, at: number): boolean {
    const needle = this.needle;
    for (let j = needle.length - 2; j >= 0; j--) if (FOLD[buffer[at + j]!] !== needle[j]) return false;
    return true;
  }
}

/** A regex over the bytes as Latin-1 text (one character a byte, so positions are byte offsets). */
class RegexFinder implements ByteFinder {
  constructor(private readonly regex: RegExp) {}
  each(buffer: Buffer, from: number, to: number, visit: (at: number) => number): void {
    const text = buffer.toString('latin1', from, to);
    const regex = this.regex;
    regex.lastIndex = 0;
    for (let match = regex.exec(text); match; match = regex.exec(text)) {
      regex.lastIndex = visit(from + match.index) - from;
    }
  }
}

/**
 * True when a pattern matches a line's UTF-8 bytes read as Latin-1 wherever it matches the line:
 * ASCII only, and no construct that can match a non-ASCII character or a line end (`.`, `[^…]`,
 * `\s \S \W \D \B`, `\x \u \c`, `^ $`, back-references, lookarounds, a control character).
 */
export function byteSafe(source: string): boolean {
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c >= 128 || (c < 32 && c !== 9)) return false;
    const ch = source.charAt(i);
    if (ch === '.' || ch === '^' || ch === '$') return false;
    if (ch === '(' && source[i + 1] === '?' && source[i + 2] !== ':') return false;
    if (ch === '\\') {
      const next = source[++i] ?? '';
      if (/[a-zA-Z0-9]/.test(next) && !'dwbtfv'.includes(next)) return false;
    }
  }
  return true;
}

/** A finder for include patterns (a line matches one of them), or null when they need decoded text. */
export function byteFinder(sources: string[], caseSensitive: boolean): ByteFinder | null {
  if (sources.length === 0 || !sources.every(byteSafe)) return null;
  const [first] = sources;
  const only = sources.length === 1 ? first : undefined;
  if (only && /^[\w -]+$/.test(only))
    return caseSensitive ? new LiteralFinder(Buffer.from(only, 'latin1')) : new FoldedLiteralFinder(only);
  try {
    return new RegexFinder(new RegExp(sources.map((s) => `(?:${s})`).join('|'), caseSensitive ? 'g' : 'gi'));
  } catch {
    return null;
  }
}

/**
 * Every line (no filter to search for): each complete line of a buffer is decoded on its own, which
 * measured cheaper in CPU and in garbage than decoding the whole buffer and slicing it.
 */
const EVERY_LINE: ByteFinder = {
  each(_buffer, from, to, visit) {
    for (let at = from; at < to;) at = visit(at);
  },
};

/** Lines from buffers: through the decoder and splitter, or searched as bytes with a finder. */
export class ByteLines {
  private decoder = new StringDecoder('utf8');
  private readonly splitter: LineSplitter;
  private readonly finder: ByteFinder | null;

  constructor(
    private readonly maxLine: number,
    private readonly onLine: LineSink,
    finder: ByteFinder | null = null,
    candidates: RegExp | null = null,
  ) {
    this.splitter = new LineSplitter(maxLine, onLine, finder ? null : candidates);
    // Without a filter to search for, complete lines take the byte path too; with a regex that
    // needs decoded text, the splitter's block search does.
    this.finder = finder ?? (candidates ? null : EVERY_LINE);
  }

  push(buffer: Buffer): void {
    const first = this.finder ? buffer.indexOf(NEWLINE) : -1;
    const last = first < 0 ? -1 : buffer.lastIndexOf(NEWLINE);
    if (first === last || buffer.indexOf(RETURN) >= 0 || buffer.indexOf(ESCAPE) >= 0) return this.slow(buffer);
    this.slow(buffer.subarray(0, first + 1));
    this.scan(buffer, first + 1, last);
    this.slow(buffer.subarray(last + 1));
  }

  /** The bytes of one input have ended (a file about to be reopened): a cut character is decoded as such. */
  endInput(): void {
    const rest = this.decoder.end();
    if (rest) this.splitter.push(rest);
    this.decoder = new StringDecoder('utf8');
  }

  /** Emits what is left as a last line (end of input). */
  end(): void {
    this.endInput();
    this.splitter.end();
  }

  private slow(bytes: Buffer): void {
    if (bytes.length > 0) this.splitter.push(this.decoder.write(bytes));
  }

  /** The candidate lines among the complete lines in [from, to] (`to` is a newline's offset). */
  private scan(buffer: Buffer, from: number, to: number): void {
    this.finder!.each(buffer, from, to, (at) => {
      const start = at === 0 ? 0 : buffer.lastIndexOf(NEWLINE, at - 1) + 1;
      const end = buffer.indexOf(NEWLINE, at);
      const text = buffer.toString('utf8', start, end);
      if (text.length > this.maxLine) this.onLine(text.slice(0, this.maxLine), text.length - this.maxLine);
      else this.onLine(text, 0);
      return end + 1;
    });
  }
}
