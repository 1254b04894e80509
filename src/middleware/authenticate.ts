import type { RequestHandler } from 'express';
import mongoose from 'mongoose';
import type { Config } from '../config';
import { AppError } from '../lib/errors';
import { UserModel } from '../models/user.model';
import { verifyAccessToken } from '../modules/auth/access-token';

/** The signed-in account as loaded from the database on this request. */
export interface AuthUser {
  id: string;
  email: string;
  name: string;
  role: 'user' | 'admin';
  /** Pro that has not expired (CONTRACT §19.14: an expired Pro reads as free everywhere). */
  isPremium: boolean;
  premiumExpiresAt: Date | null;
}

declare module 'express-serve-static-core' {
  interface Request {
    user?: AuthUser;
  }
}

export function isPremiumActive(
  isPremium: boolean | null | undefined,
  expiresAt: Date | null | undefined,
  now = new Date(),
): boolean {
  return Boolean(isPremium) && (!expiresAt || expiresAt.getTime() > now.getTime());
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  const token = match?.[1];
  return token && token !== 'null' && token !== 'undefined' ? token : undefined;
}

/**
 * Verifies the Bearer JWT and loads the account on every request (CONTRACT §19.18): it must
 * exist, be active and not deleted, the token must not predate the last password change, and
 * its token version must be current. With `optional`, a missing token passes as anonymous, but a
 * present and invalid one is still refused.
 */
export function authenticate(
  config: Readonly<Config>,
  options: { optional?: boolean } = {},
): RequestHandler {
  return async (req, _res, next) => {
    const token = bearerToken(req.headers.authorization);
    if (!token) {
      if (options.optional) return next();
      return next(AppError.unauthenticated('No token provided'));
    }
    const claims = verifyAccessToken(config, token);
    if (!claims || !mongoose.isValidObjectId(claims.userId))
      return next(AppError.unauthenticated());

    const user = await UserModel.findById(claims.userId)
      .select('+isDeleted +passwordChangedAt +tokenVersion')
      .lean();
    if (!user || user.isDeleted || user.isActive === false) return next(AppError.unauthenticated());
    if ((user.tokenVersion ?? 0) !== claims.tv) return next(AppError.unauthenticated());
    // iat has one-second resolution; a token from the same second as the change is still refused.
    if (user.passwordChangedAt && claims.iat * 1000 <= user.passwordChangedAt.getTime() - 1000) {
      return next(AppError.unauthenticated());
    }

    req.user = {
      id: String(user._id),
      email: user.email,
      name: user.name,
      role: user.role === 'admin' ? 'admin' : 'user',
      isPremium: isPremiumActive(user.isPremium, user.premiumExpiresAt),
      premiumExpiresAt: user.premiumExpiresAt ?? null,
    };
    next();
  };
}

/** Role check on the account loaded by `authenticate`; non-admins get `status` (401 or 403 by route, CONTRACT §2). */
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

/** The authenticated user of a route behind `authenticate` (not optional). */
export function currentUser(req: { user?: AuthUser }): AuthUser {
  if (!req.user) throw AppError.unauthenticated();
  return req.user;
}
