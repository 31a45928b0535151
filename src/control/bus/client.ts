/**
 * The fleet client (what `logdial … --bus URL` uses): lists live endpoints from presence, sends a
 * command to every matching one at once, and waits until each has acknowledged or the timeout
 * passed — naming every process that did not answer. For app-wide set/apply it also stores the
 * command as the app's desired override (PX = its ttl) so processes that start or reconnect later
 * converge to it; revert clears it.
 */
import type { Redis } from 'ioredis';
import type { ControlCommand, ControlReply, OverrideInfo, ProcessIdentity } from '../protocol.js';
import type { TailCommand, TapRecordFrame } from '../tap.js';
import { type BusTailSession, TailListener } from './tail-session.js';
import { createRedis, redactUrl } from './connection.js';
import {
  type AckMessage,
  BusRejection,
  type CommandBody,
  checkCommand,
  keys,
  MAX_BUS_MESSAGE_BYTES,
  newId,
  type PresenceEntry,
  seal,
  type TapMessage,
} from './wire.js';

/** Which processes a listing or a command is for; every field narrows (a list means any of them). */
export interface BusFilter {
  app?: string | string[];
  pid?: number | number[];
  host?: string | string[];
}

/** A filter field as a list, or undefined when it does not narrow. */
function many<T>(value: T | T[] | undefined): T[] | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  return list.length ? list : undefined;
}

/** A live endpoint as presence shows it. */
export interface BusProcess extends ProcessIdentity {
  /** The endpoint id (unique per endpoint, also when one process hosts several). */
  endpoint: string;
  /** Effective levels at the last heartbeat (or change). */
  levels: Record<string, string>;
  override: OverrideInfo | null;
  /** Last heartbeat, ms since the epoch (the endpoint's clock). */
  seenAt: number;
}

/** The outcome of {@link BusClient.send}. */
export interface BusSendResult {
  /** One reply per answering endpoint: presence order first, then any endpoint that joined meanwhile. */
  replies: ControlReply[];
  /** Every endpoint present when the command was sent that did not answer in time. */
  missing: BusProcess[];
}

/** A connected client. */
export interface BusClient {
  /** This client's id (its reply channel; shown in the processes' logs as who asked). */
  readonly id: string;
  /** Live endpoints, optionally narrowed; sorted by app, host, pid, processName. */
  list(filter?: BusFilter): Promise<BusProcess[]>;
  /** Sends `cmd` to every endpoint matching `filter` and waits for them (at most `timeoutMs`). */
  send(cmd: ControlCommand, filter?: BusFilter, timeoutMs?: number): Promise<BusSendResult>;
  /**
   * Attaches a tap on every endpoint matching `filter` (`tail` over the bus) and hands each
   * record to `onRecord`; resolves once each has answered or `timeoutMs` passed.
   */
  tail(
    cmd: TailCommand,
    filter: BusFilter,
    onRecord: (frame: TapRecordFrame, endpoint: string) => void,
    timeoutMs?: number,
  ): Promise<BusTailSession>;
  close(): Promise<void>;
}

/** Options for {@link connectBusClient}. */
export interface BusClientOptions {
  /** The app secret: commands are HMAC-signed with it. */
  secret?: string;
  /** Give up connecting after this long (ms). Default 5000. */
  connectTimeoutMs?: number;
}

