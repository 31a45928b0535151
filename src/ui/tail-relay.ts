/**
 * The live tail of the page: `tail` sessions (the same taps `logdial tail` opens) on one process or
 * every process of an app, local or on the bus, relayed to the page in batches over its event
 * stream.
 *
 * Bounds: records are batched every {@link BATCH_MS}; a batch keeps the newest
 * {@link MAX_BATCH} records and counts the rest as skipped, so the page receives at most
 * MAX_BATCH / BATCH_MS records whatever the processes' rate; the processes' own taps drop (and
 * count) records while this server reads slower than they log. Everything ends when the page's
 * stream closes.
 */
import type { Target } from '../control/client.js';
import { startTail } from '../control/tap-client.js';
import type { TapRecordFrame } from '../control/tap.js';
import { tailViaBus, type BusClient, type BusFilter } from '../cli/bus-hook.js';
import type { EventChannel } from './sse.js';

/** How often batches go to the page. */
export const BATCH_MS = 100;
/** Most records per batch (the newest are kept). */
export const MAX_BATCH = 2000;

/** A record as the page receives it: who, when, level, logger, message (all text the page escapes). */
export interface TailLine {
  pid: number | null;
  /** Who sent it when the pid alone does not say: `host:pid` for a bus process. */
  source?: string;
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
  /** How to detach each running tap. */
  private readonly closers: Array<() => void> = [];
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
          this.keep(() => session.close());
        } catch (error) {
          failures.push(`${pid ?? 'tcp'}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }),
    );
    return failures;
  }

  /**
   * Starts a tap on every bus process matching `filter` (through `client`, shared with the fleet:
   * each tail has a reply channel of its own); resolves with how many started and the failures.
   */
  async startBus(
    client: BusClient,
    filter: BusFilter,
    cmd: { logger: string; level: string; ttl: number },
    timeoutMs: number,
  ): Promise<{ processes: number; failures: string[] }> {
    const tail = await tailViaBus(
      client,
      { op: 'tail', ...cmd },
      filter,
      (frame, source) => this.add(Number(source.slice(source.lastIndexOf(':') + 1)) || null, frame, source),
      timeoutMs,
    );
    this.keep(() => void tail.session.close());
    return { processes: tail.started, failures: tail.failures };
  }

  /** Keeps a running tap's detach, or detaches at once when the page has gone meanwhile. */
  private keep(close: () => void): void {
    if (this.channel.closed) close();
    else this.closers.push(close);
  }

  private add(pid: number | null, frame: TapRecordFrame, source?: string): void {
    const line: TailLine = { pid, t: frame.t, level: frame.level, logger: frame.logger, msg: frame.msg };
    if (source !== undefined) line.source = source;
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
    for (const close of this.closers) close();
    this.closers.length = 0;
  }
}
