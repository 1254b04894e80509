import type { Request } from 'express';
import type { AppContext } from '../../context';
import { envelopeA, type AReply } from '../../lib/envelope';
import { ApiRouter } from '../../middleware/api-router';
import { singleFileUpload } from '../../middleware/upload';
import { changePassword, deactivateAccount, deleteAccount } from './account.service';
import {
  changeUserRole,
  deleteUserByAdmin,
  getUserActivities,
  getUserDetail,
  listUsers,
  setUserActive,
  setUserPremium,
} from './admin-users.service';
import {
  deleteProfilePicture,
  PROFILE_PICTURE_MAX_BYTES,
  uploadProfilePicture,
  type PictureDeps,
} from './profile-picture.service';
import {
  getProfile,
  getSettings,
  updateProfile,
  updateSettings,
  upgradePremium,
} from './profile.service';
import {
  activitiesSchema,
  blockUserSchema,
  changePasswordSchema,
  changeRoleSchema,
  listUsersSchema,
  passwordConfirmationSchema,
  setPremiumSchema,
  updateProfileSchema,
  updateSettingsSchema,
  upgradePremiumSchema,
  userIdSchema,
} from './users.schemas';

const meta = (req: Request) => ({ ip: req.ip, userAgent: req.get('user-agent') });

/**
 * CONTRACT §5 (#8–#17) and the admin user management of §16 (#66–#72), envelope A. Static paths
 * come before `/:id`. Admin routes answer 401 to non-admins, as the previous server did.
 */
export function usersRouter(ctx: AppContext): ApiRouter<AReply> {
  const { config } = ctx;
  const r = new ApiRouter('/users', envelopeA, ctx.resolveAccount);
  const admin = { auth: 'admin', adminDenied: 401 } as const;
  const pictures: PictureDeps = {
    storage: ctx.storage,
    jobs: ctx.jobs,
    maxImagePixels: config.files.maxImagePixels,
  };
  const upload = singleFileUpload('profilePicture', {
    maxFileBytes: PROFILE_PICTURE_MAX_BYTES,
    maxFields: 10,
  });

  r.get('/all', { ...admin, ...listUsersSchema }, async ({ query }) => ({
    data: await listUsers(query),
  }));

  r.get('/profile', { auth: 'user' }, async ({ user }) => ({
    message: 'Profile retrieved successfully',
    data: { user: await getProfile(user) },
  }));

  r.put('/profile', { auth: 'user', ...updateProfileSchema }, async ({ user, body }) => ({
    message: 'Profile updated successfully',
    data: { user: await updateProfile(user, body, ctx) },
  }));

  r.post('/profile-picture', { auth: 'user', upload }, async ({ user, req }) => ({
    message: 'Profile picture updated successfully',
    data: { profilePicture: await uploadProfilePicture(user, req.file?.buffer, pictures) },
  }));

  r.delete('/profile-picture', { auth: 'user' }, async ({ user }) => {
    await deleteProfilePicture(user, pictures);
    return { message: 'Profile picture deleted successfully' };
  });

  r.put('/password', { auth: 'user', ...changePasswordSchema }, async ({ user, body, req }) => ({
    message: 'Password changed successfully',
    data: await changePassword(user, body, meta(req), ctx),
  }));

  r.get('/settings', { auth: 'user' }, async ({ user }) => ({
    data: await getSettings(user),
  }));

  r.put('/settings', { auth: 'user', ...updateSettingsSchema }, async ({ user, body }) => ({
    message: 'Settings updated successfully',
    data: await updateSettings(user, body.type, body.settings),
  }));

  r.put('/deactivate', { auth: 'user', ...passwordConfirmationSchema }, async ({ user, body }) => {
    await deactivateAccount(user, body.password);
    return { message: 'Account deactivated successfully' };
  });

  r.delete('/delete', { auth: 'user', ...passwordConfirmationSchema }, async ({ user, body }) => {
    await deleteAccount(user, body.password);
    return { message: 'Account deleted successfully' };
  });

  r.post('/upgrade-premium', { auth: 'user', ...upgradePremiumSchema }, async ({ user, body }) => ({
    message: 'Upgraded to KaryaKlik Pro',
    data: { user: await upgradePremium(user, body.expiresInDays, config) },
  }));

  r.get('/:id', { ...admin, ...userIdSchema }, async ({ params }) => ({
    data: await getUserDetail(params.id, ctx.storage),
  }));

  r.patch('/:id', { ...admin, ...changeRoleSchema }, async ({ user, params, body }) => ({
    message: 'User role updated successfully',
    data: { user: await changeUserRole(user, params.id, body.role) },
  }));

  r.delete('/:id/delete', { ...admin, ...userIdSchema }, async ({ user, params }) => {
    await deleteUserByAdmin(user, params.id);
    return { message: 'User deleted successfully' };
  });

  r.post('/:id/block', { ...admin, ...blockUserSchema }, async ({ user, params, body }) => ({
    message: body.isActive ? 'User unblocked successfully' : 'User blocked successfully',
    data: { user: await setUserActive(user, params.id, body.isActive) },
  }));

  r.patch('/:id/premium', { ...admin, ...setPremiumSchema }, async ({ user, params, body }) => {
    const updated = await setUserPremium(
      user,
      params.id,
      { isPremium: body.isPremium, days: body.expiresInDays },
      ctx,
    );
    return {
      message: body.isPremium ? 'KaryaKlik Pro granted' : 'KaryaKlik Pro removed',
      data: { user: updated },
    };
  });

  r.get('/:id/activities', { ...admin, ...activitiesSchema }, async ({ params, query }) => ({
    data: await getUserActivities(params.id, query),
  }));

  return r;
}
