/**
 * `logdial/http`: request logging for Express/Connect (`httpLogger`), plain `node:http` handlers
 * (`withRequestLogging`) and Fastify (`fastifyLogger`, `fastifyRequestContext`). See
 * request-logging.ts and fastify-logger.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { withContext } from '../core/context.js';
import { RequestLogging, type RequestLoggingOptions } from './request-logging.js';
export {
  FastifyLogger,
  type FastifyChildOptions,
  fastifyLogger,
  levelFromPino,
  pinoLevelName,
  SILENT_LEVEL,
} from './fastify-logger.js';

export {
  RequestLogging,
  acceptedId,
  completionLevel,
  MAX_ID_LENGTH,
  type RequestLoggingOptions,
} from './request-logging.js';

/** A Connect-style middleware (Express, Connect, Polka, …). */
export type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * Express/Connect middleware: request id, context for the rest of the chain, one completion line.
 *
 * @example app.use(httpLogger({ logger: 'app.http' }));
 */
export function httpLogger(options: RequestLoggingOptions = {}): Middleware {
  const logging = new RequestLogging(options);
  return (req, res, next) => logging.serve(req, res, () => next());
}

/**
 * Wraps a `node:http` request handler: the same as {@link httpLogger}, for
 * `http.createServer(withRequestLogging(handler))`.
 */
export function withRequestLogging<R>(
  handler: (req: IncomingMessage, res: ServerResponse) => R,
  options: RequestLoggingOptions = {},
): (req: IncomingMessage, res: ServerResponse) => R {
  if (typeof handler !== 'function') throw new TypeError('withRequestLogging(handler): handler must be a function');
  const logging = new RequestLogging(options);
  return (req, res) => logging.serve(req, res, () => handler(req, res));
}

/** The part of a Fastify instance this module uses. */
interface FastifyLike {
  addHook(name: 'onRequest', hook: (request: { id: unknown }, reply: unknown, done: () => void) => void): unknown;
}

/**
 * Sets the request context for each Fastify request (`{ reqId: request.id }`), so records logged
 * through any logdial logger while serving it carry Fastify's request id — not only those logged
 * through `request.log`. Fastify's own request lines come from `Fastify({ loggerInstance })`.
 *
 * @example const app = Fastify({ loggerInstance: fastifyLogger('app') }); fastifyRequestContext(app);
 */
export function fastifyRequestContext(app: FastifyLike, options: { idKey?: string } = {}): void {
  const key = options.idKey ?? 'reqId';
  app.addHook('onRequest', (request, _reply, done) => withContext({ [key]: request.id }, done));
}
