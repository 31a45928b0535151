/**
 * `logdial ui`'s web server: Node's own `http`, a page of plain HTML/JS/CSS, JSON requests, and
 * server-sent events for the fleet, the audit journal and the live tail.
 *
 * Invariants: every request passes {@link checkRequest} (token, Host, Origin, CSRF) before anything
 * else; every response forbids framing, sniffing and scripts from elsewhere (CSP); a request body
 * is at most {@link MAX_BODY} bytes; the page shows every text from a process as text (never as
 * markup), which the CSP backs up by refusing inline scripts.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { BusClient, BusFilter } from '../cli/bus-hook.js';
import { parseDuration } from '../cli/duration.js';
import { findTargets } from '../cli/targets.js';
import { DEFAULT_TAP_TTL_MS } from '../control/tap.js';
import type { FleetView } from './fleet.js';
import { answerRow, BadRequest, type Operator, type Scope } from './operator.js';
import { checkRequest, TOKEN_COOKIE, type Guard } from './security.js';
import { EventChannel } from './sse.js';
import { TailRelay } from './tail-relay.js';

/** Largest request body (a pushed config is at most 256 KiB). */
export const MAX_BODY = 512 * 1024;

const STATIC_DIR = fileURLToPath(new URL('../../../src/ui/static/', import.meta.url));
const STATIC: Record<string, string> = {
  '/app.js': 'text/javascript; charset=utf-8',
  '/style.css': 'text/css; charset=utf-8',
};

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** Options of a {@link UiServer}. */
export interface UiServerOptions {
  fleet: FleetView;
  operator: Operator;
  /** Address to bind (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: a free one). */
  port?: number;
  /** Token (default: a fresh random one). */
  token?: string;
  /** Secret for TCP/bus endpoints, for taps. */
  secret?: string;
  /** The bus connection (with `--bus`), for the live tail of bus processes. */
  bus?: BusClient;
  timeoutMs: number;
}

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void;

/** The server: routes, guard, static files. */
export class UiServer {
  readonly token: string;
  private readonly csrf = randomBytes(24).toString('hex');
  private readonly server: Server;
  private guard: Guard | null = null;
  private readonly channels = new Set<EventChannel>();
  private readonly routes: Record<string, Handler>;

  constructor(private readonly options: UiServerOptions) {
    this.token = options.token ?? randomBytes(24).toString('base64url');
    this.server = createServer((req, res) => void this.handle(req, res));
    this.routes = {
      'GET /': (_req, res) => this.page(res),
      'GET /api/fleet': (_req, res) => json(res, 200, this.options.fleet.snapshot()),
      'GET /api/audit': (_req, res) => json(res, 200, { entries: this.options.operator.entries() }),
      'GET /api/status': (_req, res, url) => this.status(res, url),
      'GET /api/events': (_req, res) => this.events(res),
      'GET /api/tail': (_req, res, url) => this.tail(res, url),
      'POST /api/set': (req, res) => this.change(req, res, 'set'),
      'POST /api/revert': (req, res) => this.change(req, res, 'revert'),
      'POST /api/validate': (req, res) => this.change(req, res, 'validate'),
      'POST /api/push': (req, res) => this.change(req, res, 'push'),
    };
  }

  /** Listens and resolves with the URL to open (token included). */
  async start(): Promise<string> {
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, host, () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    const shown = host.includes(':') ? `[${host}]` : host;
    const loopback = host === '127.0.0.1' || host === '::1' || host === 'localhost';
    const hosts = loopback ? [`${shown}:${port}`, `localhost:${port}`] : null;
    this.guard = { token: this.token, csrf: this.csrf, hosts };
    return `http://${shown}:${port}/?token=${this.token}`;
  }

  async close(): Promise<void> {
    for (const channel of this.channels) channel.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    const decision = checkRequest(
      { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers },
      this.guard ?? { token: this.token, csrf: this.csrf, hosts: [] },
    );
    if (!decision.ok) return json(res, decision.status, { error: decision.reason });
    const url = new URL(req.url ?? '/', 'http://x');
    if (decision.tokenFromQuery && url.pathname === '/') {
      // The token moves to a cookie only this origin sends, and leaves the address bar.
      res.setHeader('set-cookie', `${TOKEN_COOKIE}=${this.token}; HttpOnly; SameSite=Strict; Path=/`);
      res.writeHead(303, { location: '/' }).end();
      return;
    }
    const type = STATIC[url.pathname];
    if (req.method === 'GET' && type) return this.file(res, url.pathname.slice(1), type);
    const route = this.routes[`${req.method} ${url.pathname}`];
    if (!route) return json(res, 404, { error: 'no such page' });
    try {
      await route(req, res, url);
    } catch (error) {
      if (!res.headersSent)
        json(res, error instanceof BadRequest ? 400 : 500, {
          error: error instanceof Error ? error.message : String(error),
        });
      else res.end();
    }
  }

  private page(res: ServerResponse): void {
    const html = readFileSync(STATIC_DIR + 'index.html', 'utf8').replace('{{CSRF}}', this.csrf);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  }

  private file(res: ServerResponse, name: string, type: string): void {
    res.writeHead(200, { 'content-type': type }).end(readFileSync(STATIC_DIR + name));
  }

