/**
 * The soak's bookkeeping of logged lines: every counted line is `L pid=<pid> seq=<n> <pad> end`
 * behind one of the pushed formats' prefixes. Fed the processes' outputs (stdout, the shared file),
 * it tells, per process, which sequence numbers arrived, twice, or not at all, and which lines were
 * torn (a counted line cut or mixed with another). Streams arrive in chunks; a line split across
 * chunks is joined before it is judged.
 */

/** The fixed text inside every counted line: a torn line loses part of it. */
export const SOAK_PAD = 'abcdefghijklmnopqrstuvwxyzabcdefghijklmn';

/** A whole counted line, after any of the soak configs' prefixes (`A `, `B <asctime> `). */
const COUNTED = new RegExp(
  `^(?:A|B \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}) L pid=(\\d+) seq=(\\d+) ${SOAK_PAD} end$`,
);

/** Totals over every process. */
export interface LedgerTotals {
  expected: number;
  received: number;
  lost: number;
  duplicated: number;
  torn: number;
  /** Lines that are not counted ones (audit lines, noise): not judged. */
  other: number;
}

/** One stream's unfinished last line. */
export interface LineFeed {
  write(chunk: string): void;
  /** The stream ended: an unterminated last line is judged as it is. */
  end(): void;
}

export class LineLedger {
  private readonly seen = new Map<number, Uint8Array>();
  private received = 0;
  private duplicated = 0;
  private torn = 0;
  private other = 0;

  /** A feed for one stream (each keeps its own partial line). */
  feed(): LineFeed {
    let rest = '';
    return {
      write: (chunk: string) => {
        const text = rest + chunk;
        const lines = text.split('\n');
        rest = lines.pop()!;
        for (const line of lines) this.line(line);
      },
      end: () => {
        if (rest) this.line(rest);
        rest = '';
      },
    };
  }

  /** Judges one complete line (without its newline). */
  line(text: string): void {
    const match = COUNTED.exec(text);
    if (!match) {
      if (text.includes('L pid=') || text.includes(' end')) this.torn++;
      else this.other++;
      return;
    }
    const pid = Number(match[1]);
    const seq = Number(match[2]);
    let bits = this.seen.get(pid);
    if (!bits || bits.length <= seq) {
      const grown = new Uint8Array(Math.max(1024, (seq + 1) * 2));
      if (bits) grown.set(bits);
      bits = grown;
      this.seen.set(pid, bits);
    }
    if (bits[seq]) this.duplicated++;
    else {
      bits[seq] = 1;
      this.received++;
    }
  }

  /** Totals, given how many lines each process says it logged (sequence numbers 0 … n-1). */
  totals(logged: Map<number, number>): LedgerTotals {
    let expected = 0;
    let lost = 0;
    for (const [pid, count] of logged) {
      expected += count;
      const bits = this.seen.get(pid);
      for (let seq = 0; seq < count; seq++) if (!bits || !bits[seq]) lost++;
    }
    return { expected, received: this.received, lost, duplicated: this.duplicated, torn: this.torn, other: this.other };
  }
}
