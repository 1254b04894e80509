import type { ErrorRequestHandler, RequestHandler } from 'express';
import { envelopeOf } from '../lib/envelope';
import { AppError } from '../lib/errors';
import { toAppError } from '../lib/error-mapping';
import type { Logger } from '../lib/logger';

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  // Where a 404 was raised says nothing: no stack is captured (a third of this path's cost).
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  const error = AppError.notFound(`Route not found: ${req.method} ${req.path}`);
  Error.stackTraceLimit = limit;
  next(error);
};

/** The single error handler: maps, logs unknown errors with the request id, renders the envelope. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  // Checked once here: asking req.log would build the request's child logger for nothing.
  const debug = logger.isLevelEnabled('debug');
  return (error: unknown, req, res, _next) => {
    const appError = toAppError(error);
    if (appError.status >= 500) {
      req.log.error({ err: error, requestId: req.id }, 'request failed');
    } else if (debug) {
      req.log.debug({ code: appError.code, status: appError.status }, appError.message);
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    if (appError.status === 503) res.setHeader('Retry-After', '5');
    // Written directly rather than through res.json: an error body needs no ETag (a hash of it for
    // a conditional request nobody makes), no charset parsing and no freshness check.
    const body = JSON.stringify({ ...envelopeOf(res).renderError(appError), requestId: req.id });
    res.statusCode = appError.status;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
