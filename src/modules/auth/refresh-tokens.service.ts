import mongoose, { Types } from 'mongoose';
import type { Config } from '../../config';
import { AppError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import { RefreshTokenModel } from '../../models/refresh-token.model';
import { UserModel } from '../../models/user.model';
import { randomToken, sha256 } from './secrets';

export interface ClientMeta {
  ip?: string | undefined;
  userAgent?: string | undefined;
}

export interface IssuedRefreshToken {
  refreshToken: string;
  refreshTokenExpiresAt: Date;
}

interface TokenOwner {
  _id: Types.ObjectId | string;
  tokenVersion?: number | null;
}

const INVALID = 'Invalid or expired refresh token';

export async function issueRefreshToken(
  user: TokenOwner,
  meta: ClientMeta,
  config: Readonly<Config>,
  lineage:
    { familyId: string; parentId: Types.ObjectId; id: Types.ObjectId } | undefined = undefined,
): Promise<IssuedRefreshToken> {
  const refreshToken = randomToken();
  const expiresAt = new Date(Date.now() + config.jwt.refreshTtlDays * 24 * 3600 * 1000);
  await RefreshTokenModel.create({
    _id: lineage?.id ?? new Types.ObjectId(),
    tokenHash: sha256(refreshToken),
    userId: user._id,
    familyId: lineage?.familyId ?? randomToken(16),
    parentId: lineage?.parentId ?? null,
    tokenVersion: user.tokenVersion ?? 0,
    expiresAt,
    userAgent: meta.userAgent?.slice(0, 512),
    ipAddress: meta.ip?.slice(0, 64),
  });
  return { refreshToken, refreshTokenExpiresAt: expiresAt };
}

/**
 * Exchanges a refresh token for its successor. The claim is one conditional update (only an
 * unused, unrevoked, unexpired token matches), so of concurrent uses exactly one wins. Presenting
 * a token that was already rotated is reuse: the whole family is revoked, the caller gets 401.
 */
export async function rotateRefreshToken(
  presented: string,
  meta: ClientMeta,
  deps: { config: Readonly<Config>; logger: Logger },
): Promise<{ userId: string } & IssuedRefreshToken> {
  const tokenHash = sha256(presented);
  const now = new Date();
  const successorId = new Types.ObjectId();
  const claimed = await RefreshTokenModel.findOneAndUpdate(
    { tokenHash, replacedBy: null, revokedAt: null, expiresAt: mongoose.trusted({ $gt: now }) },
    { $set: { replacedBy: successorId, usedAt: now } },
    { returnDocument: 'before' },
  ).lean();

  if (!claimed) {
    const known = await RefreshTokenModel.findOne({ tokenHash }).lean();
    if (known?.replacedBy) {
      await revokeFamily(known.familyId);
      deps.logger.warn(
        { userId: String(known.userId), familyId: known.familyId },
        'refresh token reuse detected; family revoked',
      );
    }
    throw AppError.unauthenticated(INVALID);
  }

  const user = await UserModel.findById(claimed.userId).select('+isDeleted +tokenVersion').lean();
  if (
    !user ||
    user.isDeleted ||
    user.isActive === false ||
    (user.tokenVersion ?? 0) !== claimed.tokenVersion
  ) {
    await revokeFamily(claimed.familyId);
    throw AppError.unauthenticated(INVALID);
  }
  const issued = await issueRefreshToken(user, meta, deps.config, {
    familyId: claimed.familyId,
    parentId: claimed._id,
    id: successorId,
  });
  return { userId: String(user._id), ...issued };
}

async function revokeFamily(familyId: string): Promise<void> {
  await RefreshTokenModel.updateMany(
    { familyId, revokedAt: null },
    { $set: { revokedAt: new Date() } },
  );
}

/** Logout: revokes the family of the presented token, if it belongs to the user. */
export async function revokeRefreshTokenFamily(
  userId: string,
  presented: string,
): Promise<boolean> {
  const token = await RefreshTokenModel.findOne({ tokenHash: sha256(presented), userId }).lean();
  if (!token) return false;
  await revokeFamily(token.familyId);
  return true;
}

/** Password change, deactivation, deletion, block, logout everywhere. */
export async function revokeAllRefreshTokens(userId: string): Promise<void> {
  await RefreshTokenModel.updateMany(
    { userId, revokedAt: null },
    { $set: { revokedAt: new Date() } },
  );
}
