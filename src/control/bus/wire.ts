/**
 * What travels over Redis for the fleet bus: key and channel names, the signed command envelope,
 * the acknowledgement, the presence entry, and the checks every endpoint applies before a command
 * reaches `executeCommand` (size, shape, signature, freshness, replay).
 *
 * Layout (`<app>` is URI-encoded so an app name cannot forge another key or channel):
 * - `logdial:epoch` — random id created once per Redis dataset; a change means Redis lost its data
 *   (restart without persistence, FLUSHALL), so endpoints re-seed the desired override they hold.
 * - `logdial:apps` — sorted set of app names (score: last heartbeat, ms), to list every app.
 * - `logdial:app:<app>:endpoints` — sorted set of endpoint ids (score: heartbeat expiry, ms): the
 *   per-app index, so `ls --app X` reads one set and MGETs its entries instead of SCANning the
 *   keyspace (SCAN is O(all keys) per listing; this is O(endpoints of the app)).
 * - `logdial:app:<app>:ep:<endpoint>` — the presence entry (JSON), with a PX expiry: it vanishes by
 *   itself when the process dies.
 * - `logdial:app:<app>:desired` — the desired override (the signed command envelope), PX = its ttl.
 * - channels `logdial:cmd:<app>` (per app), `logdial:cmd` (every app), `logdial:reply:<client>`.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DEFAULT_MAX_FRAME } from '../framing.js';
import type { ControlCommand, ControlReply, OverrideInfo, ProcessIdentity } from '../protocol.js';
import type { TailCommand, TailReply, TapEndFrame, TapRecordFrame } from '../tap.js';

/** What a bus message may carry: a control command, or a `tail` (answered by tap messages). */
export type BusCommand = ControlCommand | TailCommand;

/** Largest command message an endpoint accepts (bytes of the Redis message): the local socket's
 * frame limit, so a command too big for a socket is too big for the bus. */
export const MAX_BUS_MESSAGE_BYTES = DEFAULT_MAX_FRAME;
/** A signed command older or newer than this (by the endpoint's clock) is refused. */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 60_000;

const enc = (s: string) => encodeURIComponent(s);

/** Key and channel names. */
export const keys = {
  epoch: 'logdial:epoch',
  apps: 'logdial:apps',
  index: (app: string) => `logdial:app:${enc(app)}:endpoints`,
  presence: (app: string, endpoint: string) => `logdial:app:${enc(app)}:ep:${enc(endpoint)}`,
  desired: (app: string) => `logdial:app:${enc(app)}:desired`,
  appChannel: (app: string) => `logdial:cmd:${enc(app)}`,
  broadcastChannel: 'logdial:cmd',
  replyChannel: (client: string) => `logdial:reply:${enc(client)}`,
};

/** The signed part of a command message. */
export interface CommandBody {
  /** Unique per send; endpoints answer each id once and dedupe the live and the stored copy. */
  id: string;
  /** The sending client's id (for the process's log line: who asked). */
  client: string;
  /** Channel the acknowledgement goes to. */
  replyTo: string;
  /** Target app, or null for every app. */
  app: string | null;
  /** When the send names processes (pid/host filter): the endpoint ids that must act; others ignore it. */
  targets?: string[];
  /** Sender's clock, ms since the epoch (freshness check when signed). */
  ts: number;
  /** Random, never reused: a replayed message is refused. */
  nonce: string;
  cmd: BusCommand;
  /**
   * Present when the sender also stored this command as the app's desired override (set/apply:
   * its absolute expiry in ms by the sender's clock, or null without ttl) or cleared it (revert:
   * null). Endpoints track such commands to converge later; absent for targeted sends.
   */
  expiresAt?: number | null;
}

/** A command message: the body as text (so the signature covers exact bytes) and its HMAC. */
export interface CommandEnvelope {
  v: 1;
  body: string;
  /** HMAC-SHA256(secret, body) in hex; absent when the sender has no secret. */
  sig?: string;
}

/** An acknowledgement, published on the sender's reply channel. */
export interface AckMessage {
  id: string;
  endpoint: string;
  reply: ControlReply;
}

/** A presence entry as stored (and as `list()` returns it). */
/**
 * What an endpoint publishes on the viewer's reply channel for a `tail` (command id `tap`): first
 * its answer (`reply`), then batches of record frames, last an end frame.
 */
export interface TapMessage {
  tap: string;
  endpoint: string;
  reply?: TailReply;
  frames?: Array<TapRecordFrame | TapEndFrame>;
}

export interface PresenceEntry {
  /** Unique id of this endpoint (one per `startBusEndpoint`). */
  endpoint: string;
  identity: ProcessIdentity;
  levels: Record<string, string>;
  override: OverrideInfo | null;
  /** Heartbeat time, ms, endpoint's clock. */
  seenAt: number;
}

/** A short random id. */
export function newId(bytes = 8): string {
  return randomBytes(bytes).toString('hex');
}

