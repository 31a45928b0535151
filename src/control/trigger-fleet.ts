/**
 * `scope: app`: a trigger's window opens on every process of the app. The process whose trigger
 * fired sends the window's levels as a temporary `set` (ttl = `for`, `create`) over the Redis bus
 * to the app's other processes, which carry it out like any `set --for` from the bus.
 *
 * Bounds: only when this process joined a bus (`listen({ bus })` / LOGDIAL_BUS); one send in
 * flight per trigger (a fire meanwhile sends nothing: the window it would open is on its way);
 * each send bounded by the client's timeouts. The send is sent only when a window opens, never
 * on an extension, so a storm costs one message per window. Redis is never on the logging path.
 */
import { getLogger } from '../core/logger.js';
import { levelName } from '../core/levels.js';
import type { TriggerDefinition } from '../core/triggers.js';
import type { ControlCommand } from './protocol.js';
import { processIdentity } from './state.js';

interface FleetBus {
  url: string;
  secret: string | undefined;
}

let bus: FleetBus | null = null;
const inFlight = new Set<string>();

/** The bus this process joined (listen calls it once its endpoint started); null when it left. */
export function rememberFleetBus(url: string | null, secret?: string): void {
  bus = url ? { url, secret } : null;
}

/** Sends `trigger`'s window to the app's other processes; never throws, never blocks. */
export function openFleetWindow(trigger: TriggerDefinition): void {
  if (!bus || inFlight.has(trigger.name) || !trigger.set || trigger.forMs === undefined) return;
  inFlight.add(trigger.name);
  const levels: Record<string, string> = {};
  for (const [name, level] of Object.entries(trigger.set)) levels[name || 'root'] = levelName(level);
  const cmd: ControlCommand = { op: 'set', levels, ttl: trigger.forMs, create: true };
  void sendToOthers(bus, cmd)
    .then((count) =>
      getLogger('logdial').info(
        'logdial: trigger %s opened its window on %d other processes of the app',
        trigger.name,
        count,
      ),
    )
    .catch((error: unknown) =>
      getLogger('logdial').warning(
        'logdial: trigger %s could not open its window on the app: %s',
        trigger.name,
        error instanceof Error ? error.message : String(error),
      ),
    )
    .finally(() => inFlight.delete(trigger.name));
}

async function sendToOthers(fleet: FleetBus, cmd: ControlCommand): Promise<number> {
  const modulePath = './bus/client.js';
  const { connectBusClient } = (await import(modulePath)) as typeof import('./bus/client.js');
  const client = await connectBusClient(fleet.url, fleet.secret ? { secret: fleet.secret } : {});
  try {
    const me = processIdentity();
    const others = (await client.list({ app: me.app })).filter((p) => !(p.pid === me.pid && p.host === me.host));
    if (others.length === 0) return 0;
    const filter = { app: me.app, pid: others.map((p) => p.pid), host: [...new Set(others.map((p) => p.host))] };
    const result = await client.send(cmd, filter, 5000);
    return result.replies.filter((r) => r.ok).length;
  } finally {
    await client.close();
  }
}
