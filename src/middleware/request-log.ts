import { randomUUID } from 'node:crypto';
import type { Express, Request, RequestHandler, Response } from 'express';
import { fixedFieldsLogger, redactUrl, type Logger } from '../lib/logger';
import { httpRequestDuration } from '../lib/metrics';

declare module 'express-serve-static-core' {
  interface Request {
    /** The request id: a sane incoming X-Request-Id, else a new UUID; echoed on the response. */
    id: string;
    /** A child logger carrying the request id, made on first use. */
    log: Logger;
  }
}

const INCOMING_ID = /^[\w-]{8,64}$/;

export interface RequestLogOptions {
  /** Paths logged only when they fail (probes would drown the log). */
  quietPaths?: readonly string[];
}

/**
 * The route a request matched, as a template (`/api/sessions/:id`), never the raw URL: an
 * ApiRouter route names itself; other routes are read from Express; nothing matched is `unmatched`.
 */
function routeTemplate(req: Request, locals: Record<string, unknown>): string {
  if (typeof locals.route === 'string') return locals.route;
  const route: unknown = req.route;
  if (route && typeof route === 'object' && 'path' in route && typeof route.path === 'string')
    return `${req.baseUrl}${route.path}`;
  return 'unmatched';
}

/** What the access log needs of a request when its response closes (kept on the response). */
interface Timing {
  req: Request;
  started: number;
}

const TIMING = Symbol('requestLog.timing');
type TimedResponse = Response & { [TIMING]?: Timing };

/**
 * Request id, the request duration histogram, and one log line per finished request (`request completed`: id, method, redacted URL,
 * status, response time; level error for 5xx, warn when the client went away first).
 *
 * It replaces pino-http, which built a child logger and serialized every response header for
 * every request: the same line costs a fraction of that here. `req.log` is made lazily, and no
 * closure is made per request (one shared `close` listener reads what it needs from the
 * response). The request context that carries the id into enqueued jobs is entered by the
 * ApiRouter around each handler (the only code that enqueues), not here for every request.
 */
export function requestLog(
  app: Express,
  logger: Logger,
  options: RequestLogOptions = {},
): RequestHandler {
  const quiet = new Set(options.quietPaths ?? []);
  const accessLog = fixedFieldsLogger(logger);
  // One getter on the app's request prototype instead of a child logger per request.
  Object.defineProperty(app.request, 'log', {
    configurable: true,
    get(this: Request): Logger {
      const child = logger.child({ reqId: this.id });
      Object.defineProperty(this, 'log', { value: child, configurable: true });
      return child;
    },
  });

  function onClose(this: TimedResponse): void {
    const timing = this[TIMING];
    if (!timing) return;
    const { req, started } = timing;
    const aborted = !this.writableFinished;
    const status = this.statusCode;
    const seconds = (performance.now() - started) / 1000;
    httpRequestDuration.observe(
      { method: req.method, route: routeTemplate(req, this.locals), status },
      seconds,
    );
    const url = req.originalUrl;
    if (!aborted && status < 500 && quiet.has(url)) return;
    const level = status >= 500 ? 'error' : aborted ? 'warn' : 'info';
    if (!accessLog.isLevelEnabled(level)) return;
    accessLog[level](
      {
        req: { id: req.id, method: req.method, url: redactUrl(url) },
        res: { statusCode: status },
        responseTime: Math.round(seconds * 1000),
      },
      aborted ? 'request aborted' : 'request completed',
    );
  }

  return (req, res: TimedResponse, next) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : randomUUID();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    res[TIMING] = { req, started: performance.now() };
    res.on('close', onClose);
    next();
  };
}
