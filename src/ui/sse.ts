/**
 * One server-sent-events stream to the page. Bounded: while the page reads slower than events
 * come, events beyond {@link MAX_BACKLOG} bytes waiting in the socket are dropped (and counted)
 * instead of queued, so a stalled tab costs a bounded buffer, never the server's memory.
 */
import type { ServerResponse } from 'node:http';

/** Bytes waiting for the page before events are dropped. */
export const MAX_BACKLOG = 2 << 20;

/** A stream of named events with JSON data. */
export class EventChannel {
  dropped = 0;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly res: ServerResponse) {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    res.write(': logdial ui\n\n');
    // A comment now and then keeps proxies and idle timers from closing a quiet stream.
    this.heartbeat = setInterval(() => res.write(': .\n\n'), 15_000);
    this.heartbeat.unref();
    res.on('close', () => clearInterval(this.heartbeat));
  }

  get closed(): boolean {
    return this.res.destroyed || this.res.writableEnded;
  }

  /** Sends one event; false when it was dropped (backlog full) or the stream is closed. */
  send(event: string, data: unknown): boolean {
    if (this.closed) return false;
    if (this.res.writableLength > MAX_BACKLOG) {
      this.dropped++;
      return false;
    }
    // JSON text has no raw newline, so one `data:` line carries the whole event.
    this.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    return true;
  }

  onClose(fn: () => void): void {
    this.res.on('close', fn);
  }

  close(): void {
    clearInterval(this.heartbeat);
    this.res.end();
  }
}
