/**
 * What a control endpoint does with one complete frame, decided without side effects: carry out
 * a command, reject it (with a reply and/or a line in the process's log), or hand a bare config to
 * Python's legacy semantics.
 *
 * Rules (docs/protocol.md says the same):
 * - The payload must be UTF-8.
 * - An envelope `{"command", "mac"}` is accepted only where its MAC can be checked: on TCP with a
 *   secret, against this connection's unspent nonce. Anywhere else (a Unix socket, a TCP endpoint
 *   without a secret) a MAC cannot be verified, so the envelope is rejected rather than trusted.
 * - A bare command `{"op"}` is accepted on the Unix socket and on TCP without a secret (legacy).
 * - Anything else is a bare config: applied with Python's semantics on a legacy TCP endpoint
 *   (with or without a secret: Python's senders cannot sign), rejected elsewhere.
 */
import { verifyMac } from './auth.js';

/** Where the frame came from and what the endpoint knows. */
export interface FrameContext {
  via: 'unix' | 'tcp';
  /** The endpoint's HMAC secret (TCP only), if any. */
  secret?: string | undefined;
  /** This connection's unspent nonce (TCP), or null once spent. */
  nonce: string | null;
  /** The TCP endpoint accepts Python's bare frames. */
  legacy: boolean;
}

/** The outcome for one frame. */
export type FrameDecision =
  | { kind: 'execute'; command: unknown; spendNonce: boolean }
  /** `reply`: answer the sender; `audit`: a line for the process's log (the caller adds who sent it). */
  | { kind: 'reject'; message: string; reply: boolean; audit?: string; spendNonce: boolean }
  | { kind: 'legacy'; object: Record<string, unknown> | null; text: string };

function reject(
  message: string,
  options: { reply?: boolean; audit?: string; spendNonce?: boolean } = {},
): FrameDecision {
  const decision: FrameDecision = {
    kind: 'reject',
    message,
    reply: options.reply ?? true,
    spendNonce: options.spendNonce ?? false,
  };
  if (options.audit) decision.audit = options.audit;
  return decision;
}

/**
 * One decoder for every frame: constructing a TextDecoder costs more than decoding a command
 * (profiled per `set`). A whole-buffer decode keeps no state between calls, a failed one included.
 */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decides what to do with `frame` (pure: no I/O, no state change). */
export function decodeControlFrame(frame: Uint8Array, ctx: FrameContext): FrameDecision {
  const tcpLegacy = ctx.via === 'tcp' && ctx.legacy;
  let text: string;
  try {
    text = utf8.decode(frame);
  } catch {
    // Python's senders read no reply: a legacy endpoint only notes it.
    return tcpLegacy
      ? reject('payload is not UTF-8', { reply: false, audit: 'discarded a frame that is not UTF-8' })
      : reject('payload is not UTF-8');
  }
  let parsed: unknown = undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: an INI file, for a legacy endpoint
  }
  const obj =
    parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  const signed = ctx.via === 'tcp' && !!ctx.secret;
  if (obj && typeof obj['command'] === 'string' && 'mac' in obj) return decodeEnvelope(obj['command'], obj['mac'], ctx);
  if (obj && 'op' in obj) {
    if (signed) {
      return reject(
        'authentication required: this endpoint needs commands signed with its secret (--secret or LOGDIAL_SECRET)',
        { audit: 'rejected an unauthenticated command' },
      );
    }
    return { kind: 'execute', command: obj, spendNonce: false };
  }
  if (tcpLegacy) return { kind: 'legacy', object: obj, text };
  return reject('not a logdial command (bare config frames are accepted only on a legacy endpoint)');
}

function decodeEnvelope(commandText: string, mac: unknown, ctx: FrameContext): FrameDecision {
  if (ctx.via !== 'tcp' || !ctx.secret) {
    const why =
      'a signed envelope where no secret can check its MAC (this endpoint has none): send the command itself, or give the endpoint a secret';
    return reject(why, { audit: `rejected a command: ${why}` });
  }
  if (!ctx.nonce || !verifyMac(ctx.secret, ctx.nonce, commandText, mac)) {
    const why = ctx.nonce
      ? 'authentication failed (wrong secret, or a replayed frame)'
      : 'authentication failed (challenge already used: one command per connection)';
    return reject(why, { audit: `rejected a command: ${why}`, spendNonce: true });
  }
  let command: unknown;
  try {
    command = JSON.parse(commandText);
  } catch {
    return reject('command is not JSON', { spendNonce: true });
  }
  // Single use: the same frame cannot be replayed on this connection either.
  return { kind: 'execute', command, spendNonce: true };
}