/** Compare-and-restore, atomically: only if the key still holds our command (nobody sent since). */
const RESTORE_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local ttl = tonumber(ARGV[3])
if ARGV[2] == '' or ttl == -2 or ttl == 0 then redis.call('DEL', KEYS[1])
elseif ttl > 0 then redis.call('SET', KEYS[1], ARGV[2], 'PX', ttl)
else redis.call('SET', KEYS[1], ARGV[2]) end
return 1`;

/**
 * Index entries whose heartbeat expired more than this long ago (by the endpoint's clock) are
 * pruned without a look. Generous so a host with a skewed clock is never pruned while alive;
 * dead entries are removed anyway when a listing finds their presence key gone.
 */
const INDEX_SLACK_MS = 3600_000;
const MGET_CHUNK = 500;

/** Connects to the bus at `url`; rejects with a readable error when Redis cannot be reached. */
export async function connectBusClient(url: string, options: BusClientOptions = {}): Promise<BusClient> {
  const client = new RedisBusClient(url, options);
  await client.connect(options.connectTimeoutMs ?? 5000);
  return client;
}

/** What one `send` waits for: an acknowledgement from each endpoint present when it was sent. */
class PendingAcks {
  readonly answered = new Map<string, ControlReply>();
  readonly done: Promise<void>;
  private outstanding: number;
  private finish: () => void = () => undefined;

  constructor(private readonly expected: ReadonlySet<string>) {
    this.outstanding = expected.size;
    this.done = new Promise<void>((resolve) => (this.finish = resolve));
  }

  get complete(): boolean {
    return this.outstanding === 0;
  }

  /** The first acknowledgement of each endpoint counts; also from endpoints that joined meanwhile. */
  take(ack: AckMessage): void {
    if (this.answered.has(ack.endpoint)) return;
    this.answered.set(ack.endpoint, ack.reply);
    if (this.expected.has(ack.endpoint) && --this.outstanding === 0) this.finish();
  }
}

/** What an app's desired override was before a send stored one, to put back if every process refused it. */
interface PreviousDesired {
  app: string;
  value: string | null;
  pttl: number;
}

class RedisBusClient implements BusClient {
  readonly id = `cli-${newId(8)}`;
  private readonly replyChannel = keys.replyChannel(this.id);
  private readonly secret: string | undefined;
  private readonly cmd: Redis;
  private readonly sub: Redis;
  private lastError: Error | null = null;
  /** Acks by command id, routed to the send that is waiting for them. */
  private readonly waiting = new Map<string, PendingAcks>();
  /** Tap messages by tail id. */
  private readonly tails = new Map<string, TailListener>();

  constructor(
    private readonly url: string,
    options: BusClientOptions,
  ) {
    this.secret = options.secret;
    const onError = (error: Error) => (this.lastError = error);
    this.cmd = createRedis(url, { role: 'client', unref: false, onError });
    this.sub = createRedis(url, { role: 'client', unref: false, onError });
    this.sub.on('message', (_channel: string, message: string) => this.onAck(message));
  }

  async connect(timeoutMs: number): Promise<void> {
    try {
      await withTimeout(Promise.all([this.cmd.connect(), this.sub.connect()]), timeoutMs, 'connect timed out');
      await withTimeout(this.sub.subscribe(this.replyChannel), timeoutMs, 'subscribe timed out');
    } catch (error) {
      this.cmd.disconnect();
      this.sub.disconnect();
      const why = this.lastError?.message ?? (error instanceof Error ? error.message : String(error));
      throw new Error(`cannot reach the bus at ${redactUrl(this.url)}: ${why}`);
    }
  }

  private onAck(message: string): void {
    let ack: AckMessage | TapMessage;
    try {
      ack = JSON.parse(message) as AckMessage | TapMessage;
    } catch {
      return;
    }
    if (!ack || typeof ack !== 'object') return;
    if ('tap' in ack) {
      if (typeof ack.tap === 'string' && typeof ack.endpoint === 'string') this.tails.get(ack.tap)?.take(ack);
      return;
    }
    if (typeof ack.id === 'string' && typeof ack.endpoint === 'string' && ack.reply)
      this.waiting.get(ack.id)?.take(ack);
  }

  async list(filter: BusFilter = {}): Promise<BusProcess[]> {
    const now = Date.now();
    const pids = many(filter.pid);
    const hosts = many(filter.host);
    let apps = many(filter.app);
    if (!apps) {
      // Apps without a heartbeat for a day are forgotten (the set would otherwise only grow).
      await this.cmd.zremrangebyscore(keys.apps, '-inf', now - 24 * 3600_000);
      apps = await this.cmd.zrange(keys.apps, '0', '-1');
    }
    const lists = await Promise.all(apps.map((app) => this.listApp(app, now)));
    return lists
      .flat()
      .filter((p) => (!pids || pids.includes(p.pid)) && (!hosts || hosts.includes(p.host)))
      .sort(byAppHostPid);
  }

  /** One app's live endpoints; index entries whose presence expired are removed on the way. */
  private async listApp(app: string, now: number): Promise<BusProcess[]> {
    const index = keys.index(app);
    // The index is only a hint; the presence entries (which expire by themselves) decide.
    await this.cmd.zremrangebyscore(index, '-inf', now - INDEX_SLACK_MS);
    const ids = await this.cmd.zrange(index, '0', '-1');
    const out: BusProcess[] = [];
    const dead: string[] = [];
    for (let i = 0; i < ids.length; i += MGET_CHUNK) {
      const chunk = ids.slice(i, i + MGET_CHUNK);
      const values = await this.cmd.mget(chunk.map((e) => keys.presence(app, e)));
      values.forEach((value, j) => {
        const endpoint = chunk[j];
        if (value === null) return void (endpoint !== undefined && dead.push(endpoint));
        const entry = parsePresence(value);
        if (entry)
          out.push({
            ...entry.identity,
            endpoint: entry.endpoint,
            levels: entry.levels ?? {},
            override: entry.override ?? null,
            seenAt: entry.seenAt,
          });
      });
    }
    if (dead.length) await this.cmd.zrem(index, ...dead);
    return out;
  }

  async send(command: ControlCommand, filter: BusFilter = {}, timeoutMs = 5000): Promise<BusSendResult> {
    try {
      checkCommand(command);
    } catch (error) {
      if (error instanceof BusRejection) throw new Error(`invalid command: ${error.message}`);
      throw error;
    }
    const targets = await this.list(filter);
    const apps = many(filter.app);
    const narrowed = many(filter.pid) !== undefined || many(filter.host) !== undefined;
    if (narrowed && targets.length === 0) return { replies: [], missing: [] };
    const changes = command.op === 'set' || command.op === 'apply' || command.op === 'revert';
    // Only app-wide changes become the desired state: a per-process tweak must not spread to
    // processes that start later.
    const stores = changes && !narrowed;
    const body: CommandBody = {
      id: newId(12),
      client: this.id,
      replyTo: this.replyChannel,
      // One app: only its endpoints act. Several (or all): each app's channel gets the same message.
      app: apps?.length === 1 && apps[0] !== undefined ? apps[0] : null,
      ts: Date.now(),
      nonce: newId(16),
      cmd: command,
    };
    if (narrowed) body.targets = targets.map((t) => t.endpoint);
    if (stores) body.expiresAt = command.op !== 'revert' && command.ttl ? Date.now() + command.ttl : null;
    const raw = JSON.stringify(seal(body, this.secret));
    if (Buffer.byteLength(raw) > MAX_BUS_MESSAGE_BYTES)
      throw new Error(`command too large for the bus (${Buffer.byteLength(raw)} bytes > ${MAX_BUS_MESSAGE_BYTES})`);
    const pending = new PendingAcks(new Set(targets.map((t) => t.endpoint)));
    this.waiting.set(body.id, pending);
    let previous: PreviousDesired[] = [];
    try {
      if (stores) previous = await this.storeDesired(command, apps ?? [...new Set(targets.map((t) => t.app))], raw);
      const channels = apps ? apps.map((app) => keys.appChannel(app)) : [keys.broadcastChannel];
      await Promise.all(channels.map((channel) => this.cmd.publish(channel, raw)));
      if (!pending.complete) await waitAtMost(pending.done, timeoutMs);
    } finally {
      this.waiting.delete(body.id);
    }
    const answered = pending.answered;
    if (previous.length && answered.size > 0 && [...answered.values()].every((r) => !r.ok)) {
      // Every process refused it (a bad config): do not leave it for later starters to trip on.
      await Promise.all(previous.map((p) => this.restoreDesired(p, raw).catch(() => undefined)));
    }
    return sortReplies(targets, answered);
  }

  /** Stores an app-wide change as each app's desired override (a revert clears it); returns what it replaced. */
  private async storeDesired(command: ControlCommand, apps: string[], raw: string): Promise<PreviousDesired[]> {
    if (!apps.length) return [];
    const pipeline = this.cmd.pipeline();
    for (const app of apps) {
      const key = keys.desired(app);
      if (command.op === 'revert') pipeline.del(key);
      else {
        const ttl = 'ttl' in command ? command.ttl : undefined;
        pipeline.pttl(key);
        // SET … GET (Redis >= 6.2) returns the value it replaced.
        if (ttl) pipeline.call('SET', key, raw, 'PX', String(Math.ceil(ttl)), 'GET');
        else pipeline.call('SET', key, raw, 'GET');
      }
    }
    const results = (await pipeline.exec()) ?? [];
    for (const [error] of results) if (error) throw error;
    if (command.op === 'revert') return [];
    return apps.map((app, i) => ({
      app,
      pttl: results[2 * i]?.[1] as number,
      value: (results[2 * i + 1]?.[1] as string | null) ?? null,
    }));
  }

  /** Puts back the app's previous desired override (or nothing), if it still holds `ours`. */
  private async restoreDesired(previous: PreviousDesired, ours: string): Promise<void> {
    const { app, value, pttl } = previous;
    await this.cmd.eval(RESTORE_SCRIPT, 1, keys.desired(app), ours, value ?? '', String(pttl));
  }

  async tail(
    command: TailCommand,
    filter: BusFilter,
    onRecord: (frame: TapRecordFrame, endpoint: string) => void,
    timeoutMs = 5000,
  ): Promise<BusTailSession> {
    checkCommand(command);
    const targets = await this.list(filter);
    const apps = many(filter.app);
    const id = newId(12);
    // A channel of its own: detaching is unsubscribing, which the endpoints notice.
    const channel = keys.replyChannel(`${this.id}:${id}`);
    const listener = new TailListener(new Set(targets.map((t) => t.endpoint)), onRecord);
    this.tails.set(id, listener);
    const close = async () => {
      this.tails.delete(id);
      listener.close();
      await this.sub.unsubscribe(channel).catch(() => undefined);
    };
    try {
      await this.sub.subscribe(channel);
      const body: CommandBody = {
        id,
        client: this.id,
        replyTo: channel,
        app: apps?.length === 1 && apps[0] !== undefined ? apps[0] : null,
        targets: targets.map((t) => t.endpoint),
        ts: Date.now(),
        nonce: newId(16),
        cmd: command,
      };
      const raw = JSON.stringify(seal(body, this.secret));
      const channels = apps ? apps.map((app) => keys.appChannel(app)) : [keys.broadcastChannel];
      if (targets.length) await Promise.all(channels.map((c) => this.cmd.publish(c, raw)));
      await waitAtMost(listener.answered, timeoutMs);
    } catch (error) {
      await close();
      throw error;
    }
    listener.settle();
    return {
      replies: listener.replies,
      missing: listener.missing(),
      ends: listener.ends,
      ended: listener.ended,
      close,
    };
  }

  async close(): Promise<void> {
    for (const listener of this.tails.values()) listener.close();
    this.tails.clear();
    this.waiting.clear();
    await Promise.all(
      [this.cmd.quit().catch(() => undefined), this.sub.quit().catch(() => undefined)].map((p) =>
        withTimeout(p, 1000, '').catch(() => undefined),
      ),
    );
    this.cmd.disconnect();
    this.sub.disconnect();
  }
}

/** Replies in presence order, then any endpoint that joined meanwhile; every silent target is missing. */
function sortReplies(targets: BusProcess[], answered: Map<string, ControlReply>): BusSendResult {
  const expected = new Set(targets.map((t) => t.endpoint));
  const replies: ControlReply[] = [];
  const missing: BusProcess[] = [];
  for (const target of targets) {
    const reply = answered.get(target.endpoint);
    if (reply) replies.push(reply);
    else missing.push(target);
  }
  for (const [endpoint, reply] of answered) if (!expected.has(endpoint)) replies.push(reply);
  return { replies, missing };
}

function byAppHostPid(a: BusProcess, b: BusProcess): number {
  return (
    cmp(a.app, b.app) ||
    cmp(a.host, b.host) ||
    a.pid - b.pid ||
    cmp(a.processName, b.processName) ||
    cmp(a.endpoint, b.endpoint)
  );
}

function waitAtMost(done: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([done, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

function parsePresence(value: string): PresenceEntry | null {
  try {
    const entry = JSON.parse(value) as PresenceEntry;
    return entry && typeof entry.endpoint === 'string' && entry.identity && typeof entry.identity.pid === 'number'
      ? entry
      : null;
  } catch {
    return null;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms))),
  ]).finally(() => clearTimeout(timer));
}
