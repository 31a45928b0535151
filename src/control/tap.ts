/**
 * `tail`: a temporary tap at a logger and level, streamed back over the control connection that
 * asked for it — an operator sees DEBUG records of a running process without changing what the
 * process writes to its own outputs (records below the configured levels reach only the tap; see
 * core/taps.ts).
 *
 * Bounds: a tap lives at most `MAX_TAP_TTL_MS`; while the peer reads slower than the process logs,
 * records beyond `maxBuffer` bytes waiting in the socket are dropped and counted (the count rides
 * on every later frame and on the end frame), so a slow or gone viewer costs a bounded buffer,
 * never a stall. The tap goes away on expiry, when the peer closes or dies (the connection
 * closes), and when the endpoint closes (it destroys its connections).
 */
import type { Socket } from 'node:net';
import { addRecordTap } from '../core/logger.js';
import { checkLevel, levelName } from '../core/levels.js';
import type { RecordTap } from '../core/taps.js';
import type { LogRecord } from '../core/record.js';
import { encodeFrame } from './framing.js';
import { MAX_MESSAGE, TapBatch } from './tap-batch.js';
import type { CommandBase, ControlReply } from './protocol.js';
import { processIdentity } from './state.js';

/** Default life of a tap. */
export const DEFAULT_TAP_TTL_MS = 5 * 60_000;
/** Longest life of a tap. */
export const MAX_TAP_TTL_MS = 24 * 3600_000;
/** Default bytes of records waiting for a slow peer before records are dropped. */
export const DEFAULT_TAP_BUFFER = 1 << 20;
/** Staged bytes that make a socket tap write at once rather than at its next flush. */
const FLUSH_BYTES = 64 * 1024;
/** Longest wait of a staged record for its write. */
const FLUSH_MS = 10;

/** Streams records of `logger` (and below) from `level` on, for `ttl` ms. */
export interface TailCommand extends CommandBase {
  op: 'tail';
  /** Dotted logger name; `''` or `root` (the default) for every logger. */
  logger?: string;
  /** Level name or number (default DEBUG). */
  level?: string | number;
  ttl?: number;
  /** Bytes waiting for the peer before records are dropped (default 1 MiB, at most 16 MiB). */
  maxBuffer?: number;
}

/** A record as the tap sends it. */
export interface TapRecordFrame {
  tap: 'record';
  /** ms since the epoch. */
  t: number;
  level: string;
  logger: string;
  msg: string;
  /** The error's stack, when the record has one. */
  exc?: string;
  /** Records dropped so far for a slow reader. */
  dropped: number;
}

/** The last frame of a tap. */
export interface TapEndFrame {
  tap: 'end';
  /** `closed`: the endpoint was closed (the bus endpoint's taps; a socket tap's connection just closes). */
  reason: 'expired' | 'closed';
  dropped: number;
}

/** True for a `tail` command (any other op goes to `executeCommand`). */
export function isTailCommand(value: unknown): value is TailCommand {
  return typeof value === 'object' && value !== null && (value as { op?: unknown }).op === 'tail';
}

/** The tap's settings from a command, or the reason it is refused (validated before anything changes). */
export function tapSettings(
  cmd: TailCommand,
): { logger: string; level: number; ttl: number; maxBuffer: number } | string {
  const logger = cmd.logger === undefined || cmd.logger === 'root' ? '' : cmd.logger;
  if (typeof logger !== 'string' || logger.length > 256)
    return 'logger: expected a dotted logger name (at most 256 characters)';
  let level: number;
  try {
    level = checkLevel(cmd.level ?? 'DEBUG');
  } catch (error) {
    return `level: ${(error as Error).message}`;
  }
  const ttl = cmd.ttl ?? DEFAULT_TAP_TTL_MS;
  if (!Number.isInteger(ttl) || ttl <= 0 || ttl > MAX_TAP_TTL_MS)
    return `ttl: expected a positive number of ms, at most ${MAX_TAP_TTL_MS} (a day)`;
  const maxBuffer = cmd.maxBuffer ?? DEFAULT_TAP_BUFFER;
  if (!Number.isInteger(maxBuffer) || maxBuffer < 4096 || maxBuffer > 16 << 20)
    return 'maxBuffer: expected 4096 to 16777216 bytes';
  return { logger, level, ttl, maxBuffer };
}

