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
import { levelName } from '../../core/levels.js';
import { getLogger } from '../../core/logger.js';
import type { Redis } from 'ioredis';
import {
  type ControlCommand,
  type ControlReply,
  type OverrideInfo,
  type ProcessIdentity,
  type Requester,
  rejectionReply,
} from '../protocol.js';
import { processIdentity } from '../state.js';
import { isTailCommand, tailReply, tapSettings, type TailCommand, type TailReply } from '../tap.js';
import { createRedis, redactUrl } from './connection.js';
import { BusTap } from './tap.js';
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
  type TapMessage,
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
  /** How often a tap (`tail`) checks that its viewer still listens (ms). Default 2000. */
  tapCheckMs?: number;
  /**
   * Connections shared with the other endpoints of this process (see {@link shareBusConnections}),
   * instead of a pair of its own: Redis then delivers each command once per process, not once per
   * endpoint. The endpoint neither connects nor closes them.
   */
  connections?: SharedBusConnections;
}

/** One command connection and one subscriber, for every endpoint of a process that is given them. */
export interface SharedBusConnections {
  readonly pub: Redis;
  readonly sub: Redis;
  /** Disconnects both (after the endpoints using them are closed). */
  close(): void;
}

/**
 * A pair of endpoint connections to `url` for many endpoints of one process (each adds its own
 * listeners, hence no listener limit); connecting starts at once and retries with backoff.
 */
export function shareBusConnections(url: string, options: { unref?: boolean } = {}): SharedBusConnections {
  const unref = options.unref ?? true;
  const pub = createRedis(url, { role: 'endpoint', unref });
  const sub = createRedis(url, { role: 'endpoint', unref });
  for (const redis of [pub, sub]) {
    redis.setMaxListeners(0);
    redis.connect().catch(() => undefined);
  }
  return {
    pub,
    sub,
    close: () => {
      pub.disconnect();
      sub.disconnect();
    },
  };
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
  /** Taps (`tail`) attached now. */
  taps: number;
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

/** Taps attached at most at once; more `tail`s are refused. */
const MAX_TAPS = 16;
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
  const endpoint = new RedisBusEndpoint(url, options);
  endpoint.start();
  return endpoint;
}

/** One endpoint on the bus: two Redis connections (commands, subscription) and the state below. */
class RedisBusEndpoint implements BusEndpoint {
  readonly id: string;
  private readonly app: string;
  private readonly secret: string | undefined;
  private readonly execute: ExecuteFn;
  private readonly identityNow: () => ProcessIdentity;
  private readonly heartbeatMs: number;
  private readonly presenceTtlMs: number;
  private readonly maxBytes: number;
  private readonly maxSkew: number;
  private readonly unref: boolean;
  private readonly shownUrl: string;
  private readonly presenceKey: string;
  private readonly desiredKey: string;
  private readonly nonces: NonceCache;
  private readonly pub: Redis;
  private readonly sub: Redis;

  private closed = false;
  private subscribed = false;
  private lastError: string | null = null;
  private lastHeartbeatAt: number | null = null;
  /** Levels and override as the last reply showed them, for presence and rejections. */
  private levels: Record<string, string> = {};
  private override: OverrideInfo | null = null;
  private applied: AppliedOverride | null = null;
  /** Redis's data epoch as last seen: a new one means Redis lost its data. */
  private knownEpoch: string | null = null;
  private handled = 0;
  private refused = 0;
  private rejectionWindow = { second: 0, count: 0 };
  private readonly replies = new Map<string, ControlReply>();
  /** Every command and every convergence runs through this chain, one at a time, in order. */
  private chain: Promise<void> = Promise.resolve();
  private tickQueued = false;
  private pendingCommands = 0;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private readonly taps = new Set<BusTap>();
  private readonly tapCheckMs: number;
  private presenceTimer: NodeJS.Timeout | null = null;
  /** The connections are shared (not ours to connect or close). */
  private readonly shared: boolean;
  /** A SUBSCRIBE is in flight. */
  private subscribing = false;
  /** Removes one of our listeners from the connections (done on close when they are shared). */
  private readonly detach: Array<() => void> = [];