/** HMAC-SHA256 of `body` with `secret`, hex. */
export function sign(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** Builds a (signed when `secret` is set) envelope around `body`. */
export function seal(body: CommandBody, secret?: string): CommandEnvelope {
  const text = JSON.stringify(body);
  return secret ? { v: 1, body: text, sig: sign(secret, text) } : { v: 1, body: text };
}

/** Why a message was refused (shown to the sender in the rejection reply). */
export class BusRejection extends Error {}

const OPS = new Set(['ping', 'status', 'apply', 'set', 'revert', 'tail']);
const FORMATS = new Set(['ini', 'json', 'yaml']);
/** executeCommand enforces its own (smaller) limit; this only keeps absurd numbers off the bus. */
const MAX_TTL_MS = 366 * 24 * 3600 * 1000;

/**
 * Parses and checks a raw message: size, JSON, envelope, signature (when `secret` is set) and the
 * command's shape. Freshness and replay are checked by the caller (the stored desired override is
 * old by design). Throws `BusRejection` with a reason; returns the body otherwise.
 */
export function openEnvelope(
  raw: string | Buffer,
  secret: string | undefined,
  maxBytes = MAX_BUS_MESSAGE_BYTES,
): CommandBody {
  const size = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.length;
  if (size > maxBytes) throw new BusRejection(`message too large (${size} bytes > ${maxBytes})`);
  let env: unknown;
  try {
    env = JSON.parse(raw.toString());
  } catch {
    throw new BusRejection('message is not JSON');
  }
  if (!isObject(env) || env['v'] !== 1 || typeof env['body'] !== 'string')
    throw new BusRejection('not a logdial bus envelope');
  const bodyText = env['body'];
  const sig = env['sig'];
  if (secret) {
    if (typeof sig !== 'string') throw new BusRejection('unsigned command refused: this app requires a secret');
    const expected = Buffer.from(sign(secret, bodyText), 'hex');
    const given = Buffer.from(sig, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new BusRejection('bad signature: wrong secret or altered command');
  }
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    throw new BusRejection('command body is not JSON');
  }
  if (!isObject(body)) throw new BusRejection('command body is not an object');
  const { id, client, replyTo, app, targets, ts, nonce, cmd, expiresAt } = body;
  if (typeof id !== 'string' || !id || id.length > 200) throw new BusRejection('command id missing');
  if (typeof client !== 'string' || client.length > 200) throw new BusRejection('client id missing');
  if (typeof replyTo !== 'string' || !replyTo.startsWith('logdial:reply:') || replyTo.length > 300)
    throw new BusRejection('reply channel missing or not a logdial reply channel');
  if (app !== null && typeof app !== 'string') throw new BusRejection('app must be a string or null');
  if (targets !== undefined && (!Array.isArray(targets) || !targets.every((x) => typeof x === 'string')))
    throw new BusRejection('targets must be a list of endpoint ids');
  if (typeof ts !== 'number' || !Number.isFinite(ts)) throw new BusRejection('timestamp missing');
  if (typeof nonce !== 'string' || nonce.length < 8 || nonce.length > 200) throw new BusRejection('nonce missing');
  if (expiresAt !== undefined && expiresAt !== null && (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)))
    throw new BusRejection('expiresAt must be a number or null');
  checkCommand(cmd);
  return body as unknown as CommandBody;
}

/** Checks a command's shape like the local transports do; semantics (a bad config) are `executeCommand`'s. */
export function checkCommand(cmd: unknown): asserts cmd is BusCommand {
  if (!isObject(cmd) || typeof cmd['op'] !== 'string' || !OPS.has(cmd['op'])) throw new BusRejection('unknown command');
  const ttl = cmd['ttl'];
  if (ttl !== undefined && (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl <= 0 || ttl > MAX_TTL_MS))
    throw new BusRejection('ttl must be a positive number of milliseconds');
  if (cmd['op'] === 'apply') {
    if (typeof cmd['config'] !== 'string') throw new BusRejection('apply: config text missing');
    if (typeof cmd['format'] !== 'string' || !FORMATS.has(cmd['format']))
      throw new BusRejection('apply: format must be ini, json or yaml');
    if (cmd['source'] !== undefined && typeof cmd['source'] !== 'string')
      throw new BusRejection('apply: source must be a string');
    if (cmd['disableExisting'] !== undefined && typeof cmd['disableExisting'] !== 'boolean')
      throw new BusRejection('apply: disableExisting must be a boolean');
  } else if (cmd['op'] === 'set') {
    const levels = cmd['levels'];
    if (!isObject(levels) || Object.keys(levels).length === 0) throw new BusRejection('set: levels missing');
    for (const v of Object.values(levels))
      if (typeof v !== 'string' && typeof v !== 'number')
        throw new BusRejection('set: a level must be a name or a number');
  }
}

/**
 * Remembers nonces of accepted signed commands for the freshness window, so a replayed message is
 * refused. Bounded: beyond `cap` live entries new commands are refused (fail closed) rather than
 * forgetting nonces that are still replayable.
 */
export class NonceCache {
  private readonly seen = new Map<string, number>();
  constructor(
    private readonly windowMs: number,
    private readonly cap = 100_000,
  ) {}

  /** Records `nonce`; false when it was already seen (a replay) or the cache is full. */
  accept(nonce: string, now = Date.now()): boolean {
    this.prune(now);
    if (this.seen.has(nonce)) return false;
    if (this.seen.size >= this.cap) return false;
    this.seen.set(nonce, now + 2 * this.windowMs);
    return true;
  }

  private prune(now: number): void {
    // Map keeps insertion order and every entry has the same lifetime: drop from the front.
    for (const [nonce, until] of this.seen) {
      if (until > now) break;
      this.seen.delete(nonce);
    }
  }
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
