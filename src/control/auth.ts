/**
 * Authentication of commands on TCP: the server greets every connection with a fresh random
 * nonce; a command is accepted only with HMAC-SHA256(secret, nonce + "\n" + command text). The
 * nonce is single-use and per connection, so a captured frame replayed on another connection (new
 * nonce) or on the same one (nonce spent) is rejected.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AuthenticatedEnvelope, Hello } from './protocol.js';

/** A fresh challenge: 16 random bytes, hex. */
export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

/** HMAC-SHA256 over `nonce + "\n" + command`, hex. */
export function computeMac(secret: string, nonce: string, command: string): string {
  return createHmac('sha256', secret).update(nonce).update('\n').update(command).digest('hex');
}

/** Constant-time check of a MAC. */
export function verifyMac(secret: string, nonce: string, command: string, mac: unknown): boolean {
  if (typeof mac !== 'string' || !/^[0-9a-f]{64}$/i.test(mac)) return false;
  const expected = Buffer.from(computeMac(secret, nonce, command), 'hex');
  const given = Buffer.from(mac, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Wraps a command (JSON text) for an endpoint that greeted with `nonce`. */
export function seal(secret: string, nonce: string, command: string): AuthenticatedEnvelope {
  return { command, mac: computeMac(secret, nonce, command) };
}

/** Prefix of the greeting line of a logdial TCP endpoint. */
export const HELLO_PREFIX = 'LOGDIAL/1 ';
/** Longest greeting line a client reads before giving up. */
export const MAX_HELLO_BYTES = 4096;

/** The greeting line (with its newline). */
export function formatHello(hello: Hello): string {
  return `${HELLO_PREFIX}${JSON.stringify(hello)}\n`;
}

/** Parses a greeting line (without its newline); `null` when it is not one. */
export function parseHello(line: string): Hello | null {
  if (!line.startsWith(HELLO_PREFIX)) return null;
  try {
    const value = JSON.parse(line.slice(HELLO_PREFIX.length)) as Hello;
    if (value && value.logdial === 1 && typeof value.nonce === 'string') return value;
  } catch {
    // not a greeting
  }
  return null;
}
