/**
 * The per-user runtime directory that holds each process's socket and manifest:
 * `$LOGDIAL_RUNTIME_DIR` (tests), else `$XDG_RUNTIME_DIR/logdial`, else `<tmpdir>/logdial-<uid>`.
 * It must be a real directory (not a symlink), owned by this user, mode 0700: that, and the
 * socket's 0600, is what keeps other users away from the control sockets.
 */
import {
  chmodSync,
  closeSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Manifest } from './protocol.js';

/** The runtime directory for this user (not created). */
export function runtimeDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env['LOGDIAL_RUNTIME_DIR'];
  if (override) return override;
  const xdg = env['XDG_RUNTIME_DIR'];
  if (xdg) return join(xdg, 'logdial');
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return join(tmpdir(), `logdial-${uid}`);
}

/** The runtime directory is unusable (owned by someone else, a symlink, not a directory). */
export class RuntimeDirError extends Error {
  override name = 'RuntimeDirError';
}

/**
 * Creates the directory (0700) if needed and checks it: a directory, not a symlink, owned by this
 * user. Group/other permission bits on our own directory are removed rather than refused.
 */
export function ensureRuntimeDir(dir: string = runtimeDir()): string {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  checkRuntimeDir(dir);
  return dir;
}

/** Throws {@link RuntimeDirError} unless `dir` is a directory owned by this user with mode 0700. */
export function checkRuntimeDir(dir: string): void {
  const stat = lstatSync(dir);
  if (stat.isSymbolicLink())
    throw new RuntimeDirError(`${dir} is a symbolic link; refusing to use it for control sockets`);
  if (!stat.isDirectory()) throw new RuntimeDirError(`${dir} is not a directory`);
  if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) {
    throw new RuntimeDirError(
      `${dir} is owned by uid ${stat.uid}, not by this user (uid ${process.getuid()}); refusing to use it`,
    );
  }
  if ((stat.mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

/** Paths of a process's socket and manifest; `index` > 1 for a second endpoint in one process. */
export function endpointPaths(dir: string, pid: number, index = 1): { socket: string; manifest: string } {
  const base = index > 1 ? `${pid}-${index}` : `${pid}`;
  return { socket: join(dir, `${base}.sock`), manifest: join(dir, `${base}.json`) };
}

/** Writes the manifest atomically (temp file + rename), mode 0600. */
export function writeManifest(path: string, manifest: Manifest): void {
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(manifest) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

/** Removes a file, ignoring "already gone". */
export function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already removed, or never created
  }
}