  private async status(res: ServerResponse, url: URL): Promise<void> {
    const scope = scopeOf({ id: url.searchParams.get('id') ?? undefined });
    const row = await this.options.operator.status(scope);
    if (!row) return json(res, 404, { error: 'that process did not answer (gone?)' });
    json(res, 200, {
      answer: answerRow(row),
      status: row.reply?.status ?? null,
      override: row.reply?.override ?? null,
    });
  }

  private events(res: ServerResponse): void {
    const channel = this.track(new EventChannel(res));
    channel.send('fleet', this.options.fleet.snapshot());
    const offFleet = this.options.fleet.onChange(() => channel.send('fleet', this.options.fleet.snapshot()));
    const offAudit = this.options.operator.onEntry((entry) => channel.send('audit', entry));
    channel.onClose(() => {
      offFleet();
      offAudit();
    });
  }

  private async tail(res: ServerResponse, url: URL): Promise<void> {
    const q = url.searchParams;
    const scope = scopeOf({ id: q.get('id') ?? undefined, app: q.get('app') ?? undefined });
    const cmd = {
      logger: q.get('logger') || 'root',
      level: (q.get('level') || 'DEBUG').toUpperCase(),
      ttl: DEFAULT_TAP_TTL_MS,
    };
    if (scope.id?.startsWith('bus:') || (scope.app && q.get('transport') === 'bus'))
      return this.busTail(res, scope, cmd);
    const pid = scope.id ? Number(scope.id.slice('local:'.length)) : undefined;
    const targets = findTargets({
      host: '127.0.0.1',
      timeout: this.options.timeoutMs,
      ...(pid !== undefined ? { pid: [pid] } : { app: [scope.app ?? ''] }),
    });
    if (targets.length === 0) throw new BadRequest('no local process to tail');
    const channel = this.track(new EventChannel(res));
    const relay = new TailRelay(channel);
    const failures = await relay.start(targets, cmd, {
      timeoutMs: this.options.timeoutMs,
      ...(this.options.secret ? { secret: this.options.secret } : {}),
    });
    channel.send('started', { processes: targets.length - failures.length, failures });
  }

  /** The live tail of a bus process (`bus:<host>:<pid>`) or of an app's bus processes. */
  private async busTail(
    res: ServerResponse,
    scope: Scope,
    cmd: { logger: string; level: string; ttl: number },
  ): Promise<void> {
    const client = this.options.bus;
    if (!client) throw new BadRequest('no bus: start logdial ui with --bus URL');
    const filter = busFilter(scope);
    if ((await client.list(filter)).length === 0) throw new BadRequest('no bus process to tail (gone?)');
    const channel = this.track(new EventChannel(res));
    const relay = new TailRelay(channel);
    try {
      channel.send('started', await relay.startBus(client, filter, cmd, this.options.timeoutMs));
    } catch (error) {
      // The stream stays open: closed, the page's EventSource would ask again and again.
      channel.send('started', { processes: 0, failures: [error instanceof Error ? error.message : String(error)] });
    }
  }

  private track(channel: EventChannel): EventChannel {
    this.channels.add(channel);
    channel.onClose(() => this.channels.delete(channel));
    return channel;
  }

  private async change(req: IncomingMessage, res: ServerResponse, what: string): Promise<void> {
    const body = await readJson(req);
    const op = this.options.operator;
    const text = (key: string) => (typeof body[key] === 'string' ? body[key] : undefined);
    const ttl = durationOf(body['for']);
    if (what === 'validate')
      return json(res, 200, {
        error: await op.validate(text('text') ?? '', text('name') ?? 'page.conf', text('format')),
      });
    const scope = scopeOf({ id: text('id'), app: text('app') });
    if (what === 'set') {
      const levels = body['levels'];
      if (!levels || typeof levels !== 'object' || Array.isArray(levels))
        throw new BadRequest('levels: expected { "logger": "LEVEL" }');
      return json(res, 200, await op.set(scope, levels as Record<string, string>, ttl));
    }
    if (what === 'revert') return json(res, 200, await op.revert(scope));
    return json(res, 200, await op.push(scope, text('text') ?? '', text('name') ?? 'page.conf', text('format'), ttl));
  }
}

/** A scope from request fields: a process id, or an app. */
function scopeOf(fields: { id?: string | undefined; app?: string | undefined }): Scope {
  const scope: Scope = {};
  if (fields.id) scope.id = fields.id;
  if (fields.app) scope.app = fields.app;
  if (!scope.id && !scope.app) throw new BadRequest('name a process (id) or an app');
  return scope;
}

/** The bus processes a scope names: `bus:<host>:<pid>` (a host name has no colon), or an app. */
function busFilter(scope: Scope): BusFilter {
  if (!scope.id) return { app: scope.app ?? '' };
  const match = /^bus:(.+):(\d+)$/.exec(scope.id);
  if (!match) throw new BadRequest('id: expected bus:<host>:<pid>');
  return { host: match[1]!, pid: Number(match[2]) }; // both groups are required by the pattern
}

/** `for`: a duration text (`10m`), or absent/empty for a permanent change. */
function durationOf(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new BadRequest('for: expected a duration such as 10m');
  try {
    return parseDuration(value, 's');
  } catch (error) {
    throw new BadRequest(`for: ${(error as Error).message}`);
  }
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(value));
}

/** Reads a JSON object body of at most {@link MAX_BODY} bytes. */
function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new BadRequest(`request body over ${MAX_BODY} bytes`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      try {
        const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
        resolve(value as Record<string, unknown>);
      } catch {
        reject(new BadRequest('the body is not a JSON object'));
      }
    });
  });
}
