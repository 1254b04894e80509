import type { RequestHandler } from 'express';
import type { EnvelopeFamily } from '../lib/envelope';

/** A router declares its response family once; errors raised below it render in that family. */
export function useEnvelope(family: EnvelopeFamily): RequestHandler {
  return (_req, res, next) => {
    res.locals.envelope = family;
    next();
  };
}
