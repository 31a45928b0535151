/**
 * The fleet endpoint: one process (or one logical endpoint) on the Redis bus.
 *
 * - Presence: a heartbeat entry (identity, current levels, override) with a PX expiry, indexed in a
 *   per-app sorted set, so it disappears when the process dies and `ls` reads one set per app.
 * - Commands: subscribed to the app's channel and the broadcast channel; each command is checked
 *   (size, shape, signature, freshness, replay), carried out by `execute` (the same
 *   `executeCommand` the local socket uses) and acknowledged on the sender's reply channel.
 * - Convergence: on every (re)connect and heartbeat it reads the app's desired override and applies
 *   it with the remaining ttl (Redis's PTTL, so hosts' clocks do not matter), reverts when it was
 *   cleared while this endpoint was away, and re-seeds it when Redis lost its data.
 * - Robustness: Redis is never on the logging path. Every Redis operation is asynchronous, fails
 *   fast while disconnected (no offline queue) and is retried by the next heartbeat; the process
 *   keeps whatever configuration it has until Redis is back.
 */
import { getLogger } from '../../core/logger.js';
import type { ControlCommand, ControlReply, OverrideInfo, ProcessIdentity, Requester } from '../protocol.js';
import { processIdentity } from '../state.js';
import { createRedis, redactUrl } from './connection.js';
import {
  type AckMessage,
  BusRejection,
  type CommandBody,
  DEFAULT_MAX_CLOCK_SKEW_MS,
  keys,
  MAX_BUS_MESSAGE_BYTES,
  NonceCache,
  newId,
  openEnvelope,
  type PresenceEntry,
} from './wire.js';

/** Carries out a command (the control plane's `executeCommand`). */
export type ExecuteFn = (cmd: ControlCommand, requester: Requester) => Promise<ControlReply>;

/** Options for {@link startBusEndpoint}. */
export interface BusEndpointOptions {
  /** The app this process belongs to: its command channel and desired override. */
  app: string;
  /** App secret: when set, only HMAC-signed, fresh, never-seen commands are carried out. */
  secret?: string;
  /** Carries out a command; the same function every transport uses. */
  execute: ExecuteFn;
  /**
   * Who this endpoint is, as presence shows it and every acknowledgement names it: fixed, or read
   * at each heartbeat and reply. Default: this process's identity (`control/state.ts`).
   */
  identity?: ProcessIdentity | (() => ProcessIdentity);
  /** Heartbeat period (ms); the presence entry lives 3 periods. Default 5000. */
  heartbeatMs?: number;
  /** Largest accepted command message in bytes. Default {@link MAX_BUS_MESSAGE_BYTES}. */
  maxMessageBytes?: number;
  /** Signed commands whose timestamp is further than this from our clock are refused. Default 60 s. */
  maxClockSkewMs?: number;
  /** Do not keep the process alive for the bus (default true: a logging library must not). */
  unref?: boolean;
}

/** What {@link BusEndpoint.status} reports. */
export interface BusEndpointStatus {
  endpoint: string;
  app: string;
  /** The Redis URL, password redacted. */
  url: string;
  /** Both connections ready and subscribed. */
  connected: boolean;
  lastError: string | null;
  /** Last successful heartbeat (ms since the epoch), or null. */
  lastHeartbeatAt: number | null;
  /** The bus override this endpoint holds (from a command or the desired record), if any. */
  appliedOverride: { id: string; expiresAt: number | null; ok: boolean } | null;
  /** Commands carried out / refused (bad size, shape, signature, stale, replayed). */
  handled: number;
  refused: number;
}

/** A running endpoint. */
export interface BusEndpoint {
  /** This endpoint's id (unique per start). */
  readonly id: string;
  /** Stops heartbeats, removes the presence entry (best effort, bounded) and disconnects. */
  close(): Promise<void>;
  status(): BusEndpointStatus;
}

