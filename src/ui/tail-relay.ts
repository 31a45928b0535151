/**
 * The live tail of the page: `tail` sessions (the same taps `logdial tail` opens) on one process or
 * every local process of an app, relayed to the page in batches over its event stream.
 *
 * Bounds: records are batched every {@link BATCH_MS}; a batch keeps the newest
 * {@link MAX_BATCH} records and counts the rest as skipped, so the page receives at most
 * MAX_BATCH / BATCH_MS records whatever the processes' rate; the processes' own taps drop (and
 * count) records while this server reads slower than they log. Everything ends when the page's
 * stream closes.
 */
import type { Target } from '../control/client.js';
import { startTail, type TailSession } from '../control/tap-client.js';
import type { TapRecordFrame } from '../control/tap.js';
import type { EventChannel } from './sse.js';

/** How often batches go to the page. */
export const BATCH_MS = 100;
/** Most records per batch (the newest are kept). */
export const MAX_BATCH = 2000;

/** A record as the page receives it: who, when, level, logger, message (all text the page escapes). */
export interface TailLine {
  pid: number | null;
  t: number;
  level: string;
  logger: string;
  msg: string;
  exc?: string;
}

/** Relays the records of some processes to one page stream. */
export class TailRelay {
  private batch: TailLine[] = [];
  private skipped = 0;
  private readonly sessions: TailSession[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly channel: EventChannel) {
    this.timer = setInterval(() => this.flush(), BATCH_MS);
    this.timer.unref();
    channel.onClose(() => this.close());
  }

  /** Starts a tap on every target; resolves with the failures (one text per target that refused). */
  async start(
    targets: Target[],
    cmd: { logger: string; level: string; ttl: number },
    options: { secret?: string; timeoutMs: number },
  ): Promise<string[]> {
    const failures: string[] = [];
    await Promise.all(
      targets.map(async (target) => {
        const pid = target.kind === 'unix' ? target.manifest.pid : null;
        try {
          const session = await startTail(target, { op: 'tail', ...cmd }, (frame) => this.add(pid, frame), options);
          if (this.channel.closed) session.close();
          else this.sessions.push(session);
        } catch (error) {
          failures.push(`${pid ?? 'tcp'}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }),
    );
    return failures;
  }

  private add(pid: number | null, frame: TapRecordFrame): void {
    const line: TailLine = { pid, t: frame.t, level: frame.level, logger: frame.logger, msg: frame.msg };
    if (frame.exc) line.exc = frame.exc;
    this.batch.push(line);
    // Keep at most twice the batch between flushes: the oldest half goes at once.
    if (this.batch.length >= 2 * MAX_BATCH) {
      this.skipped += this.batch.length - MAX_BATCH;
      this.batch = this.batch.slice(-MAX_BATCH);
    }
  }

  private flush(): void {
    if (this.batch.length === 0 && this.skipped === 0) return;
    let lines = this.batch;
    this.batch = [];
    if (lines.length > MAX_BATCH) {
      this.skipped += lines.length - MAX_BATCH;
      lines = lines.slice(-MAX_BATCH);
    }
    if (!this.channel.send('lines', { lines, skipped: this.skipped })) this.skipped += lines.length;
    else this.skipped = 0;
  }

  close(): void {
    clearInterval(this.timer);
    for (const session of this.sessions) session.close();
    this.sessions.length = 0;
  }
}
