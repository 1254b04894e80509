import { Types } from 'mongoose';
import type { AuthUser } from '../../src/lib/auth-user';
import { accountResolver } from '../../src/modules/auth/account-resolver';
import { bearer, createAdmin, createUser, tokenFor } from '../factories/users.factory';
import type { TestContext } from './context';

/** The AuthUser a request by `user` would carry, resolved exactly as the API does. */
export async function actorFor(ctx: TestContext, user: { _id: unknown }): Promise<AuthUser> {
  const actor = await accountResolver(ctx.config)(await tokenFor(ctx, user));
  if (!actor) throw new Error('actorFor: the account may not act');
  return actor;
}

/** A new admin and the Authorization header of a request they send. */
export async function adminAuth(
  ctx: TestContext,
): Promise<{ admin: Awaited<ReturnType<typeof createAdmin>>; auth: { Authorization: string } }> {
  const admin = await createAdmin();
  return { admin, auth: bearer(await tokenFor(ctx, admin)) };
}

/** A well-formed id that names no document. */
export const unknownId = (): string => new Types.ObjectId().toHexString();

/** A new user (with `overrides`) and the Authorization header of a request they send. */
export async function userAuth(
  ctx: TestContext,
  overrides: Parameters<typeof createUser>[0] = {},
): Promise<{ user: Awaited<ReturnType<typeof createUser>>; auth: { Authorization: string } }> {
  const user = await createUser(overrides);
  return { user, auth: bearer(await tokenFor(ctx, user)) };
}
