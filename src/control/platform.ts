/**
 * Where the control plane runs: its endpoints are Unix domain sockets in a private directory, so
 * Linux and macOS (and the BSDs, which share macOS's limits). Windows has no such sockets under
 * Node's `net` paths, so there `listen()` and the CLI say so instead of failing half-way.
 *
 * A Unix socket path must fit `sockaddr_un.sun_path`: 108 bytes on Linux, 104 on macOS and the
 * BSDs, the final NUL included. Longer paths are silently cut by some layers, which binds a socket
 * at a truncated path elsewhere; so the length is checked before anything is created.
 */

/** Platforms the control plane supports, for messages and docs. */
export const SUPPORTED_PLATFORMS = 'Linux and macOS';

/** Why the control plane cannot run on `platform`, or null when it can. */
export function controlPlaneUnsupported(platform: string = process.platform): string | null {
  if (platform !== 'win32') return null;
  return `the control plane (listen, ls, status, push, set, revert) is not available on Windows yet: it needs Unix domain sockets; supported platforms: ${SUPPORTED_PLATFORMS}`;
}

/** Size of `sun_path` (bytes, the final NUL included) on `platform`. */
export function sunPathBytes(platform: string = process.platform): number {
  return platform === 'linux' || platform === 'android' ? 108 : 104;
}

/** Why `path` cannot be a Unix socket path on `platform` (too long), or null when it fits. */
export function socketPathProblem(path: string, platform: string = process.platform): string | null {
  const bytes = Buffer.byteLength(path, 'utf8');
  const limit = sunPathBytes(platform);
  if (bytes < limit) return null;
  const name = platform === 'darwin' ? 'macOS' : platform === 'linux' ? 'Linux' : platform;
  return (
    `socket path ${path} is ${bytes} bytes; Unix socket paths on ${name} hold at most ${limit - 1} bytes ` +
    `(${limit} with the final NUL). Use a shorter runtime directory: LOGDIAL_RUNTIME_DIR, XDG_RUNTIME_DIR or listen({ dir })`
  );
}
