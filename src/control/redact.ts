/**
 * Credentials out of what is shown: a bus URL (`redis://user:password@host`) may appear in log
 * lines and CLI messages only with its password replaced. No dependencies, so the socket endpoint
 * and the CLI can use it without loading the bus (and Redis client) modules.
 */

/** `url` with any password replaced by `***`, for status and messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^@/]*)@/, '//***@');
  }
}
