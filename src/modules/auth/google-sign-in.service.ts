import mongoose from 'mongoose';
import { AppError } from '../../lib/errors';
import { isDuplicateKey } from '../../lib/error-mapping';
import { UserModel } from '../../models/user.model';
import { announceLogin, announceNewAccount } from './account-events';
import type { AccountDeps } from './auth.service';
import type { GoogleIdentity } from '../../auth/google-identity';
import type { ClientMeta } from './refresh-tokens.service';
import { recordLogin } from './sessions';

/**
 * Finds the account of a verified Google identity: by googleId, else by e-mail (linking Google
 * to it, but only when Google vouches for the address: otherwise anyone could create a Google
 * account with a victim's address and take over the victim's account), else a new Google-only
 * account without password. Returns the account's id.
 */
export async function signInWithGoogle(
  identity: GoogleIdentity,
  meta: ClientMeta,
  deps: AccountDeps,
): Promise<string> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      return await findOrCreate(deps, identity, meta);
    } catch (error) {
      // A concurrent first sign-in created the account between our read and our insert.
      if (attempt === 0 && isDuplicateKey(error)) continue;
      if (isDuplicateKey(error))
        throw AppError.conflict('This Google account is already linked to another account');
      throw error;
    }
  }
  throw AppError.conflict('Could not sign in with Google, try again');
}

async function findOrCreate(
  deps: AccountDeps,
  identity: GoogleIdentity,
  meta: ClientMeta,
): Promise<string> {
  let user = await UserModel.findOne({ googleId: identity.sub }).select('+isDeleted').lean();
  let isNew = false;
  if (!user) {
    const byEmail = await UserModel.findOne({ email: identity.email }).select('+isDeleted').lean();
    if (byEmail) {
      if (byEmail.isDeleted) throw AppError.unauthenticated('This account has been deleted');
      if (!identity.emailVerified) {
        throw AppError.conflict(
          'An account with this e-mail already exists. Google has not verified this address, so it cannot be linked: sign in with your password.',
        );
      }
      if (byEmail.googleId && byEmail.googleId !== identity.sub) {
        throw AppError.conflict('This e-mail address is already linked to another Google account');
      }
      user = await UserModel.findOneAndUpdate(
        { _id: byEmail._id, googleId: mongoose.trusted({ $in: [null, identity.sub] }) },
        {
          $set: {
            googleId: identity.sub,
            isEmailVerified: true,
            ...(byEmail.profilePicture
              ? {}
              : identity.picture
                ? { profilePicture: identity.picture }
                : {}),
          },
        },
        { returnDocument: 'after' },
      )
        .select('+isDeleted')
        .lean();
      if (!user)
        throw AppError.conflict('This e-mail address is already linked to another Google account');
    } else {
      const created = await UserModel.create({
        name: identity.name,
        email: identity.email,
        googleId: identity.sub,
        profilePicture: identity.picture,
        isEmailVerified: identity.emailVerified,
      });
      user = created.toObject();
      isNew = true;
    }
  }
  if (user.isDeleted) throw AppError.unauthenticated('This account has been deleted');
  if (user.isActive === false)
    throw AppError.forbidden('Your account has been deactivated. Please contact support.');

  const userId = String(user._id);
  await recordLogin(user._id, meta, 'google');
  const account = { id: userId, name: user.name, email: user.email, role: user.role };
  if (isNew) await announceNewAccount(account, 'google', deps);
  else await announceLogin(account, 'google', deps);
  return userId;
}
