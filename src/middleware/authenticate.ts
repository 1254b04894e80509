import type { RequestHandler } from 'express';
import type { AuthUser } from '../lib/auth-user';
import { AppError } from '../lib/errors';

declare module 'express-serve-static-core' {
  interface Request {
    user?: AuthUser;
  }
}

/**
 * Turns a Bearer token into the account it belongs to, or null when the token is invalid or the
 * account may not act (the accounts module implements it; CONTRACT §19.18).
 */
export type ResolveAccount = (token: string) => Promise<AuthUser | null>;

export type AuthMode = 'public' | 'optional' | 'user' | 'admin';

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  const token = match?.[1];
  return token && token !== 'null' && token !== 'undefined' ? token : undefined;
}

/**
 * `user`/`admin`: a valid token of an account that may act is required. `optional`: a missing
 * token passes as anonymous, but a present and invalid one is still refused. Non-admins on an
 * admin route get `adminDenied` (401 or 403 by route, CONTRACT §2).
 */
export function authenticate(
  resolve: ResolveAccount,
  mode: Exclude<AuthMode, 'public'>,
  adminDenied: 401 | 403 = 403,
): RequestHandler {
  return async (req, _res, next) => {
    const token = bearerToken(req.headers.authorization);
    if (!token) {
      if (mode === 'optional') return next();
      return next(AppError.unauthenticated('No token provided'));
    }
    const user = await resolve(token);
    if (!user) return next(AppError.unauthenticated());
    if (mode === 'admin' && user.role !== 'admin') {
      return next(
        adminDenied === 401
          ? AppError.unauthenticated('Admin access only')
          : AppError.forbidden('Admin access only'),
      );
    }
    req.user = user;
    next();
  };
}
