import type { ClientSession } from 'mongoose';
import type { Config } from '../../config';
import { AppError } from '../../lib/errors';
import { isDuplicateKey } from '../../lib/error-mapping';
import type { AuthUser } from '../../lib/auth-user';
import { UserModel } from '../../models/user.model';
import { newEmailVerification, sendVerificationMail, type AccountDeps } from '../auth/auth.service';
import { toSettingsDto, toUserDto, type UserDto, type UserSettingsDto } from './users.mapper';

export async function getProfile(actor: AuthUser): Promise<UserDto> {
  const user = await UserModel.findOne({ _id: actor.id, isDeleted: false }).lean();
  if (!user) throw AppError.notFound('User not found');
  return toUserDto(user);
}

/**
 * Name, e-mail and phone only. A new e-mail address must be free and is unverified until its
 * owner follows the link mailed to it.
 */
export async function updateProfile(
  actor: AuthUser,
  input: { name?: string; email?: string; phone?: string },
  deps: AccountDeps,
): Promise<UserDto> {
  const set: Record<string, unknown> = {};
  if (input.name !== undefined) set.name = input.name;
  if (input.phone !== undefined) set.phone = input.phone;
  let verification: ReturnType<typeof newEmailVerification> | undefined;
  if (input.email !== undefined && input.email !== actor.email) {
    if (await UserModel.exists({ email: input.email }))
      throw AppError.badRequest('Email is already in use');
    verification = newEmailVerification();
    Object.assign(set, { email: input.email, isEmailVerified: false }, verification.fields);
  }
  let user;
  try {
    user = await UserModel.findOneAndUpdate(
      { _id: actor.id, isDeleted: false },
      { $set: set },
      { returnDocument: 'after' },
    ).lean();
  } catch (error) {
    if (isDuplicateKey(error)) throw AppError.badRequest('Email is already in use');
    throw error;
  }
  if (!user) throw AppError.notFound('User not found');
  if (verification) await sendVerificationMail(user, verification.token, deps);
  return toUserDto(user);
}

export async function getSettings(actor: AuthUser): Promise<UserSettingsDto> {
  const user = await UserModel.findOne({ _id: actor.id, isDeleted: false })
    .select('settings')
    .lean();
  if (!user) throw AppError.notFound('User not found');
  return toSettingsDto(user.settings);
}

export async function updateSettings(
  actor: AuthUser,
  type: 'notifications' | 'theme',
  settings: Record<string, unknown>,
): Promise<UserSettingsDto> {
  const set: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(settings)) {
    if (value !== undefined) set[`settings.${type}.${key}`] = value;
  }
  if (Object.keys(set).length === 0) throw AppError.badRequest('No valid settings provided');
  const user = await UserModel.findOneAndUpdate(
    { _id: actor.id, isDeleted: false },
    { $set: set },
    { returnDocument: 'after' },
  )
    .select('settings')
    .lean();
  if (!user) throw AppError.notFound('User not found');
  return toSettingsDto(user.settings);
}

/** The old client's free self-upgrade, off unless ALLOW_DIRECT_UPGRADE (CONTRACT §19.11). */
export async function upgradePremium(
  actor: AuthUser,
  expiresInDays: number,
  config: Readonly<Config>,
): Promise<UserDto> {
  if (!config.allowDirectUpgrade) {
    throw AppError.forbidden(
      'Direct upgrade is disabled. Get KaryaKlik Pro by bank transfer on the Upgrade to Pro page; an admin activates it once your payment is verified.',
    );
  }
  return extendPremium(actor.id, expiresInDays);
}

/**
 * Pro for `days` more, counted from the later of now and an unexpired current end. One pipeline
 * update, so two extensions at once both count.
 */
export async function extendPremium(
  userId: string,
  days: number,
  session?: ClientSession,
): Promise<UserDto> {
  const now = new Date();
  const stillActive = {
    $and: [{ $eq: ['$isPremium', true] }, { $gt: ['$premiumExpiresAt', now] }],
  };
  const user = await UserModel.findOneAndUpdate(
    { _id: userId, isDeleted: false },
    [
      {
        $set: {
          isPremium: true,
          premiumExpiresAt: {
            $add: [{ $cond: [stillActive, '$premiumExpiresAt', now] }, days * 24 * 3600 * 1000],
          },
        },
      },
    ],
    { returnDocument: 'after', updatePipeline: true, session },
  ).lean();
  if (!user) throw AppError.notFound('User not found');
  return toUserDto(user);
}