/** The override this endpoint applied from the bus, kept to converge and to re-seed Redis. */
interface AppliedOverride {
  id: string;
  /** The exact envelope text, re-stored as is when Redis lost its data (its signature stays valid). */
  raw: string;
  /** Local clock, ms, or null for a change without ttl. */
  expiresAt: number | null;
  ok: boolean;
}

/** Longest a queued job (a command or a heartbeat) may take before the queue moves on. */
const JOB_TIMEOUT_MS = 15_000;
/** Within this of its expiry, an override is left to its own ttl timer rather than reverted. */
const EXPIRY_GRACE_MS = 2000;
/** Commands queued at most; beyond, new ones are refused (memory stays bounded under a flood). */
const MAX_PENDING_COMMANDS = 1000;
/** Replies kept by command id, so the live and the stored copy of one command run once. */
const REPLY_MEMORY = 32;
/** At most this many rejection replies per second, so junk cannot turn into a reply flood. */
const REJECTION_REPLIES_PER_SECOND = 20;

const log = getLogger('logdial.bus');
/** Outage warnings are throttled per URL across every endpoint of the process. */
const lastWarning = new Map<string, number>();

/**
 * Joins the bus at `url` and returns at once: connecting, subscribing and converging happen in the
 * background and are retried with backoff while Redis is unreachable.
 */
