import mongoose from 'mongoose';
import type { Config } from '../../config';
import { AppError } from '../../lib/errors';
import { isDuplicateKey } from '../../lib/error-mapping';
import type { Logger } from '../../lib/logger';
import type { Mailer } from '../../lib/mailer';
import { UserModel } from '../../models/user.model';
import { announceLogin, announceNewAccount } from './account-events';
import { toUserDto, type UserDto } from '../users/users.mapper';
import { revokeAllRefreshTokens, type ClientMeta } from './refresh-tokens.service';
import { hashPassword, randomToken, sha256, verifyPassword } from './secrets';
import { recordLogin, startSession, type SignedInSession } from './sessions';

export interface AccountDeps {
  config: Readonly<Config>;
  logger: Logger;
  mailer: Mailer;
}

const EMAIL_VERIFICATION_TTL_MS = 24 * 3600 * 1000;
const PASSWORD_RESET_TTL_MS = 3600 * 1000;
// One message for unknown e-mail, wrong password, password-less and deleted accounts alike.
const BAD_CREDENTIALS = 'Invalid email or password';

export async function sendVerificationMail(
  user: { email: string; name: string },
  token: string,
  deps: AccountDeps,
): Promise<void> {
  const link = `${deps.config.frontendUrl}/verify-email?token=${token}`;
  await deps.mailer.send({
    to: user.email,
    subject: 'Verify your KaryaKlik e-mail address',
    text: `Hi ${user.name},\n\nConfirm your e-mail address by opening this link within 24 hours:\n${link}\n`,
    link,
  });
}

/** A new verification token: the raw value goes into the mail, only its hash is stored. */
export function newEmailVerification(): {
  token: string;
  fields: { emailVerificationTokenHash: string; emailVerificationExpiresAt: Date };
} {
  const token = randomToken();
  return {
    token,
    fields: {
      emailVerificationTokenHash: sha256(token),
      emailVerificationExpiresAt: new Date(Date.now() + EMAIL_VERIFICATION_TTL_MS),
    },
  };
}

export async function register(
  input: { name: string; email: string; password: string },
  deps: AccountDeps,
): Promise<UserDto> {
  if (await UserModel.exists({ email: input.email }))
    throw AppError.conflict('Email is already registered');
  const password = await hashPassword(input.password);
  const verification = newEmailVerification();
  let user;
  try {
    user = await UserModel.create({
      name: input.name,
      email: input.email,
      password,
      ...verification.fields,
    });
  } catch (error) {
    // Two sign-ups with one address at once: the unique index decides, the loser gets 409.
    if (isDuplicateKey(error)) throw AppError.conflict('Email is already registered');
    throw error;
  }
  await sendVerificationMail(user, verification.token, deps);
  await announceNewAccount({ ...user.toObject(), id: String(user._id) }, 'password', deps);
  return toUserDto(user);
}

export async function login(
  input: { email: string; password: string },
  meta: ClientMeta,
  deps: AccountDeps,
): Promise<SignedInSession> {
  const user = await UserModel.findOne({ email: input.email })
    .select('+password +isDeleted +tokenVersion')
    .lean();
  // The hash is verified even when there is no account, so both cases take the same time.
  const valid = await verifyPassword(user?.password, input.password);
  if (!user || !valid || user.isDeleted) throw AppError.unauthenticated(BAD_CREDENTIALS);
  if (user.isActive === false)
    throw AppError.forbidden('Your account has been deactivated. Please contact support.');

  const lastLogin = await recordLogin(user._id, meta, 'password');
  await announceLogin({ ...user, id: String(user._id) }, 'password', deps);
  return startSession({ ...user, lastLogin }, meta, deps.config);
}

export async function verifyEmail(token: string): Promise<UserDto> {
  const user = await UserModel.findOneAndUpdate(
    {
      emailVerificationTokenHash: sha256(token),
      emailVerificationExpiresAt: mongoose.trusted({ $gt: new Date() }),
      isDeleted: false,
    },
    {
      $set: { isEmailVerified: true },
      $unset: { emailVerificationTokenHash: 1, emailVerificationExpiresAt: 1 },
    },
    { returnDocument: 'after' },
  ).lean();
  if (!user) throw AppError.badRequest('Invalid or expired verification token');
  return toUserDto(user);
}

/**
 * Always answers the same way, so it cannot tell whether an address has an account. The token
 * itself is returned only in development (CONTRACT #5), never in test or production.
 */
export async function forgotPassword(
  email: string,
  deps: AccountDeps,
): Promise<{ resetToken?: string }> {
  const token = randomToken();
  const user = await UserModel.findOneAndUpdate(
    { email, isDeleted: false, isActive: true },
    {
      $set: {
        passwordResetTokenHash: sha256(token),
        passwordResetExpiresAt: new Date(Date.now() + PASSWORD_RESET_TTL_MS),
      },
    },
    { returnDocument: 'after' },
  ).lean();
  if (!user) return {};
  const link = `${deps.config.frontendUrl}/reset-password?token=${token}`;
  // Not awaited: a slow mail server must not make known addresses slower to answer than unknown ones.
  void deps.mailer.send({
    to: user.email,
    subject: 'Reset your KaryaKlik password',
    text: `Hi ${user.name},\n\nSomeone asked to reset your password. Open this link within one hour to choose a new one:\n${link}\n\nIf it was not you, ignore this mail.`,
    link,
  });
  return deps.config.env === 'development' ? { resetToken: token } : {};
}

export async function resetPassword(token: string, newPassword: string): Promise<void> {
  const password = await hashPassword(newPassword);
  const user = await UserModel.findOneAndUpdate(
    {
      passwordResetTokenHash: sha256(token),
      passwordResetExpiresAt: mongoose.trusted({ $gt: new Date() }),
      isDeleted: false,
    },
    {
      // Following the mailed link proves the mailbox, so the address counts as verified too.
      $set: { password, passwordChangedAt: new Date(), isEmailVerified: true },
      $unset: { passwordResetTokenHash: 1, passwordResetExpiresAt: 1 },
      $inc: { tokenVersion: 1 },
    },
    { returnDocument: 'after' },
  ).lean();
  if (!user) throw AppError.badRequest('Invalid or expired reset token');
  await revokeAllRefreshTokens(String(user._id));
}

export async function currentUserDto(userId: string): Promise<UserDto> {
  const user = await UserModel.findOne({ _id: userId, isDeleted: false }).lean();
  if (!user) throw AppError.notFound('User not found');
  return toUserDto(user);
}
