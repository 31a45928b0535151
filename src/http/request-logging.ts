/**
 * Request logging for HTTP servers, as pino-http does it: each request gets an id (from a request
 * header, or generated), runs inside a context scope carrying that id (so every record logged
 * while serving it carries it, whichever logger logs it), and ends with one completion line —
 * method, URL, status, duration, id — at a level that follows the status.
 *
 * Invariants: a request is logged once (finish, or close before finish as "aborted"); an id taken
 * from a header is used only when it is short and plain (at most {@link MAX_ID_LENGTH} characters
 * of `[A-Za-z0-9._:/+=@-]`), otherwise a fresh one is generated, so a peer cannot put arbitrary
 * text into every line of its request; options are checked at construction.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { withContext } from '../core/context.js';
import type { BoundLogger } from '../core/child.js';
import { ERROR, INFO, WARNING, checkLevel } from '../core/levels.js';
import { type Logger, getLogger } from '../core/logger.js';

/** The longest request id taken from a header. */
export const MAX_ID_LENGTH = 128;
const PLAIN_ID = /^[A-Za-z0-9._:/+=@-]+$/;

/** Options of {@link httpLogger} and {@link withRequestLogging}. */
export interface RequestLoggingOptions {
  /** Logger of the completion lines: a logger, a child, or a name (default `http`). */
  logger?: Logger | BoundLogger | string;
  /** Request header the id is read from (default `x-request-id`); `false`: always generate. */
  requestIdHeader?: string | false;
  /** Response header the id is written to (default: the request header's name); `false`: none. */
  responseIdHeader?: string | false;
  /** Makes an id when the request has none (default `crypto.randomUUID`). */
  genReqId?: (req: IncomingMessage) => string;
  /** Context key of the id (default `reqId`, Fastify's name). */
  idKey?: string;
  /** Level of a completion line; default: ERROR for 5xx or an error, WARNING for 4xx and aborted requests, INFO otherwise. */
  level?: (req: IncomingMessage, res: ServerResponse, error?: Error) => number | string;
  /** `true` for requests that get no completion line (health checks); their context is still set. */
  ignore?: (req: IncomingMessage) => boolean;
}

/** The default level of a completion line. */
export function completionLevel(statusCode: number, error: Error | undefined, aborted: boolean): number {
  if (error !== undefined || statusCode >= 500) return ERROR;
  if (aborted || statusCode >= 400) return WARNING;
  return INFO;
}

/** The id a request header offers, when it is short and plain; `undefined` otherwise. */
export function acceptedId(value: string | string[] | undefined): string | undefined {
  const id = Array.isArray(value) ? value[0] : value;
  return id !== undefined && id.length > 0 && id.length <= MAX_ID_LENGTH && PLAIN_ID.test(id) ? id : undefined;
}

function errorOf(res: ServerResponse): Error | undefined {
  const err: unknown = (res as { err?: unknown }).err;
  return err instanceof Error ? err : undefined;
}

/** What the request logging of a server knows, built once from its options. */
export class RequestLogging {
  private readonly log: Logger | BoundLogger;
  private readonly requestHeader: string | undefined;
  private readonly responseHeader: string | undefined;
  private readonly genReqId: (req: IncomingMessage) => string;
  private readonly idKey: string;
  private readonly level: RequestLoggingOptions['level'];
  private readonly ignore: ((req: IncomingMessage) => boolean) | undefined;

  constructor(options: RequestLoggingOptions = {}) {
    const logger = options.logger ?? 'http';
    this.log = typeof logger === 'string' ? getLogger(logger) : logger;
    if (typeof this.log?.info !== 'function')
      throw new TypeError('request logging: logger must be a logdial logger, a child of one, or a logger name');
    const header = options.requestIdHeader ?? 'x-request-id';
    if (header !== false && (typeof header !== 'string' || header.length === 0))
      throw new TypeError('request logging: requestIdHeader must be a header name or false');
    this.requestHeader = header === false ? undefined : header.toLowerCase();
    const response = options.responseIdHeader ?? (header === false ? false : header);
    this.responseHeader = response === false ? undefined : response;
    this.genReqId = options.genReqId ?? (() => randomUUID());
    this.idKey = options.idKey ?? 'reqId';
    for (const [name, fn] of [
      ['genReqId', options.genReqId],
      ['level', options.level],
      ['ignore', options.ignore],
    ] as const) {
      if (fn !== undefined && typeof fn !== 'function')
        throw new TypeError(`request logging: ${name} must be a function`);
    }
    this.level = options.level;
    this.ignore = options.ignore;
  }

  /** The request's id: the header's when acceptable, else a generated one. */
  idOf(req: IncomingMessage): string {
    const offered = this.requestHeader === undefined ? undefined : acceptedId(req.headers[this.requestHeader]);
    return offered ?? String(this.genReqId(req));
  }

  /**
   * Serves one request: gives it an id (also `req.id`, and the response header) and `req.log`, arranges its
   * completion line, and runs `next` inside its context scope. Returns what `next` returns.
   */
  serve<T>(req: IncomingMessage, res: ServerResponse, next: () => T): T {
    const id = this.idOf(req);
    (req as { id?: unknown }).id ??= id;
    // pino-http's `req.log`: the context already carries the id, so the logger itself will do.
    (req as { log?: unknown }).log ??= this.log;
    if (this.responseHeader !== undefined && !res.headersSent) res.setHeader(this.responseHeader, id);
    const start = process.hrtime.bigint();
    const context = { [this.idKey]: id };
    if (this.ignore === undefined || !this.ignore(req)) {
      const url = (req as { originalUrl?: unknown }).originalUrl;
      const target = typeof url === 'string' ? url : (req.url ?? '');
      let done = false;
      const complete = (aborted: boolean, error?: Error) => {
        if (done) return;
        done = true;
        res.off('finish', onFinish);
        res.off('close', onClose);
        withContext(context, () => this.complete(req, res, target, start, aborted, error));
      };
      // Express and pino-http convention: an error handler may leave the error on `res.err`.
      const onFinish = () => complete(false, errorOf(res));
      const onClose = () => complete(!res.writableFinished);
      res.on('finish', onFinish);
      res.on('close', onClose);
    }
    return withContext(context, next);
  }

  private complete(
    req: IncomingMessage,
    res: ServerResponse,
    url: string,
    start: bigint,
    aborted: boolean,
    error: Error | undefined,
  ): void {
    const responseTime = Math.round(Number(process.hrtime.bigint() - start) / 1e4) / 100;
    const status = aborted && !res.headersSent ? 0 : res.statusCode;
    let level = completionLevel(status, error, aborted);
    if (this.level !== undefined) {
      try {
        level = checkLevel(this.level(req, res, error));
      } catch {
        // a level function that throws or names no level keeps the default
      }
    }
    const fields: Record<string, unknown> = { method: req.method, url, statusCode: status, responseTime };
    if (error !== undefined) fields['err'] = error;
    if (aborted) this.log.log(level, fields, 'request aborted: %s %s after %sms', req.method, url, responseTime);
    else this.log.log(level, fields, '%s %s %d %sms', req.method, url, status, responseTime);
  }
}
