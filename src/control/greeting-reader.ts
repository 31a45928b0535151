/**
 * What a client reads from a control connection: on TCP one greeting line first (at most
 * {@link MAX_HELLO_BYTES}, auth.ts), then frames; on a Unix socket frames only. Bytes arrive in any
 * split; `push` hands the greeting to `onHello` once, then every completed frame to `onFrame`,
 * and throws on a greeting or frame over its bound (the caller closes the connection).
 */
import { MAX_HELLO_BYTES } from './auth.js';
import { FrameDecoder } from './framing.js';

export class GreetingReader {
  private readonly decoder: FrameDecoder;
  /** The greeting's bytes so far; null once it is read (or when none is expected). */
  private pendingHello: Buffer | null;

  constructor(
    expectHello: boolean,
    maxFrameBytes: number,
    private readonly onHello: (line: string) => void,
    private readonly onFrame: (payload: Buffer) => void,
  ) {
    this.decoder = new FrameDecoder(maxFrameBytes);
    this.pendingHello = expectHello ? Buffer.alloc(0) : null;
  }

  push(chunk: Buffer): void {
    if (this.pendingHello) {
      const buf = Buffer.concat([this.pendingHello, chunk]);
      const newline = buf.indexOf(0x0a);
      if (newline < 0) {
        if (buf.length > MAX_HELLO_BYTES) throw new Error('greeting too long');
        this.pendingHello = buf;
        return;
      }
      this.pendingHello = null;
      this.onHello(buf.subarray(0, newline).toString('utf8'));
      chunk = buf.subarray(newline + 1);
    }
    for (const frame of this.decoder.push(chunk)) this.onFrame(frame);
  }
}
