import { singleFileUpload } from '../../middleware/upload';
import { Router, type Request } from 'express';
import type { Config } from '../../config';
import type { JobQueue } from '../../jobs/job-queue';
import { sendData, sendMessage } from '../../middleware/legacy-routing';
import type { Logger } from '../../lib/logger';
import type { Mailer } from '../../lib/mailer';
import type { FileStorage } from '../../lib/storage';
import { authenticate, currentUser, requireRole } from '../../middleware/legacy-routing';
import { validate, validInput } from '../../middleware/legacy-routing';
import { changePassword, deactivateAccount, deleteAccount } from './account.service';
import {
  changeUserRole,
  deleteUserByAdmin,
  getUserActivities,
  getUserDetail,
  listUsers,
  setUserActive,
  setUserPremium,
  type UserListQuery,
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

export interface UsersRouterDeps {
  config: Readonly<Config>;
  logger: Logger;
  jobs: JobQueue;
  storage: FileStorage;
  mailer: Mailer;
}

const meta = (req: Request) => ({ ip: req.ip, userAgent: req.get('user-agent') });

/**
 * CONTRACT §5 (#8–#17) and the admin user management of §16 (#66–#72), envelope A. Static paths
 * come before `/:id`. Admin routes answer 401 to non-admins, as the previous server did.
 */
export function usersRouter(deps: UsersRouterDeps): Router {
  const { config } = deps;
  const router = Router();
  const signedIn = authenticate(config);
  const admin = [signedIn, requireRole('admin', 401)];
  const pictures: PictureDeps = {
    storage: deps.storage,
    jobs: deps.jobs,
    maxImagePixels: config.files.maxImagePixels,
  };
  const upload = singleFileUpload('profilePicture', {
    maxFileBytes: PROFILE_PICTURE_MAX_BYTES,
    maxFields: 10,
  });

  router.get('/all', ...admin, validate(listUsersSchema), async (_req, res) => {
    const { query } = validInput<unknown, UserListQuery>(res.locals);
    sendData(res, await listUsers(query));
  });

  router.get('/profile', signedIn, async (req, res) => {
    sendData(
      res,
      { user: await getProfile(currentUser(req)) },
      { message: 'Profile retrieved successfully' },
    );
  });

  router.put('/profile', signedIn, validate(updateProfileSchema), async (req, res) => {
    const { body } = validInput<{ name?: string; email?: string; phone?: string }>(res.locals);
    sendData(
      res,
      { user: await updateProfile(deps, currentUser(req), body) },
      { message: 'Profile updated successfully' },
    );
  });

  router.post('/profile-picture', signedIn, upload, async (req, res) => {
    const profilePicture = await uploadProfilePicture(pictures, currentUser(req), req.file?.buffer);
    sendData(res, { profilePicture }, { message: 'Profile picture updated successfully' });
  });

  router.delete('/profile-picture', signedIn, async (req, res) => {
    await deleteProfilePicture(pictures, currentUser(req));
    sendMessage(res, 'Profile picture deleted successfully');
  });

  router.put('/password', signedIn, validate(changePasswordSchema), async (req, res) => {
    const { body } = validInput<{ currentPassword: string; newPassword: string }>(res.locals);
    const session = await changePassword(deps, currentUser(req), body, meta(req));
    sendData(res, session, { message: 'Password changed successfully' });
  });

  router.get('/settings', signedIn, async (req, res) => {
    sendData(res, await getSettings(currentUser(req)));
  });

  router.put('/settings', signedIn, validate(updateSettingsSchema), async (req, res) => {
    const { body } = validInput<{
      type: 'notifications' | 'theme';
      settings: Record<string, unknown>;
    }>(res.locals);
    sendData(res, await updateSettings(currentUser(req), body.type, body.settings), {
      message: 'Settings updated successfully',
    });
  });

  router.put('/deactivate', signedIn, validate(passwordConfirmationSchema), async (req, res) => {
    const { body } = validInput<{ password: string }>(res.locals);
    await deactivateAccount(currentUser(req), body.password);
    sendMessage(res, 'Account deactivated successfully');
  });

  router.delete('/delete', signedIn, validate(passwordConfirmationSchema), async (req, res) => {
    const { body } = validInput<{ password: string }>(res.locals);
    await deleteAccount(currentUser(req), body.password);
    sendMessage(res, 'Account deleted successfully');
  });

  router.post('/upgrade-premium', signedIn, validate(upgradePremiumSchema), async (req, res) => {
    const { body } = validInput<{ expiresInDays: number }>(res.locals);
    sendData(
      res,
      { user: await upgradePremium(config, currentUser(req), body.expiresInDays) },
      { message: 'Upgraded to KaryaKlik Pro' },
    );
  });

  router.get('/:id', ...admin, validate(userIdSchema), async (_req, res) => {
    const { params } = validInput<unknown, unknown, { id: string }>(res.locals);
    sendData(res, await getUserDetail(deps.storage, params.id));
  });

  router.patch('/:id', ...admin, validate(changeRoleSchema), async (req, res) => {
    const { params, body } = validInput<{ role: 'user' | 'admin' }, unknown, { id: string }>(
      res.locals,
    );
    sendData(
      res,
      { user: await changeUserRole(currentUser(req), params.id, body.role) },
      { message: 'User role updated successfully' },
    );
  });

  router.delete('/:id/delete', ...admin, validate(userIdSchema), async (req, res) => {
    const { params } = validInput<unknown, unknown, { id: string }>(res.locals);
    await deleteUserByAdmin(currentUser(req), params.id);
    sendMessage(res, 'User deleted successfully');
  });

  router.post('/:id/block', ...admin, validate(blockUserSchema), async (req, res) => {
    const { params, body } = validInput<{ isActive: boolean }, unknown, { id: string }>(res.locals);
    const user = await setUserActive(currentUser(req), params.id, body.isActive);
    sendData(
      res,
      { user },
      { message: body.isActive ? 'User unblocked successfully' : 'User blocked successfully' },
    );
  });

  router.patch('/:id/premium', ...admin, validate(setPremiumSchema), async (req, res) => {
    const { params, body } = validInput<
      { isPremium: boolean; expiresInDays: number },
      unknown,
      { id: string }
    >(res.locals);
    const user = await setUserPremium(
      currentUser(req),
      params.id,
      { isPremium: body.isPremium, days: body.expiresInDays },
      deps,
    );
    sendData(
      res,
      { user },
      { message: body.isPremium ? 'KaryaKlik Pro granted' : 'KaryaKlik Pro removed' },
    );
  });

  router.get('/:id/activities', ...admin, validate(activitiesSchema), async (_req, res) => {
    const { params, query } = validInput<unknown, { limit: number; skip: number }, { id: string }>(
      res.locals,
    );
    sendData(res, await getUserActivities(params.id, query));
  });

  return router;
}
