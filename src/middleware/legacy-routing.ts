/**
 * Transitional: the old per-middleware wiring, kept only until every router is an ApiRouter.
 * New code must not use it.
 */
import type { RequestHandler, Response } from 'express';
import { envelopeA, type Envelope } from '../lib/envelope';
import type { Config } from '../config';
import type { AuthUser } from '../lib/auth-user';
import { AppError } from '../lib/errors';
import { accountResolver } from '../modules/auth/account-resolver';
import { authenticate as authenticateWith } from './authenticate';
import { validateRequest, type RequestSchemas } from './validate';

export function authenticate(
  config: Readonly<Config>,
  options: { optional?: boolean } = {},
): RequestHandler {
  return authenticateWith(accountResolver(config), options.optional ? 'optional' : 'user');
}

export function requireRole(role: 'admin', status: 401 | 403 = 403): RequestHandler {
  return (req, _res, next) => {
    if (!req.user) return next(AppError.unauthenticated());
    if (req.user.role !== role) {
      return next(
        status === 401
          ? AppError.unauthenticated('Admin access only')
          : AppError.forbidden('Admin access only'),
      );
    }
    next();
  };
}

export function currentUser(req: { user?: AuthUser }): AuthUser {
  if (!req.user) throw AppError.unauthenticated();
  return req.user;
}

interface LegacyValid {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
}

export function validate(schemas: {
  params?: RequestSchemas['params'];
  query?: RequestSchemas['query'];
  body?: unknown;
}): RequestHandler {
  return (req, res, next) => {
    const valid = validateRequest(req, schemas as RequestSchemas);
    res.locals.legacyValid = {
      params: (valid.params ?? {}) as Record<string, unknown>,
      query: (valid.query ?? {}) as Record<string, unknown>,
      body: valid.body,
    };
    next();
  };
}

declare module 'express-serve-static-core' {
  interface Locals {
    legacyValid?: LegacyValid;
  }
}

export function validInput<
  TBody = unknown,
  TQuery = Record<string, unknown>,
  TParams = Record<string, unknown>,
>(locals: { legacyValid?: LegacyValid }): { body: TBody; query: TQuery; params: TParams } {
  const valid = locals.legacyValid;
  if (!valid) throw new Error('validInput() used on a route without validate()');
  return {
    body: valid.body as TBody,
    query: valid.query as TQuery,
    params: valid.params as TParams,
  };
}

export function sendData(
  res: Response,
  data: unknown,
  options: { status?: number; message?: string } = {},
): void {
  envelopeA.send(res, { data, message: options.message, status: options.status });
}

export function sendFields(res: Response, fields: Record<string, unknown>, status = 200): void {
  res.status(status).json({ success: true, ...fields });
}

export function sendMessage(res: Response, message: string, status = 200): void {
  envelopeA.send(res, { message, status });
}

/** A router declares its response family once; errors raised below it render in that family. */
export function useEnvelope(family: Envelope<never>): RequestHandler {
  return (_req, res, next) => {
    res.locals.envelope = family;
    next();
  };
}
