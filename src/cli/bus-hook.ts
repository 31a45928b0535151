/**
 * The CLI's `--bus URL` (`src/control/bus/`) goes
 * through here: `connectBusClient(url, { secret })` from `control/bus/client.ts`, whose client
 * offers `list(filter)`, `send(cmd, filter, timeoutMs) → { replies, missing }` and `close()`.
 * Loaded dynamically so the CLI works without the bus module and without Redis.
 */
import type { ControlCommand, ControlReply, ProcessIdentity } from '../control/protocol.js';
import type { TargetResult } from '../control/client.js';
import { errorLine } from '../control/error-line.js';

/** Target selection passed to the bus. */
export interface BusFilter {
  app?: string[];
  pid?: number[];
  /** Hosts (a pid names a process only together with its host). */
  host?: string[];
}

/** The bus client, as the CLI uses it. */
export interface BusClient {
  list(filter: BusFilter): Promise<Array<Partial<ProcessIdentity> & Record<string, unknown>>>;
  send(
    cmd: ControlCommand,
    filter: BusFilter,
    timeoutMs: number,
  ): Promise<{ replies: ControlReply[]; missing: unknown[] }>;
  close(): Promise<void> | void;
}

/** Connects to the bus at `url`. */
export async function connectBus(url: string, secret: string | undefined): Promise<BusClient> {
  const modulePath = '../control/bus/client.js';
  const mod = (await import(modulePath)) as {
    connectBusClient(url: string, options: { secret?: string }): Promise<BusClient> | BusClient;
  };
  return await mod.connectBusClient(url, secret ? { secret } : {});
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
      elapsedMs:
        typeof (reply as { elapsedMs?: number }).elapsedMs === 'number'
          ? (reply as { elapsedMs?: number }).elapsedMs!
          : elapsedMs,
    };
    if (!reply.ok && reply.error) row.error = errorLine(reply.error);
    return row;
  });
  for (const entry of missing) {
    const who = (entry && typeof entry === 'object' ? entry : {}) as Partial<ProcessIdentity> & { id?: string };
    const row: TargetResult = {
      kind: 'bus',
      endpoint: `bus:${who.host ?? who.id ?? String(entry)}`,
      status: 'no-answer',
      error: 'no acknowledgement on the bus',
      elapsedMs,
    };
    if (who.pid !== undefined) row.pid = who.pid;
    if (who.app !== undefined) row.app = who.app;
    if (who.processName !== undefined) row.processName = who.processName;
    rows.push(row);
  }
  return rows;
}
