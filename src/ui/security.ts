/**
 * Who may talk to `logdial ui`: a pure decision per request, so it can be tested without a server.
 *
 * Invariants:
 * - every request carries the token: the `logdial_ui` cookie (set when the page is opened with
 *   `?token=`), the `?token=` query itself, or an `X-Logdial-Token` header; compared in constant time;
 * - the `Host` header names the address the server is bound to (a DNS-rebinding page names its own),
 *   unless it is bound beyond loopback;
 * - a request with an `Origin` names that same origin (`http://` + Host); a state change (POST) must have one;
 * - a state change also carries `X-Logdial-CSRF` equal to the page's CSRF value, which only a page
 *   served by this server knows (a cross-site form can neither read it nor set the header), and a
 *   JSON body (a cross-site form cannot send `application/json` without a preflight we never answer).
 */
import { timingSafeEqual } from 'node:crypto';

/** The secrets and address one server checks requests against. */
export interface Guard {
  token: string;
  csrf: string;
  /**
   * `host:port` values accepted in the Host header (`127.0.0.1:8123`, `localhost:8123`); null when
   * bound beyond loopback under names this server cannot know (then only the token and the
   * Origin, which must name the Host, protect it).
   */
  hosts: string[] | null;
}

/** What the decision needs of a request. */
export interface RequestFacts {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

/** Allowed, or refused with an HTTP status and the reason shown to the caller. */
export type Decision = { ok: true; tokenFromQuery: boolean } | { ok: false; status: number; reason: string };

/** Constant-time comparison of two texts (different lengths compare unequal without a shortcut on content). */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}

function header(facts: RequestFacts, name: string): string | undefined {
  const value = facts.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The value of cookie `name` in a Cookie header. */
export function cookieValue(cookies: string | undefined, name: string): string | undefined {
  if (!cookies) return undefined;
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Name of the cookie that carries the token. */
export const TOKEN_COOKIE = 'logdial_ui';

/** Decides whether a request may proceed. */
export function checkRequest(facts: RequestFacts, guard: Guard): Decision {
  const host = header(facts, 'host')?.toLowerCase();
  if (!host || (guard.hosts && !guard.hosts.includes(host)))
    return { ok: false, status: 421, reason: 'this server answers only to the address it printed' };
  const origin = header(facts, 'origin');
  if (origin !== undefined && origin !== `http://${host}`)
    return { ok: false, status: 403, reason: 'cross-origin requests are refused' };
  const query = new URL(facts.url, 'http://x').searchParams.get('token') ?? undefined;
  const given = header(facts, 'x-logdial-token') ?? cookieValue(header(facts, 'cookie'), TOKEN_COOKIE) ?? query;
  const valid = sameSecret(given, guard.token) || (query !== undefined && sameSecret(query, guard.token));
  if (!valid)
    return {
      ok: false,
      status: 401,
      reason: 'a token is required (open the URL `logdial ui` printed, token included)',
    };
  if (facts.method === 'GET' || facts.method === 'HEAD') return { ok: true, tokenFromQuery: query !== undefined };
  if (facts.method !== 'POST') return { ok: false, status: 405, reason: 'only GET and POST' };
  if (origin === undefined) return { ok: false, status: 403, reason: 'a change needs the Origin header' };
  if (!sameSecret(header(facts, 'x-logdial-csrf'), guard.csrf))
    return { ok: false, status: 403, reason: 'a change needs the page’s CSRF value' };
  const type = header(facts, 'content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) return { ok: false, status: 415, reason: 'a change is sent as JSON' };
  return { ok: true, tokenFromQuery: false };
}
