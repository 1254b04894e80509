import { UserModel } from '../../models/user.model';
import type { AuthUser } from '../../lib/auth-user';
import { revokeAllRefreshTokens, revokeRefreshTokenFamily } from './refresh-tokens.service';

/**
 * Logout revokes the refresh-token family of this sign-in; with `allDevices` it also bumps the
 * token version, so every access token of the account stops working at once.
 */
export async function logout(
  user: AuthUser,
  options: { refreshToken?: string; allDevices: boolean },
): Promise<void> {
  if (options.allDevices) {
    await revokeEverySession(user.id);
    return;
  }
  if (options.refreshToken) await revokeRefreshTokenFamily(user.id, options.refreshToken);
}

/** Bumps tokenVersion and revokes every refresh token: all existing sign-ins end now. */
export async function revokeEverySession(userId: string): Promise<void> {
  await UserModel.updateOne({ _id: userId }, { $inc: { tokenVersion: 1 } });
  await revokeAllRefreshTokens(userId);
}
