/**
 * The CLI's `--bus URL`: connects a bus client (`control/bus/client.ts`) and turns its answers into
 * the same rows as local sends, and starts tails over it. The bus modules (and ioredis, an optional dependency) are loaded
 * only when `--bus` is given; their types are imported as types, which loads nothing.
 */
import type { BusClient, BusFilter } from '../control/bus/client.js';
import type { BusTailSession } from '../control/bus/tail-session.js';
import type { TailCommand, TapRecordFrame } from '../control/tap.js';
import type { ControlCommand } from '../control/protocol.js';
import type { TargetResult } from '../control/client.js';
import { errorLine } from '../control/error-line.js';

export type { BusClient, BusFilter } from '../control/bus/client.js';

/** Connects to the bus at `url`. */
export async function connectBus(url: string, secret: string | undefined): Promise<BusClient> {
  const { connectBusClient } = await import('../control/bus/client.js');
  return await connectBusClient(url, secret ? { secret } : {});
}

/** Sends through the bus and turns its answer into the same rows as local sends. */
export async function sendViaBus(
  client: BusClient,
  cmd: ControlCommand,
  filter: BusFilter,
  timeoutMs: number,
): Promise<TargetResult[]> {
  const started = performance.now();
  const { replies, missing } = await client.send(cmd, filter, timeoutMs);
  const elapsedMs = Math.round(performance.now() - started);
  const rows: TargetResult[] = replies.map((reply) => {
    const row: TargetResult = {
      kind: 'bus',
      endpoint: `bus:${reply.process.host}`,
      pid: reply.process.pid,
      app: reply.process.app,
      processName: reply.process.processName,
      status: reply.ok ? 'ok' : 'rejected',
      reply,
      elapsedMs,
    };
    if (!reply.ok && reply.error) row.error = errorLine(reply.error);
    return row;
  });
  for (const who of missing) {
    rows.push({
      kind: 'bus',
      endpoint: `bus:${who.host}`,
      pid: who.pid,
      app: who.app,
      processName: who.processName,
      status: 'no-answer',
      error: 'no acknowledgement on the bus',
      elapsedMs,
    });
  }
  return rows;
}

/** A tail over the bus as the CLI shows it. */
export interface BusTail {
  session: BusTailSession;
  /** How many processes' taps started. */
  started: number;
  /** The first started tap's answer (`tapping app.db from DEBUG for 5m`). */
  result: string;
  /** One line per process that refused or did not answer: `host:pid: why`. */
  failures: string[];
  /** Records dropped so far for a slow reader, summed over the processes (their end frames' counts once they came). */
  dropped(): number;
}

/**
 * Starts a tail on every bus process matching `filter`; each record goes to `onRecord` with its
 * source (`host:pid`, a peer's text: the caller escapes it).
 */
export async function tailViaBus(
  client: BusClient,
  cmd: TailCommand,
  filter: BusFilter,
  onRecord: (frame: TapRecordFrame, source: string) => void,
  timeoutMs: number,
): Promise<BusTail> {
  const names = new Map((await client.list(filter)).map((p) => [p.endpoint, `${p.host}:${p.pid}`]));
  const name = (endpoint: string) => names.get(endpoint) ?? endpoint;
  // Each record carries its process's count of drops so far: the latest is the total.
  const drops = new Map<string, number>();
  const session = await client.tail(
    cmd,
    filter,
    (frame, endpoint) => {
      drops.set(endpoint, frame.dropped);
      onRecord(frame, name(endpoint));
    },
    timeoutMs,
  );
  const failures: string[] = [];
  let started = 0;
  let result = '';
  for (const [endpoint, reply] of session.replies) {
    if (reply.ok) {
      started++;
      result ||= reply.result ?? '';
    } else failures.push(`${name(endpoint)}: ${errorLine(reply.error ?? { message: 'refused' })}`);
  }
  for (const endpoint of session.missing) failures.push(`${name(endpoint)}: no answer on the bus`);
  const tapped = new Set([...session.replies].filter(([, reply]) => reply.ok).map(([endpoint]) => endpoint));
  if (tapped.size) endWhenGone(client, filter, session, tapped);
  // A process's end frame carries its final count: drops after its last record are counted only there.
  const dropped = () => {
    let sum = 0;
    for (const endpoint of new Set([...drops.keys(), ...session.ends.keys()]))
      sum += Math.max(drops.get(endpoint) ?? 0, session.ends.get(endpoint)?.dropped ?? 0);
    return sum;
  };
  return { session, started, result, failures, dropped };
}

/** How often a bus tail looks whether its processes are still on the bus. */
const PRESENCE_CHECK_MS = 2000;

/**
 * Ends `session` once none of the `tapped` endpoints is present on the bus any more: a process
 * that died sends no end frame (a socket tail ends when its connection closes; this is the bus's
 * equivalent, within the presence expiry).
 */
function endWhenGone(client: BusClient, filter: BusFilter, session: BusTailSession, tapped: Set<string>): void {
  const look = async () => {
    const present = await client.list(filter).catch(() => null);
    if (present && !present.some((p) => tapped.has(p.endpoint))) await session.close();
  };
  const timer = setInterval(() => void look(), PRESENCE_CHECK_MS);
  timer.unref();
  void session.ended.then(() => clearInterval(timer));
}
