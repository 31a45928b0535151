/**
 * `logdial ui` once its options are read: the fleet, the operator and the server, started
 * together and stopped together on a signal.
 */
import { Fleet } from './fleet.js';
import { Operator } from './operator.js';
import { UiServer } from './server.js';

/** What `logdial ui` was asked for. */
export interface UiOptions {
  bus?: string;
  app?: string[];
  port?: number;
  host?: string;
  token?: string;
  secret?: string;
  timeout: number;
}

/** A running `logdial ui`. */
export interface RunningUi {
  url: string;
  close(): Promise<void>;
}

/** Starts the fleet poll and the server; resolves once the URL can be opened. */
export async function startUi(options: UiOptions): Promise<RunningUi> {
  const fleet = new Fleet({
    timeoutMs: Math.min(options.timeout, 2000),
    ...(options.bus ? { bus: options.bus } : {}),
    ...(options.secret ? { secret: options.secret } : {}),
    ...(options.app?.length ? { app: options.app } : {}),
  });
  const operator = new Operator({
    timeoutMs: options.timeout,
    ...(options.bus ? { bus: options.bus } : {}),
    ...(options.secret ? { secret: options.secret } : {}),
  });
  await fleet.start();
  const server = new UiServer({
    fleet,
    operator,
    timeoutMs: options.timeout,
    ...(fleet.busClient ? { bus: fleet.busClient } : {}),
    ...(options.host ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.token ? { token: options.token } : {}),
    ...(options.secret ? { secret: options.secret } : {}),
  });
  let url: string;
  try {
    url = await server.start();
  } catch (error) {
    await fleet.stop();
    throw error;
  }
  return {
    url,
    close: async () => {
      await server.close();
      await fleet.stop();
    },
  };
}