/** The first frame of the answer to `tail`: as a command's reply, without levels and override. */
export interface TailReply extends Pick<ControlReply, 'ok' | 'result' | 'process' | 'error'> {
  op: 'tail';
}

/** The answer to a `tail`: `tapping …` when it started, `rejected` with why otherwise. */
export function tailReply(ok: boolean, result: string, message?: string): TailReply {
  const out: TailReply = { ok, op: 'tail', result, process: processIdentity() };
  if (message) out.error = { message };
  return out;
}

/** A record as a tap sends it, its message and stack cut at 64 KiB (a socket tap encodes the same JSON in tap-batch.ts). */
export function tapRecordFrame(record: LogRecord, dropped: number): TapRecordFrame {
  const message = record.getMessage();
  const frame: TapRecordFrame = {
    tap: 'record',
    t: Math.round(record.created * 1000),
    level: record.levelname,
    logger: record.name,
    msg:
      message.length > MAX_MESSAGE
        ? `${message.slice(0, MAX_MESSAGE)} … [${message.length - MAX_MESSAGE} more characters]`
        : message,
    dropped,
  };
  if (record.exc?.stack) frame.exc = record.exc.stack.slice(0, MAX_MESSAGE);
  return frame;
}

/**
 * A tap writing its records as frames to one connection. Records are encoded into a batch as
 * they come; the batch goes out in one socket write when it passes {@link FLUSH_BYTES} or
 * {@link FLUSH_MS} after its first record, so a busy process pays one write per 64 KiB, not one
 * per record or per turn of the event loop.
 */
class SocketTap implements RecordTap {
  dropped = 0;
  readonly withoutCaller = true;
  private detach: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly batch = new TapBatch();
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly flushNow = (): void => this.flush();

  constructor(
    private readonly socket: Socket,
    readonly logger: string,
    readonly level: number,
    private readonly maxBuffer: number,
  ) {}

  start(ttl: number): void {
    this.socket.setTimeout(0);
    this.socket.once('close', () => this.stop());
    this.timer = setTimeout(() => this.end('expired'), ttl);
    this.timer.unref();
    this.detach = addRecordTap(this);
  }

  deliver(record: LogRecord): void {
    if (this.socket.destroyed || this.socket.writableLength + this.batch.bytes > this.maxBuffer) {
      this.dropped++;
      return;
    }
    this.batch.add(record, this.dropped);
    if (this.batch.bytes >= FLUSH_BYTES) this.flush();
    else if (this.flushTimer === null) this.flushTimer = setTimeout(this.flushNow, FLUSH_MS);
  }

  private flush(): void {
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const bytes = this.batch.take();
    if (bytes !== null && !this.socket.destroyed) this.socket.write(bytes);
  }

  /** Sends the end frame and closes the connection. */
  end(reason: TapEndFrame['reason']): void {
    this.stop();
    this.flush();
    if (this.socket.destroyed) return;
    const frame: TapEndFrame = { tap: 'end', reason, dropped: this.dropped };
    this.socket.end(encodeFrame(JSON.stringify(frame)));
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.detach?.();
    this.detach = null;
  }
}

/**
 * Answers a `tail` command on `socket`. When the tap starts, the connection belongs to it (the
 * caller reads no further commands from it) and true is returned; a refused command gets a
 * rejection and false.
 */
export function startTap(socket: Socket, cmd: TailCommand): boolean {
  const settings = tapSettings(cmd);
  if (typeof settings === 'string') {
    socket.write(encodeFrame(JSON.stringify(tailReply(false, 'rejected', settings))));
    return false;
  }
  const tap = new SocketTap(socket, settings.logger, settings.level, settings.maxBuffer);
  socket.write(
    encodeFrame(
      JSON.stringify(tailReply(true, `tapping ${settings.logger || 'root'} from ${levelName(settings.level)}`)),
    ),
  );
  tap.start(settings.ttl);
  // Read on, only to notice the peer's close (the data itself is ignored by the caller).
  socket.resume();
  return true;
}
