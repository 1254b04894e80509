import mongoose from 'mongoose';
import type { Config } from '../../config';
import { isPremiumActive, type AuthUser } from '../../lib/auth-user';
import type { ResolveAccount } from '../../middleware/authenticate';
import { UserModel } from '../../models/user.model';
import { verifyAccessToken } from './access-token';

/**
 * Verifies the Bearer JWT and loads the account on every request (CONTRACT §19.18): it must
 * exist, be active and not deleted, the token must not predate the last password change, and its
 * token version must be current.
 */
export function accountResolver(config: Readonly<Config>): ResolveAccount {
  return async (token): Promise<AuthUser | null> => {
    const claims = verifyAccessToken(config, token);
    if (!claims || !mongoose.isValidObjectId(claims.userId)) return null;

    const user = await UserModel.findById(claims.userId)
      .select('+isDeleted +passwordChangedAt +tokenVersion')
      .lean();
    if (!user || user.isDeleted || user.isActive === false) return null;
    if ((user.tokenVersion ?? 0) !== claims.tv) return null;
    // iat has one-second resolution; a token from the same second as the change is still refused.
    if (user.passwordChangedAt && claims.iat * 1000 <= user.passwordChangedAt.getTime() - 1000) {
      return null;
    }
    return {
      id: String(user._id),
      email: user.email,
      name: user.name,
      role: user.role === 'admin' ? 'admin' : 'user',
      isPremium: isPremiumActive(user.isPremium, user.premiumExpiresAt),
      premiumExpiresAt: user.premiumExpiresAt ?? null,
    };
  };
}
