import type { ErrorRequestHandler, RequestHandler } from 'express';
import { envelopeOf } from '../lib/envelope';
import { AppError } from '../lib/errors';
import { toAppError } from '../lib/error-mapping';

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(AppError.notFound(`Route not found: ${req.method} ${req.path}`));
};

/** The single error handler: maps, logs unknown errors with the request id, renders the envelope. */
export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  const appError = toAppError(error);
  if (appError.status >= 500) {
    req.log?.error({ err: error, requestId: req.id }, 'request failed');
  } else {
    req.log?.debug({ code: appError.code, status: appError.status }, appError.message);
  }
  if (res.headersSent) {
    res.end();
    return;
  }
  if (appError.status === 503) res.setHeader('Retry-After', '5');
  res.status(appError.status).json({ ...envelopeOf(res).renderError(appError), requestId: req.id });
};
