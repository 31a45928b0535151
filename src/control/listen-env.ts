/**
 * `LOGDIAL_LISTEN=1` (or `LOGDIAL_BUS`) in the environment: the options of the endpoint a process
 * starts at import, decided without loading the control plane (the library's entry reads this
 * first and loads `listen.ts` only when it says so).
 */
import type { ListenOptions } from './listen.js';

const YES = ['1', 'true', 'yes', 'on'];

/**
 * The endpoint the environment asks for, or null for none: `LOGDIAL_LISTEN` (1/true/yes/on) or
 * `LOGDIAL_BUS` starts one, with `LOGDIAL_APP`, `LOGDIAL_PORT` (`N` or `A-B`), `LOGDIAL_SECRET`,
 * `LOGDIAL_LEGACY=1`, `LOGDIAL_BUS` and `LOGDIAL_ALLOW_PATHS`.
 */
export function listenOptionsFromEnv(env: NodeJS.ProcessEnv): ListenOptions | null {
  const flag = (env['LOGDIAL_LISTEN'] ?? '').toLowerCase();
  // Naming a bus is enough to join it.
  if (!YES.includes(flag) && !env['LOGDIAL_BUS']) return null;
  const options: ListenOptions = {};
  if (env['LOGDIAL_APP']) options.app = env['LOGDIAL_APP'];
  const port = parsePortEnv(env['LOGDIAL_PORT']);
  if (port !== undefined) options.port = port;
  if (env['LOGDIAL_SECRET']) options.secret = env['LOGDIAL_SECRET'];
  if (env['LOGDIAL_LEGACY'] === '1') options.legacy = true;
  if (env['LOGDIAL_BUS']) options.bus = env['LOGDIAL_BUS'];
  if (env['LOGDIAL_ALLOW_PATHS']) options.allowPaths = parseAllowList(env['LOGDIAL_ALLOW_PATHS']);
  return options;
}

/**
 * `LOGDIAL_ALLOW_PATHS`: `:`-separated like PATH, where `udp://host:514` and `tcp://[::1]:601`
 * stay whole (their colons are not separators).
 */
export function parseAllowList(value: string): string[] {
  return value.match(/(?:udp|tcp):\/\/(?:\[[^\]]*\]|[^:/]+)(?::\d+)?|[^:]+/g) ?? [];
}

/** `N` or `A-B`; anything else is no port. */
export function parsePortEnv(value: string | undefined): number | [number, number] | undefined {
  if (!value) return undefined;
  const m = /^(\d+)(?:-(\d+))?$/.exec(value.trim());
  if (!m) return undefined;
  return m[2] ? [Number(m[1]), Number(m[2])] : Number(m[1]);
}
