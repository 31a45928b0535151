/**
 * Output of pipe mode, batched: lines are gathered into one string and written once per turn of
 * the event loop (or every 64 KiB), so passing a line through costs a concatenation, not a write.
 */
const FLUSH_AT = 1 << 16;

export class BatchedWriter {
  private pending = '';
  private scheduled = false;

  constructor(private readonly out: NodeJS.WritableStream) {}

  add(text: string): void {
    this.pending += text;
    if (this.pending.length >= FLUSH_AT) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (!this.pending) return;
    this.out.write(this.pending);
    this.pending = '';
  }

  /** Resolves once everything added has been handed to the operating system. */
  end(): Promise<void> {
    this.flush();
    return new Promise((resolve) => this.out.write('', () => resolve()));
  }
}
