/**
 * Redis connections for the bus, configured so that Redis being slow, down or gone never reaches
 * the logging path: nothing is queued while disconnected, in-flight commands fail instead of
 * waiting for a reconnect, reconnects back off, errors are events we always listen to, and the
 * sockets and reconnect timers do not keep the process alive.
 */
import type { Redis, RedisOptions } from 'ioredis';

/** What to do when ioredis is not installed (it is an optional peer dependency: only the bus needs it). */
export const IOREDIS_MISSING =
  'the Redis bus needs the optional package ioredis, which is not installed: run `npm install ioredis` in the application (logging and the local control socket work without it)';

/** Loads ioredis, or fails with {@link IOREDIS_MISSING}; only bus modules import this one. */
async function loadIoredis(): Promise<typeof Redis> {
  try {
    return (await import('ioredis')).Redis;
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ERR_MODULE_NOT_FOUND' && e.message.includes("'ioredis'"))
      throw new Error(IOREDIS_MISSING, { cause: error });
    throw error;
  }
}

// Top-level: the bus modules are loaded dynamically (listen's `bus`, the CLI's `--bus`), so a
// missing ioredis surfaces there, as the error of that load.
const RedisClient = await loadIoredis();

/** Options for {@link createRedis}. */
export interface BusConnectionOptions {
  /**
   * Endpoint connections fail fast (no offline queue, no retries of a command); client (CLI)
   * connections may queue until the first connect so a one-shot command can wait for it.
   */
  role: 'endpoint' | 'client';
  /** Let the process exit even while connected or reconnecting (a library must not hold it). */
  unref?: boolean;
  /** Called on every connection error (already handled: never thrown). */
  onError?: (error: Error) => void;
}

/** Backoff: 100 ms doubling to 10 s, with jitter so a fleet does not reconnect in lockstep. */
export function backoff(attempt: number): number {
  const base = Math.min(10_000, 100 * 2 ** Math.min(attempt, 10));
  return Math.round(base / 2 + Math.random() * (base / 2));
}

/**
 * A Redis connection to `url` (`redis://user:pass@host:port/db` or `rediss://…` for TLS; ACL
 * user and password, db and TLS pass through ioredis's URL parsing). Not connected yet: call
 * `connect()` (and catch its rejection — reconnection continues by itself).
 */
export function createRedis(url: string, options: BusConnectionOptions): Redis {
  const endpoint = options.role === 'endpoint';
  const redisOptions: RedisOptions = {
    lazyConnect: true,
    // Endpoint: a command issued while Redis is down fails at once rather than piling up in memory.
    enableOfflineQueue: !endpoint,
    // 0: on a disconnect, commands already sent fail instead of being retried after the reconnect.
    maxRetriesPerRequest: endpoint ? 0 : 1,
    autoResendUnfulfilledCommands: false,
    // The endpoint resubscribes itself on every 'ready' (then re-reads the desired override).
    autoResubscribe: !endpoint,
    // No INFO round trip per connection (and no console warning for ACL users without INFO).
    enableReadyCheck: false,
    connectTimeout: 5000,
    // ioredis waits this long (on a referenced timer) for a closing socket: keep exits prompt.
    disconnectTimeout: 200,
    commandTimeout: endpoint ? 5000 : 10_000,
    retryStrategy: endpoint ? backoff : (attempt) => (attempt > 3 ? null : backoff(attempt)),
  };
  const redis = new RedisClient(url, redisOptions);
  // An EventEmitter without an 'error' listener throws: always listen.
  redis.on('error', (error: Error) => options.onError?.(error));
  if (options.unref) {
    redis.on('connect', () => {
      (redis as unknown as { stream?: { unref?: () => void } }).stream?.unref?.();
    });
    // ioredis sets its reconnect timer before emitting 'reconnecting' (on the next tick).
    redis.on('reconnecting', () => {
      (redis as unknown as { reconnectTimeout?: { unref?: () => void } | null }).reconnectTimeout?.unref?.();
    });
  }
  return redis;
}

export { redactUrl } from '../redact.js';
