import type { Types } from 'mongoose';
import type { Config } from '../../config';
import { AppError } from '../../lib/errors';
import { UserModel } from '../../models/user.model';
import { toUserDto, type UserDto, type UserRecord } from '../users/users.mapper';
import { signAccessToken } from './access-token';
import {
  issueRefreshToken,
  type ClientMeta,
  type IssuedRefreshToken,
} from './refresh-tokens.service';

export interface SignedInSession extends IssuedRefreshToken {
  token: string;
  user: UserDto;
}

export function accessTokenFor(
  config: Readonly<Config>,
  user: UserRecord & { tokenVersion?: number | null },
): string {
  return signAccessToken(config, {
    userId: String(user._id),
    email: user.email,
    name: user.name,
    role: user.role === 'admin' ? 'admin' : 'user',
    tv: user.tokenVersion ?? 0,
  });
}

/** An access token (the web client's Bearer JWT) and a refresh token for newer clients. */
export async function startSession(
  user: UserRecord & { tokenVersion?: number | null },
  meta: ClientMeta,
  config: Readonly<Config>,
): Promise<SignedInSession> {
  const refresh = await issueRefreshToken(user, meta, config);
  return { token: accessTokenFor(config, user), ...refresh, user: toUserDto(user) };
}

/** Loads an account that may sign in now (exists, active, not deleted), or answers 401. */
export async function loadSignInUser(userId: string | Types.ObjectId) {
  const user = await UserModel.findById(userId).select('+isDeleted +tokenVersion').lean();
  if (!user || user.isDeleted || user.isActive === false)
    throw AppError.unauthenticated('Invalid or expired token');
  return user;
}

// The contract asks for the last 10 logins (CONTRACT §4 #2).
const LOGIN_HISTORY_KEPT = 10;

export async function recordLogin(
  userId: Types.ObjectId | string,
  meta: ClientMeta,
  method: 'password' | 'google',
): Promise<Date> {
  const loginAt = new Date();
  await UserModel.updateOne(
    { _id: userId },
    {
      $set: { lastLogin: loginAt },
      $push: {
        loginHistory: {
          $each: [
            {
              loginAt,
              ipAddress: meta.ip?.slice(0, 64),
              userAgent: meta.userAgent?.slice(0, 512),
              method,
            },
          ],
          $slice: -LOGIN_HISTORY_KEPT,
        },
      },
    },
  );
  return loginAt;
}