export function startBusEndpoint(url: string, options: BusEndpointOptions): BusEndpoint {
  const { app, secret, execute } = options;
  const identityOption = options.identity ?? processIdentity;
  const identityNow = typeof identityOption === 'function' ? identityOption : () => identityOption;
  const identity0 = identityNow();
  const heartbeatMs = Math.max(100, options.heartbeatMs ?? 5000);
  const presenceTtlMs = heartbeatMs * 3;
  const maxBytes = options.maxMessageBytes ?? MAX_BUS_MESSAGE_BYTES;
  const maxSkew = options.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
  const id = `${identity0.host}:${identity0.pid}:${newId(4)}`;
  const shownUrl = redactUrl(url);
  const presenceKey = keys.presence(app, id);
  const desiredKey = keys.desired(app);
  const nonces = new NonceCache(maxSkew);

  let closed = false;
  let subscribed = false;
  let lastError: string | null = null;
  let lastHeartbeatAt: number | null = null;
  let levels: Record<string, string> = {};
  let override: OverrideInfo | null = null;
  let applied: AppliedOverride | null = null;
  let knownEpoch: string | null = null;
  let handled = 0;
  let refused = 0;
  let rejectionWindow = { second: 0, count: 0 };
  const replies = new Map<string, ControlReply>();
  // Every command and every convergence runs through this chain, one at a time, in order.
  let chain: Promise<void> = Promise.resolve();
  let tickQueued = false;
  let pendingCommands = 0;

  const onError = (error: Error) => {
    lastError = error.message;
    const now = Date.now();
    if (closed || now - (lastWarning.get(shownUrl) ?? 0) < 60_000) return;
    lastWarning.set(shownUrl, now);
    log.warning(
      'fleet bus %s unreachable (%s); logging goes on with the current configuration, retrying with backoff',
      shownUrl,
      error.message,
    );
  };
  const unref = options.unref ?? true;
  const pub = createRedis(url, { role: 'endpoint', unref, onError });
  const sub = createRedis(url, { role: 'endpoint', unref, onError });

  const enqueue = (job: () => Promise<void>) => {
    // Bounded: a Redis call or an execute that never settles must not stall every later command.
    const bounded = () => {
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<void>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`bus job took longer than ${JOB_TIMEOUT_MS} ms`)), JOB_TIMEOUT_MS);
        timer.unref();
      });
      return Promise.race([job(), limit]).finally(() => clearTimeout(timer));
    };
    chain = chain.then(bounded).catch((error: unknown) => {
      lastError = error instanceof Error ? error.message : String(error);
    });
    return chain;
  };

  /** Runs `execute`, turning a throw into a rejection reply so the sender always gets an answer. */
  const run = async (cmd: ControlCommand, requester: Requester): Promise<ControlReply> => {
    let reply: ControlReply;
    try {
      reply = await execute(cmd, requester);
    } catch (error) {
      reply = rejection(cmd.op, error instanceof Error ? error.message : String(error));
    }
    levels = reply.levels ?? levels;
    override = reply.override ?? null;
    return { ...reply, process: identityNow() };
  };

  const rejection = (op: ControlCommand['op'], message: string): ControlReply => ({
    ok: false,
    op,
    result: 'rejected',
    process: identityNow(),
    error: { message },
    levels,
    override,
  });

  const remember = (commandId: string, reply: ControlReply) => {
    replies.set(commandId, reply);
    if (replies.size > REPLY_MEMORY) replies.delete(replies.keys().next().value as string);
  };

  const publishAck = async (replyTo: string, ack: AckMessage) => {
    if (pub.status !== 'ready') return;
    await pub.publish(replyTo, JSON.stringify(ack)).catch(onError);
  };

  /** A command from the channel. Synchronous checks first; execution is queued. */
  const onMessage = (raw: string) => {
    if (closed) return;
    let body: CommandBody;
    try {
      body = openEnvelope(raw, secret, maxBytes);
      if (!addressedToMe(body.app, body.targets)) return;
      if (secret) {
        if (Math.abs(Date.now() - body.ts) > maxSkew)
          throw new BusRejection(
            `stale command refused (timestamp ${new Date(body.ts).toISOString()} is more than ${maxSkew} ms from this host's clock)`,
          );
        if (!nonces.accept(body.nonce)) throw new BusRejection('replayed command refused');
      }
    } catch (error) {
      refused++;
      if (error instanceof BusRejection) replyRejection(raw, error.message);
      else lastError = String(error);
      return;
    }
    if (pendingCommands >= MAX_PENDING_COMMANDS) {
      // A flood (or a stuck execute): refuse rather than queue without bound.
      refused++;
      replyRejection(raw, `endpoint busy: ${pendingCommands} commands waiting`);
      return;
    }
    pendingCommands++;
    void enqueue(async () => {
      pendingCommands--;
      let reply = replies.get(body.id);
      if (!reply) {
        reply = await run(body.cmd, { via: 'bus', client: body.client });
        handled++;
        remember(body.id, reply);
        if (body.expiresAt !== undefined) {
          // The sender stored this command as the app's desired state (or cleared it): track it.
          if (body.cmd.op === 'revert') applied = null;
          else if (body.cmd.op === 'set' || body.cmd.op === 'apply') {
            applied = { id: body.id, raw, expiresAt: body.cmd.ttl ? Date.now() + body.cmd.ttl : null, ok: reply.ok };
          }
        }
      }
      await publishAck(body.replyTo, { id: body.id, endpoint: id, reply });
      if (body.cmd.op !== 'ping' && body.cmd.op !== 'status') presenceSoon();
    });
  };

  const addressedToMe = (target: string | null, targets: string[] | undefined) =>
    (target === null || target === app) && (!targets || targets.includes(id));

  /** Tells the sender why its message was refused, if it named a reply channel (rate-limited). */
  const replyRejection = (raw: string, message: string) => {
    const now = Math.floor(Date.now() / 1000);
    if (rejectionWindow.second !== now) rejectionWindow = { second: now, count: 0 };
    if (++rejectionWindow.count > REJECTION_REPLIES_PER_SECOND) return;
    const peek = peekBody(raw, maxBytes);
    if (!peek || !addressedToMe(peek.app ?? null, peek.targets)) return;
    const op = peek.op ?? 'ping';
    void publishAck(peek.replyTo, { id: peek.id, endpoint: id, reply: rejection(op, message) });
  };

  /** Heartbeat and convergence, at most one queued at a time. */
  const tick = () => {
    if (closed || tickQueued) return;
    tickQueued = true;
    void enqueue(async () => {
      tickQueued = false;
      if (closed || pub.status !== 'ready') return;
      const ping = await run({ op: 'ping' }, { via: 'local' });
      levels = ping.levels ?? levels;
      override = ping.override ?? null;
      const now = Date.now();
      const pipeline = pub.pipeline();
      // Present only while subscribed: a client that sees us expects an answer, and a command
      // published before our subscription would be lost (pub/sub keeps nothing).
      const present = subscribed;
      if (present)
        pipeline
          .set(presenceKey, presenceJson(now), 'PX', presenceTtlMs)
          .zadd(keys.index(app), now + presenceTtlMs, id)
          .zadd(keys.apps, now, app);
      const results = await pipeline
        .set(keys.epoch, newId(), 'NX')
        .get(keys.epoch)
        .get(desiredKey)
        .pttl(desiredKey)
        .exec();
      if (!results) return;
      for (const [error] of results) if (error) throw error;
      if (present) lastHeartbeatAt = now;
      const at = present ? 3 : 0;
      const epoch = results[at + 1]?.[1] as string | null;
      const desired = results[at + 2]?.[1] as string | null;
      const pttl = results[at + 3]?.[1] as number;
      await converge(epoch, desired, pttl);
    });
  };

  const presenceJson = (now: number) => {
    const entry: PresenceEntry = { endpoint: id, identity: identityNow(), levels, override, seenAt: now };
    return JSON.stringify(entry);
  };

  /**
   * Refreshes presence (new levels) a little later, at a random moment: right after a fan-out
   * every endpoint would otherwise write at once and compete with the acknowledgements.
   */
  let presenceTimer: NodeJS.Timeout | null = null;
  const presenceSoon = () => {
    if (presenceTimer || closed) return;
    presenceTimer = setTimeout(
      () => {
        presenceTimer = null;
        void writePresence();
      },
      200 + Math.random() * 800,
    );
    if (unref) presenceTimer.unref();
  };

  const writePresence = async () => {
    if (closed || !subscribed || pub.status !== 'ready') return;
    await pub.set(presenceKey, presenceJson(Date.now()), 'PX', presenceTtlMs).catch(onError);
  };

  /** Brings this endpoint to the app's desired override (see the module comment). */
  const converge = async (epoch: string | null, desiredRaw: string | null, pttl: number) => {
    const now = Date.now();
    if (applied?.expiresAt != null && applied.expiresAt <= now) applied = null;
    if (epoch !== null && knownEpoch !== null && epoch !== knownEpoch) {
      // Redis lost its data (restart without persistence): our configuration is still right, so
      // keep it and put the override we hold back (NX: the first endpoint back wins, the same text).
      knownEpoch = epoch;
      if (applied?.ok && !desiredRaw) {
        const remaining = applied.expiresAt === null ? null : applied.expiresAt - now;
        if (remaining === null) await pub.set(desiredKey, applied.raw, 'NX');
        else if (remaining > EXPIRY_GRACE_MS) await pub.set(desiredKey, applied.raw, 'PX', remaining, 'NX');
      }
      return;
    }
    knownEpoch = epoch;
    if (desiredRaw) {
      let body: CommandBody;
      try {
        body = openEnvelope(desiredRaw, secret, maxBytes);
      } catch (error) {
        lastError = `desired override refused: ${error instanceof Error ? error.message : String(error)}`;
        return;
      }
      if (body.targets || !addressedToMe(body.app, undefined) || applied?.id === body.id) return;
      if (body.cmd.op !== 'set' && body.cmd.op !== 'apply') return;
      // A process that converges later may not have created the loggers yet (its code has not run).
      let cmd: ControlCommand = body.cmd.op === 'set' ? { ...body.cmd, create: true } : body.cmd;
      let expiresAt: number | null = null;
      if (body.cmd.ttl) {
        // Redis's own countdown: the same for every host whatever their clocks say.
        const remaining = pttl > 0 ? pttl : typeof body.expiresAt === 'number' ? body.expiresAt - now : 0;
        if (remaining <= 0) return;
        // A signed record carries its expiry: a stale copy put back without PX cannot live forever.
        if (secret && typeof body.expiresAt === 'number' && body.expiresAt + maxSkew < now) return;
        cmd = { ...cmd, ttl: remaining };
        expiresAt = now + remaining;
      }
      const reply = replies.get(body.id) ?? (await run(cmd, { via: 'bus', client: body.client }));
      remember(body.id, reply);
      applied = { id: body.id, raw: desiredRaw, expiresAt, ok: reply.ok };
      presenceSoon();
    } else if (applied) {
      // Cleared while we were away (a revert we missed): go back to the base configuration,
      // unless it is about to expire by its own ttl anyway.
      const expiring = applied.expiresAt !== null && applied.expiresAt - now <= EXPIRY_GRACE_MS;
      const wasOk = applied.ok;
      applied = null;
      if (!expiring && wasOk) {
        await run({ op: 'revert' }, { via: 'bus', client: 'convergence' });
        presenceSoon();
      }
    }
  };

  sub.on('message', (_channel: string, message: string) => onMessage(message));
  sub.on('ready', () => {
    sub
      .subscribe(keys.appChannel(app), keys.broadcastChannel)
      .then(() => {
        subscribed = true;
        lastError = null;
        // Whatever was published while we were away is lost (pub/sub): converge from the record.
        tick();
      })
      .catch(onError);
  });
  sub.on('close', () => {
    if (!subscribed) return;
    subscribed = false;
    // Not listening any more: stop advertising (when only the subscriber dropped, pub still works).
    if (!closed && pub.status === 'ready') void pub.del(presenceKey).catch(onError);
  });
  pub.on('ready', () => tick());
  pub.connect().catch(() => undefined);
  sub.connect().catch(() => undefined);
  // Heartbeats at jittered intervals (±20 %): a fleet started together must not beat in unison.
  let timer: NodeJS.Timeout | null = null;
  const schedule = () => {
    if (closed) return;
    timer = setTimeout(
      () => {
        tick();
        schedule();
      },
      heartbeatMs * (0.8 + Math.random() * 0.4),
    );
    if (unref) timer.unref();
  };
  schedule();

  return {
    id,
    async close() {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      if (presenceTimer) clearTimeout(presenceTimer);
      const bounded = <T>(p: Promise<T>) => Promise.race([p, new Promise<void>((r) => setTimeout(r, 1000).unref())]);
      await bounded(chain);
      if (pub.status === 'ready') {
        await bounded(
          pub
            .pipeline()
            .del(presenceKey)
            .zrem(keys.index(app), id)
            .exec()
            .catch(() => undefined),
        );
      }
      pub.disconnect();
      sub.disconnect();
    },
    status() {
      return {
        endpoint: id,
        app,
        url: shownUrl,
        connected: subscribed && pub.status === 'ready',
        lastError,
        lastHeartbeatAt,
        appliedOverride: applied ? { id: applied.id, expiresAt: applied.expiresAt, ok: applied.ok } : null,
        handled,
        refused,
      };
    },
  };
}

/** The unverified routing fields of a refused message, to tell its sender why. */
function peekBody(
  raw: string,
  maxBytes: number,
): { id: string; replyTo: string; app?: string | null; targets?: string[]; op?: ControlCommand['op'] } | null {
  if (Buffer.byteLength(raw) > maxBytes) return null;
  try {
    const env = JSON.parse(raw) as { body?: unknown };
    const body = JSON.parse(String(env.body)) as Record<string, unknown>;
    const cmd = body['cmd'] as { op?: unknown } | undefined;
    const op = ['ping', 'status', 'apply', 'set', 'revert'].includes(String(cmd?.op))
      ? (cmd?.op as ControlCommand['op'])
      : undefined;
    if (
      typeof body['id'] !== 'string' ||
      typeof body['replyTo'] !== 'string' ||
      !body['replyTo'].startsWith('logdial:reply:')
    )
      return null;
    const targets = Array.isArray(body['targets']) ? (body['targets'] as unknown[]).map(String) : undefined;
    return {
      id: body['id'],
      replyTo: body['replyTo'],
      app: typeof body['app'] === 'string' ? body['app'] : null,
      targets,
      op,
    };
  } catch {
    return null;
  }
}
