/**
 * The control server's decisions about connections and peers, without I/O: which connection
 * makes room under the cap, when a peer that does not read its replies is cut off, who a command
 * says it comes from, and which hosts only this machine can reach.
 */
import type { ControlCommand, Requester } from './protocol.js';

/** What the cap knows of an open connection. */
export interface ConnectionActivity {
  lastActivity: number;
}

/**
 * The connection to close so a new one fits under `max` (the one idle the longest), or null when
 * there is room.
 */
export function connectionToEvict<C extends ConnectionActivity>(
  open: Iterable<C>,
  count: number,
  max: number,
): C | null {
  if (count < max) return null;
  let oldest: C | null = null;
  for (const c of open) if (!oldest || c.lastActivity < oldest.lastActivity) oldest = c;
  return oldest;
}

/**
 * True when replies queued for a peer pass what one frame may hold (at least 1 MiB): a peer that
 * sends commands but never reads the replies would otherwise make the process buffer without end.
 */
export function repliesPileUp(writableLength: number, maxFrame: number): boolean {
  return writableLength > Math.max(maxFrame, 1 << 20);
}

/**
 * Who sent `cmd`: the transport and address for certain, the rest as the sender claims it
 * (integers only; names cut to 64 and 255 characters).
 */
export function requesterOf(via: 'unix' | 'tcp', address: string | undefined, cmd: ControlCommand | null): Requester {
  const requester: Requester = { via };
  if (address) requester.address = address;
  const sender: unknown = cmd?.sender;
  if (!sender || typeof sender !== 'object') return requester;
  const { pid, uid, user, host } = sender as Record<string, unknown>;
  if (typeof pid === 'number' && Number.isInteger(pid)) requester.pid = pid;
  if (typeof uid === 'number' && Number.isInteger(uid)) requester.uid = uid;
  if (typeof user === 'string') requester.user = user.slice(0, 64);
  if (typeof host === 'string') requester.host = host.slice(0, 255);
  return requester;
}

/** True for a host name or address that only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
