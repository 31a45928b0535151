/**
 * The CLI's `--bus URL`: connects a bus client (`control/bus/client.ts`) and turns its answers into
 * the same rows as local sends. The bus modules (and ioredis, an optional dependency) are loaded
 * only when `--bus` is given; their types are imported as types, which loads nothing.
 */
import type { BusClient, BusFilter } from '../control/bus/client.js';
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