  constructor(url: string, options: BusEndpointOptions) {
    this.app = options.app;
    this.secret = options.secret;
    this.execute = options.execute;
    const identityOption = options.identity ?? processIdentity;
    this.identityNow = typeof identityOption === 'function' ? identityOption : () => identityOption;
    const identity = this.identityNow();
    this.heartbeatMs = Math.max(100, options.heartbeatMs ?? 5000);
    this.presenceTtlMs = this.heartbeatMs * 3;
    this.maxBytes = options.maxMessageBytes ?? MAX_BUS_MESSAGE_BYTES;
    this.maxSkew = options.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
    this.unref = options.unref ?? true;
    this.tapCheckMs = Math.max(50, options.tapCheckMs ?? 2000);
    this.id = `${identity.host}:${identity.pid}:${newId(4)}`;
    this.shownUrl = redactUrl(url);
    this.presenceKey = keys.presence(this.app, this.id);
    this.desiredKey = keys.desired(this.app);
    this.nonces = new NonceCache(this.maxSkew);
    const onError = (error: Error) => this.onError(error);
    this.shared = options.connections !== undefined;
    if (options.connections) {
      this.pub = options.connections.pub;
      this.sub = options.connections.sub;
      this.listen(this.pub, 'error', onError);
      this.listen(this.sub, 'error', onError);
    } else {
      this.pub = createRedis(url, { role: 'endpoint', unref: this.unref, onError });
      this.sub = createRedis(url, { role: 'endpoint', unref: this.unref, onError });
    }
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- EventEmitter's own listener type
  private listen(redis: Redis, event: string, handler: (...args: any[]) => void): void {
    redis.on(event, handler);
    this.detach.push(() => redis.off(event, handler));
  }

  /** Connects both connections, subscribes on every (re)connect, and starts the heartbeats. */
  start(): void {
    const { pub, sub } = this;
    this.listen(sub, 'message', (_channel: string, message: string) => this.onMessage(message));
    this.listen(sub, 'ready', () => this.subscribe());
    this.listen(sub, 'close', () => {
      if (!this.subscribed) return;
      this.subscribed = false;
      // Not listening any more: stop advertising (when only the subscriber dropped, pub still works).
      if (!this.closed && pub.status === 'ready') void pub.del(this.presenceKey).catch((e: Error) => this.onError(e));
    });
    this.listen(pub, 'ready', () => this.tick());
    if (this.shared) {
      // Shared connections may be up already: their 'ready' has passed.
      if (sub.status === 'ready') this.subscribe();
      if (pub.status === 'ready') this.tick();
    } else {
      pub.connect().catch(() => undefined);
      sub.connect().catch(() => undefined);
    }
    this.scheduleHeartbeat();
  }

  private subscribe(): void {
    if (this.subscribing) return;
    this.subscribing = true;
    this.sub
      .subscribe(keys.appChannel(this.app), keys.broadcastChannel)
      .then(() => {
        this.subscribed = true;
        this.lastError = null;
        // Whatever was published while we were away is lost (pub/sub): converge from the record.
        this.tick();
      })
      .catch((error: Error) => this.onError(error))
      .finally(() => (this.subscribing = false));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Taps first: their queued records go out before their end frames, not refused as published
    // after close (they were lost then, and missing from the end frames' drop counts).
    for (const tap of [...this.taps]) tap.end('closed');
    this.closed = true;
    if (this.heartbeatTimer) clearTimeout(this.heartbeatTimer);
    if (this.presenceTimer) clearTimeout(this.presenceTimer);
    const bounded = <T>(p: Promise<T>) => Promise.race([p, new Promise<void>((r) => setTimeout(r, 1000).unref())]);
    await bounded(this.chain);
    if (this.pub.status === 'ready') {
      await bounded(
        this.pub
          .pipeline()
          .del(this.presenceKey)
          .zrem(keys.index(this.app), this.id)
          .exec()
          .catch(() => undefined),
      );
    }
    if (this.shared) for (const remove of this.detach) remove();
    else {
      this.pub.disconnect();
      this.sub.disconnect();
    }
  }

  status(): BusEndpointStatus {
    const applied = this.applied;
    return {
      endpoint: this.id,
      app: this.app,
      url: this.shownUrl,
      connected: this.subscribed && this.pub.status === 'ready',
      lastError: this.lastError,
      lastHeartbeatAt: this.lastHeartbeatAt,
      appliedOverride: applied ? { id: applied.id, expiresAt: applied.expiresAt, ok: applied.ok } : null,
      handled: this.handled,
      refused: this.refused,
      taps: this.taps.size,
    };
  }

  private onError(error: Error): void {
    this.lastError = error.message;
    const now = Date.now();
    if (this.closed || now - (lastWarning.get(this.shownUrl) ?? 0) < 60_000) return;
    lastWarning.set(this.shownUrl, now);
    log.warning(
      'fleet bus %s unreachable (%s); logging goes on with the current configuration, retrying with backoff',
      this.shownUrl,
      error.message,
    );
  }

  /** Heartbeats at jittered intervals (±20 %): a fleet started together must not beat in unison. */
  private scheduleHeartbeat(): void {
    if (this.closed) return;
    this.heartbeatTimer = setTimeout(
      () => {
        this.tick();
        this.scheduleHeartbeat();
      },
      this.heartbeatMs * (0.8 + Math.random() * 0.4),
    );
    if (this.unref) this.heartbeatTimer.unref();
  }

  private enqueue(job: () => Promise<void>): Promise<void> {
    // Bounded: a Redis call or an execute that never settles must not stall every later command.
    const bounded = () => {
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<void>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`bus job took longer than ${JOB_TIMEOUT_MS} ms`)), JOB_TIMEOUT_MS);
        timer.unref();
      });
      return Promise.race([job(), limit]).finally(() => clearTimeout(timer));
    };
    this.chain = this.chain.then(bounded).catch((error: unknown) => {
      this.lastError = error instanceof Error ? error.message : String(error);
    });
    return this.chain;
  }

  /** Runs `execute`, turning a throw into a rejection reply so the sender always gets an answer. */
  private async run(cmd: ControlCommand, requester: Requester): Promise<ControlReply> {
    let reply: ControlReply;
    try {
      reply = await this.execute(cmd, requester);
    } catch (error) {
      reply = this.rejection(cmd.op, error instanceof Error ? error.message : String(error));
    }
    this.levels = reply.levels ?? this.levels;
    this.override = reply.override ?? null;
    return { ...reply, process: this.identityNow() };
  }

  private rejection(op: ControlCommand['op'], message: string): ControlReply {
    return rejectionReply(op, message, this.identityNow(), { levels: this.levels, override: this.override });
  }

  private remember(commandId: string, reply: ControlReply): void {
    this.replies.set(commandId, reply);
    if (this.replies.size > REPLY_MEMORY) this.replies.delete(this.replies.keys().next().value as string);
  }

  private async publishAck(replyTo: string, ack: AckMessage): Promise<void> {
    if (this.pub.status !== 'ready') return;
    await this.pub.publish(replyTo, JSON.stringify(ack)).catch((error: Error) => this.onError(error));
  }

  private addressedToMe(target: string | null, targets: string[] | undefined): boolean {
    return (target === null || target === this.app) && (!targets || targets.includes(this.id));
  }

  /** Opens and checks a message from the channel: null when it is not for this endpoint; throws a BusRejection. */
  private admit(raw: string): CommandBody | null {
    const body = openEnvelope(raw, this.secret, this.maxBytes);
    if (!this.addressedToMe(body.app, body.targets)) return null;
    if (this.secret) {
      if (Math.abs(Date.now() - body.ts) > this.maxSkew)
        throw new BusRejection(
          `stale command refused (timestamp ${new Date(body.ts).toISOString()} is more than ${this.maxSkew} ms from this host's clock)`,
        );
      if (!this.nonces.accept(body.nonce)) throw new BusRejection('replayed command refused');
    }
    return body;
  }

  /** A command from the channel. Synchronous checks first; execution is queued. */
  private onMessage(raw: string): void {
    if (this.closed) return;
    let body: CommandBody | null;
    try {
      body = this.admit(raw);
    } catch (error) {
      this.refused++;
      if (error instanceof BusRejection) this.replyRejection(raw, error.message);
      else this.lastError = String(error);
      return;
    }
    if (!body) return;
    if (this.pendingCommands >= MAX_PENDING_COMMANDS) {
      // A flood (or a stuck execute): refuse rather than queue without bound.
      this.refused++;
      this.replyRejection(raw, `endpoint busy: ${this.pendingCommands} commands waiting`);
      return;
    }
    this.pendingCommands++;
    const admitted = body;
    void this.enqueue(async () => {
      this.pendingCommands--;
      await this.carryOut(admitted, raw);
    });
  }

  /** Carries out an admitted command once (a repeat gets the remembered reply) and acknowledges it. */
  private async carryOut(body: CommandBody, raw: string): Promise<void> {
    if (isTailCommand(body.cmd)) return this.startTail(body, body.cmd);
    let reply = this.replies.get(body.id);
    if (!reply) {
      reply = await this.run(body.cmd, { via: 'bus', client: body.client });
      this.handled++;
      this.remember(body.id, reply);
      if (body.expiresAt !== undefined) {
        // The sender stored this command as the app's desired state (or cleared it): track it.
        if (body.cmd.op === 'revert') this.applied = null;
        else if (body.cmd.op === 'set' || body.cmd.op === 'apply') {
          const expiresAt = body.cmd.ttl ? Date.now() + body.cmd.ttl : null;
          this.applied = { id: body.id, raw, expiresAt, ok: reply.ok };
        }
      }
    }
    await this.publishAck(body.replyTo, { id: body.id, endpoint: this.id, reply });
    if (body.cmd.op !== 'ping' && body.cmd.op !== 'status') this.presenceSoon();
  }

  /** `tail`: answers, then attaches a tap that publishes to the viewer's channel (control/bus/tap.ts). */
  private async startTail(body: CommandBody, cmd: TailCommand): Promise<void> {
    const channel = body.replyTo;
    const answer = (reply: TailReply) =>
      this.publishTap(channel, { tap: body.id, endpoint: this.id, reply: { ...reply, process: this.identityNow() } });
    const settings = tapSettings(cmd);
    if (typeof settings === 'string')
      return void (await answer(tailReply(false, 'rejected', settings)).catch(() => undefined));
    if (this.taps.size >= MAX_TAPS)
      return void (await answer(tailReply(false, 'rejected', `at most ${MAX_TAPS} taps at once`)).catch(
        () => undefined,
      ));
    const tap: BusTap = new BusTap(settings.logger, settings.level, settings.maxBuffer, {
      publish: (frames) => this.publishTap(channel, { tap: body.id, endpoint: this.id, frames }),
      listening: async () => {
        if (this.pub.status !== 'ready') return null;
        const counts = (await this.pub.call('PUBSUB', 'NUMSUB', channel)) as [string, number | string];
        return Number(counts[1]) > 0;
      },
      ended: () => this.taps.delete(tap),
    });
    this.handled++;
    const what = `tapping ${settings.logger || 'root'} from ${levelName(settings.level)}`;
    try {
      await answer(tailReply(true, what));
    } catch {
      return; // the viewer cannot be told: no tap
    }
    this.taps.add(tap);
    tap.start(settings.ttl, this.tapCheckMs);
  }

  /** Publishes a tap message; rejects when Redis does not take it. */
  private async publishTap(channel: string, message: TapMessage): Promise<void> {
    if (this.closed && !message.frames?.some((f) => f.tap === 'end')) throw new Error('endpoint closed');
    if (this.pub.status !== 'ready') throw new Error('bus not connected');
    await this.pub.publish(channel, JSON.stringify(message));
  }

  /** Tells the sender why its message was refused, if it named a reply channel (rate-limited). */
  private replyRejection(raw: string, message: string): void {
    const now = Math.floor(Date.now() / 1000);
    if (this.rejectionWindow.second !== now) this.rejectionWindow = { second: now, count: 0 };
    if (++this.rejectionWindow.count > REJECTION_REPLIES_PER_SECOND) return;
    const peek = peekBody(raw, this.maxBytes);
    if (!peek || !this.addressedToMe(peek.app ?? null, peek.targets)) return;
    const op = peek.op ?? 'ping';
    void this.publishAck(peek.replyTo, { id: peek.id, endpoint: this.id, reply: this.rejection(op, message) });
  }

  /** Heartbeat and convergence, at most one queued at a time. */
  private tick(): void {
    if (this.closed || this.tickQueued) return;
    this.tickQueued = true;
    void this.enqueue(async () => {
      this.tickQueued = false;
      // A SUBSCRIBE that failed (timed out on a busy connection) is retried here, not only on a reconnect.
      if (!this.closed && !this.subscribed && this.sub.status === 'ready') this.subscribe();
      if (this.closed || this.pub.status !== 'ready') return;
      await this.heartbeat();
    });
  }

  /** Presence (while subscribed) and the app's desired override, in one round trip; then converges. */
  private async heartbeat(): Promise<void> {
    const ping = await this.run({ op: 'ping' }, { via: 'local' });
    this.levels = ping.levels ?? this.levels;
    this.override = ping.override ?? null;
    const now = Date.now();
    const pipeline = this.pub.pipeline();
    // Present only while subscribed: a client that sees us expects an answer, and a command
    // published before our subscription would be lost (pub/sub keeps nothing).
    const present = this.subscribed;
    if (present)
      pipeline
        .set(this.presenceKey, this.presenceJson(now), 'PX', this.presenceTtlMs)
        .zadd(keys.index(this.app), now + this.presenceTtlMs, this.id)
        .zadd(keys.apps, now, this.app);
    const results = await pipeline
      .set(keys.epoch, newId(), 'NX')
      .get(keys.epoch)
      .get(this.desiredKey)
      .pttl(this.desiredKey)
      .exec();
    if (!results) return;
    for (const [error] of results) if (error) throw error;
    if (present) this.lastHeartbeatAt = now;
    const at = present ? 3 : 0;
    const epoch = results[at + 1]?.[1] as string | null;
    const desired = results[at + 2]?.[1] as string | null;
    const pttl = results[at + 3]?.[1] as number;
    await this.converge(epoch, desired, pttl);
  }

  private presenceJson(now: number): string {
    const entry: PresenceEntry = {
      endpoint: this.id,
      identity: this.identityNow(),
      levels: this.levels,
      override: this.override,
      seenAt: now,
    };
    return JSON.stringify(entry);
  }

  /**
   * Refreshes presence (new levels) a little later, at a random moment: right after a fan-out
   * every endpoint would otherwise write at once and compete with the acknowledgements.
   */
  private presenceSoon(): void {
    if (this.presenceTimer || this.closed) return;
    this.presenceTimer = setTimeout(
      () => {
        this.presenceTimer = null;
        void this.writePresence();
      },
      200 + Math.random() * 800,
    );
    if (this.unref) this.presenceTimer.unref();
  }

  private async writePresence(): Promise<void> {
    if (this.closed || !this.subscribed || this.pub.status !== 'ready') return;
    await this.pub
      .set(this.presenceKey, this.presenceJson(Date.now()), 'PX', this.presenceTtlMs)
      .catch((error: Error) => this.onError(error));
  }

  /** Brings this endpoint to the app's desired override (see the module comment). */
  private async converge(epoch: string | null, desiredRaw: string | null, pttl: number): Promise<void> {
    const now = Date.now();
    if (this.applied?.expiresAt != null && this.applied.expiresAt <= now) this.applied = null;
    if (epoch !== null && this.knownEpoch !== null && epoch !== this.knownEpoch) {
      this.knownEpoch = epoch;
      return this.reseed(desiredRaw, now);
    }
    this.knownEpoch = epoch;
    if (desiredRaw) return this.followDesired(desiredRaw, pttl, now);
    if (this.applied) return this.dropMissedOverride(now);
  }

  /**
   * Redis lost its data (restart without persistence): our configuration is still right, so keep
   * it and put the override we hold back (NX: the first endpoint back wins, the same text).
   */
  private async reseed(desiredRaw: string | null, now: number): Promise<void> {
    const applied = this.applied;
    if (!applied?.ok || desiredRaw) return;
    const remaining = applied.expiresAt === null ? null : applied.expiresAt - now;
    if (remaining === null) await this.pub.set(this.desiredKey, applied.raw, 'NX');
    else if (remaining > EXPIRY_GRACE_MS) await this.pub.set(this.desiredKey, applied.raw, 'PX', remaining, 'NX');
  }

  /** Applies the app's desired override unless this endpoint holds it already. */
  private async followDesired(desiredRaw: string, pttl: number, now: number): Promise<void> {
    let body: CommandBody;
    try {
      body = openEnvelope(desiredRaw, this.secret, this.maxBytes);
    } catch (error) {
      this.lastError = `desired override refused: ${error instanceof Error ? error.message : String(error)}`;
      return;
    }
    if (body.targets || !this.addressedToMe(body.app, undefined) || this.applied?.id === body.id) return;
    if (body.cmd.op !== 'set' && body.cmd.op !== 'apply') return;
    // A process that converges later may not have created the loggers yet (its code has not run).
    let cmd: ControlCommand = body.cmd.op === 'set' ? { ...body.cmd, create: true } : body.cmd;
    let expiresAt: number | null = null;
    if (body.cmd.ttl) {
      // Redis's own countdown: the same for every host whatever their clocks say.
      const remaining = pttl > 0 ? pttl : typeof body.expiresAt === 'number' ? body.expiresAt - now : 0;
      if (remaining <= 0) return;
      // A signed record carries its expiry: a stale copy put back without PX cannot live forever.
      if (this.secret && typeof body.expiresAt === 'number' && body.expiresAt + this.maxSkew < now) return;
      cmd = { ...cmd, ttl: remaining };
      expiresAt = now + remaining;
    }
    const reply = this.replies.get(body.id) ?? (await this.run(cmd, { via: 'bus', client: body.client }));
    this.remember(body.id, reply);
    this.applied = { id: body.id, raw: desiredRaw, expiresAt, ok: reply.ok };
    this.presenceSoon();
  }

  /**
   * Cleared while we were away (a revert we missed): back to the base configuration, unless it is
   * about to expire by its own ttl anyway.
   */
  private async dropMissedOverride(now: number): Promise<void> {
    const applied = this.applied;
    if (!applied) return;
    const expiring = applied.expiresAt !== null && applied.expiresAt - now <= EXPIRY_GRACE_MS;
    this.applied = null;
    if (expiring || !applied.ok) return;
    await this.run({ op: 'revert' }, { via: 'bus', client: 'convergence' });
    this.presenceSoon();
  }
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
