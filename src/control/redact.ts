/**
 * Credentials out of what is shown: a URL (`redis://user:password@host`, a syslog destination a
 * push names) may appear in replies, log lines and CLI messages only with its password replaced.
 * No dependencies, so the socket endpoint and the CLI can use it without loading the bus (and
 * Redis client) modules.
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

/**
 * The user info of every `scheme://user:password@` in `text` (a URL anywhere in a message, nested
 * ones such as `udp://redis://admin:pw@host` included) with the password replaced by `***`; a lone
 * `scheme://token@` loses the token. Linear: a scheme is at most 32 characters, and user info ends at the next `/`, `@` or space.
 */
export function redactCredentials(text: string): string {
  if (!text.includes('@')) return text;
  return text.replace(/([a-z][a-z0-9+.-]{0,31}:\/\/)([^\s/@]*)@/gi, (_, scheme: string, info: string) => {
    const colon = info.indexOf(':');
    return colon < 0 ? `${scheme}***@` : `${scheme}${info.slice(0, colon)}:***@`;
  });
}
