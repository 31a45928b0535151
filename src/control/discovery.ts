/**
 * Discovery of local processes: the manifests in the runtime directory. An entry whose process is
 * gone (SIGKILL leaves them behind) is removed on the way, together with its socket; so is a
 * socket nobody listens on any more (found when a client gets ECONNREFUSED).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import type { Manifest } from './protocol.js';
import { checkRuntimeDir, removeQuietly, runtimeDir } from './runtime-dir.js';

/** Which processes to list. */
export interface DiscoveryFilter {
  /** Runtime directory (default: {@link runtimeDir}). */
  dir?: string;
  /** Only processes of this app. */
  app?: string | string[];
  /** Only these pids. */
  pid?: number | number[];
}

/** True when a process with this pid exists (EPERM means it exists but is someone else's). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Lists live processes in the runtime directory, oldest first, removing stale entries (dead pid,
 * unreadable manifest, temp files of a crashed writer, sockets without a manifest).
 *
 * The directory is checked as `listen` checks it (ours, not a symlink, private) and throws
 * {@link RuntimeDirError} otherwise: a directory another user prepared could list sockets of their
 * choosing. A manifest's socket is always the `.sock` beside it, whatever the file says, so a
 * forged manifest can neither point the client elsewhere nor make it delete another file.
 */
export function discover(filter: DiscoveryFilter = {}): Manifest[] {
  const dir = filter.dir ?? runtimeDir();
  let names: string[];
  try {
    checkRuntimeDir(dir);
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const apps = filter.app === undefined ? null : new Set(Array.isArray(filter.app) ? filter.app : [filter.app]);
  const pids = filter.pid === undefined ? null : new Set(Array.isArray(filter.pid) ? filter.pid : [filter.pid]);
  const found: Manifest[] = [];
  const live = new Set<string>();
  // A process hosting several endpoints is asked once whether it lives.
  const alive = new Map<number, boolean>();
  const pidAliveOnce = (pid: number): boolean => {
    let known = alive.get(pid);
    if (known === undefined) alive.set(pid, (known = pidAlive(pid)));
    return known;
  };
  for (const name of names) {
    const path = join(dir, name);
    if (name.endsWith('.tmp')) {
      const writer = Number(name.split('.').at(-2));
      if (!pidAlive(writer)) removeQuietly(path);
      continue;
    }
    if (!name.endsWith('.json')) continue;
    let manifest: Manifest;
    try {
      manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
    } catch {
      // A manifest is written by rename, so an unreadable one is garbage, not "being written".
      removeQuietly(path);
      continue;
    }
    const base = name.slice(0, -'.json'.length);
    const socket = join(dir, `${base}.sock`);
    if (!manifest || typeof manifest !== 'object' || typeof manifest.pid !== 'number' || !pidAliveOnce(manifest.pid)) {
      removeQuietly(path);
      removeQuietly(socket);
      continue;
    }
    manifest.socket = socket;
    live.add(base);
    if (apps && !apps.has(manifest.app)) continue;
    if (pids && !pids.has(manifest.pid)) continue;
    found.push(manifest);
  }
  // Sockets whose manifest is gone and whose pid is dead.
  for (const name of names) {
    if (!name.endsWith('.sock')) continue;
    const base = name.slice(0, -'.sock'.length);
    if (live.has(base)) continue;
    const pid = Number(base.split('-')[0]);
    if (!pidAliveOnce(pid)) removeQuietly(join(dir, name));
  }
  found.sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.pid - b.pid));
  return found;
}

/**
 * Removes one process's entry (manifest + socket), e.g. after its socket refused a connection.
 * Only a `.sock` directly inside `dir` and the manifest beside it are ever removed.
 */
export function removeEntry(manifest: Manifest, dir: string = runtimeDir()): void {
  const socket = manifest.socket;
  if (typeof socket !== 'string' || !socket.endsWith('.sock') || resolve(dirname(socket)) !== resolve(dir)) return;
  const inside = join(dir, basename(socket));
  removeQuietly(inside);
  removeQuietly(inside.slice(0, -'.sock'.length) + '.json');
}

/**
 * True when something accepts connections on the Unix socket `path`, false when it refuses (or is
 * gone), null when neither happened within `timeoutMs`. A connection is accepted by the kernel even
 * while the listener's event loop is busy, so a blocked process still counts as listening.
 */
export function socketAccepts(path: string, timeoutMs = 1000): Promise<boolean | null> {
  return new Promise((resolve) => {
    const socket = connect(path);
    const done = (value: boolean | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done(error.code === 'ECONNREFUSED' || error.code === 'ENOENT' ? false : null),
    );
  });
}

/**
 * {@link discover}, then every entry whose socket refuses connections is removed and left out: its
 * pid is alive, but it is not (or no longer) this endpoint (pid reuse, an endpoint closed without
 * its cleanup). Sockets are tried all at once.
 */
export async function discoverReachable(filter: DiscoveryFilter = {}): Promise<Manifest[]> {
  const dir = filter.dir ?? runtimeDir();
  const found = discover(filter);
  const accepts = await Promise.all(found.map((manifest) => socketAccepts(manifest.socket)));
  return found.filter((manifest, i) => {
    if (accepts[i] !== false) return true;
    removeEntry(manifest, dir);
    return false;
  });
}
