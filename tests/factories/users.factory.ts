import { signAccessToken } from '../../src/modules/auth/access-token';
import { hashPassword } from '../../src/modules/auth/secrets';
import { UserModel } from '../../src/models/user.model';
import type { TestContext } from '../helpers/context';
import type { Overrides } from './model.factory';

export const DEFAULT_PASSWORD = 'correct-horse-42';

let sequence = 0;
let defaultHash: Promise<string> | undefined;

/** A unique, valid address for this test run. */
export function uniqueEmail(prefix = 'user'): string {
  sequence += 1;
  return `${prefix}${sequence}.${Date.now().toString(36)}@karyaklik.test`;
}

async function hashFor(password: string): Promise<string> {
  if (password !== DEFAULT_PASSWORD) return hashPassword(password);
  defaultHash ??= hashPassword(DEFAULT_PASSWORD);
  return defaultHash;
}

/** An unsaved, valid user document (its password is a well-formed hash of nothing). */
export function buildUser(overrides: Overrides = {}) {
  sequence += 1;
  const n = sequence;
  return new UserModel({
    name: `User ${n}`,
    email: `user${n}@karyaklik.test`,
    password: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo',
    ...overrides,
  });
}

/** Saves a user with a real argon2id hash of `password` (default DEFAULT_PASSWORD). */
export async function createUser(overrides: Overrides & { password?: string | null } = {}) {
  const { password = DEFAULT_PASSWORD, ...rest } = overrides;
  sequence += 1;
  return UserModel.create({
    name: `Test User ${sequence}`,
    email: uniqueEmail(),
    ...(password === null ? {} : { password: await hashFor(password) }),
    ...rest,
  });
}

export function createAdmin(overrides: Overrides = {}) {
  return createUser({ role: 'admin', name: `Admin ${sequence + 1}`, ...overrides });
}

/** A Bearer token as login would issue it (current token version). */
export async function tokenFor(ctx: TestContext, user: { _id: unknown }): Promise<string> {
  const stored = await UserModel.findById(user._id).select('+tokenVersion').lean();
  if (!stored) throw new Error('tokenFor: no such user');
  return signAccessToken(ctx.config, {
    userId: String(stored._id),
    email: stored.email,
    name: stored.name,
    role: stored.role === 'admin' ? 'admin' : 'user',
    tv: stored.tokenVersion ?? 0,
  });
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A user as a client holds it after signing in. */
export interface TestUser {
  id: string;
  name: string;
  email: string;
  token: string;
  /** The Authorization header value. */
  auth: string;
}

/** Signs `user` in as login would (a token of its current version). */
export async function signIn(
  ctx: TestContext,
  user: { _id: unknown; name: string; email: string },
): Promise<TestUser> {
  const token = await tokenFor(ctx, user);
  return {
    id: String(user._id),
    name: user.name,
    email: user.email,
    token,
    auth: `Bearer ${token}`,
  };
}
