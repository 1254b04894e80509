import type { AuthUser } from '../../src/lib/auth-user';
import { accountResolver } from '../../src/modules/auth/account-resolver';
import { tokenFor } from '../factories/users.factory';
import type { TestContext } from './context';

/** The AuthUser a request by `user` would carry, resolved exactly as the API does. */
export async function actorFor(ctx: TestContext, user: { _id: unknown }): Promise<AuthUser> {
  const actor = await accountResolver(ctx.config)(await tokenFor(ctx, user));
  if (!actor) throw new Error('actorFor: the account may not act');
  return actor;
}
