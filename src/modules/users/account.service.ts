import { AppError } from '../../lib/errors';
import type { AuthUser } from '../../lib/auth-user';
import { FinalCompositeModel } from '../../models/final-composite.model';
import { PhotoModel } from '../../models/photo.model';
import { UserModel } from '../../models/user.model';
import { revokeAllRefreshTokens, type ClientMeta } from '../auth/refresh-tokens.service';
import { hashPassword, verifyPassword } from '../auth/secrets';
import { startSession, type SignedInSession } from '../auth/sessions';
import type { AccountDeps } from '../auth/auth.service';
import { updateKeepingAnAdmin } from './admin-guard';

async function loadWithPassword(actor: AuthUser) {
  const user = await UserModel.findOne({ _id: actor.id, isDeleted: false })
    .select('+password +tokenVersion')
    .lean();
  if (!user) throw AppError.notFound('User not found');
  return user;
}

/**
 * Every older token stops working (token version bump, refresh tokens revoked); the answer
 * carries a fresh session so a newer client stays signed in.
 */
export async function changePassword(
  actor: AuthUser,
  input: { currentPassword: string; newPassword: string },
  meta: ClientMeta,
  deps: AccountDeps,
): Promise<SignedInSession> {
  const user = await loadWithPassword(actor);
  if (!user.password) {
    throw AppError.badRequest(
      'This account signs in with Google and has no password yet; use "Forgot password" to set one',
    );
  }
  if (!(await verifyPassword(user.password, input.currentPassword)))
    throw AppError.badRequest('Current password is incorrect');
  const password = await hashPassword(input.newPassword);
  const updated = await UserModel.findOneAndUpdate(
    { _id: user._id, isDeleted: false, password: user.password },
    { $set: { password, passwordChangedAt: new Date() }, $inc: { tokenVersion: 1 } },
    { returnDocument: 'after' },
  )
    .select('+tokenVersion')
    .lean();
  // The hash changed between our read and write: another password change won.
  if (!updated) throw AppError.conflict('The password was changed meanwhile, try again');
  await revokeAllRefreshTokens(String(user._id));
  return startSession(updated, meta, deps.config);
}

export async function deactivateAccount(actor: AuthUser, password: string): Promise<void> {
  const user = await loadWithPassword(actor);
  if (!(await verifyPassword(user.password, password)))
    throw AppError.unauthenticated('Invalid password');
  if (user.isActive === false) throw AppError.badRequest('Account is already deactivated');
  await updateKeepingAnAdmin(
    actor.id,
    { $set: { isActive: false }, $inc: { tokenVersion: 1 } },
    { removal: 'deactivate', removesAdmin: () => true, filter: { isActive: true } },
  );
  await revokeAllRefreshTokens(actor.id);
}

/** Soft delete (CONTRACT #13): the account stays for the records, its public content is hidden. */
export async function deleteAccount(actor: AuthUser, password: string): Promise<void> {
  const user = await loadWithPassword(actor);
  if (!(await verifyPassword(user.password, password)))
    throw AppError.unauthenticated('Invalid password');
  await softDeleteUser(actor.id, { removesAdmin: () => true });
}

export async function softDeleteUser(
  userId: string,
  guard: Pick<Parameters<typeof updateKeepingAnAdmin>[2], 'removesAdmin' | 'actorId' | 'onApplied'>,
): Promise<void> {
  await updateKeepingAnAdmin(
    userId,
    {
      $set: { isDeleted: true, isActive: false, deletedAt: new Date() },
      $inc: { tokenVersion: 1 },
    },
    { removal: 'delete', ...guard },
  );
  await revokeAllRefreshTokens(userId);
  await PhotoModel.updateMany({ userId }, { $set: { isPublic: false } });
  await FinalCompositeModel.updateMany({ userId }, { $set: { isPublic: false } });
}
