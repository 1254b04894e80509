import type { Express } from 'express';
import { buildApp } from '../../src/app';
import { createMailer, type MailMessage, type MailTransport } from '../../src/lib/mailer';
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

export interface MailOutbox {
  messages: MailMessage[];
  last: (to?: string) => MailMessage | undefined;
  /** The `token` query parameter of the last link mailed to `to`. */
  tokenSentTo: (to: string) => string | undefined;
}

/** An app like ctx.app whose mailer records messages instead of sending them. */
export function appWithOutbox(ctx: TestContext): { app: () => Express; outbox: MailOutbox } {
  const messages: MailMessage[] = [];
  const transport: MailTransport = { send: async (message) => void messages.push(message) };
  let app: Express | undefined;
  const last = (to?: string) =>
    [...messages].reverse().find((m) => to === undefined || m.to === to);
  return {
    app: () =>
      (app ??= buildApp({ ...ctx, mailer: createMailer(ctx.config, ctx.logger, transport) })),
    outbox: {
      messages,
      last,
      tokenSentTo: (to) => {
        const link = last(to)?.link;
        return link ? (new URL(link).searchParams.get('token') ?? undefined) : undefined;
      },
    },
  };
}
