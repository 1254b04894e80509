import type { Config } from '../../config';
import type { Logger } from '../../lib/logger';
import { recordServerEvent } from '../analytics/server-events';
import { addToAdminSummary } from '../notifications/admin-summary.service';
import { notifyUser } from '../notifications/notifications.service';

interface AccountSummary {
  id: string;
  name: string;
  email: string;
  role?: string | null;
}

type Method = 'password' | 'google';

interface AnnounceDeps {
  config: Readonly<Config>;
  logger: Logger;
}

async function recordAccountEvent(
  eventType: 'user_register' | 'user_login',
  account: AccountSummary,
  method: Method,
  logger: Logger,
): Promise<void> {
  await recordServerEvent({
    eventType,
    eventCategory: 'authentication',
    userId: account.id,
    metadata: { method, source: 'server' },
  }).catch((error: unknown) =>
    logger.warn({ err: error, eventType }, 'account event not recorded'),
  );
}

/**
 * A new account: the welcome notification for the user, the `user_register` event, and one more
 * in the admins' rolling sign-up summary (one notification per admin per window, not one each).
 */
export async function announceNewAccount(
  account: AccountSummary,
  method: Method,
  deps: AnnounceDeps,
): Promise<void> {
  await notifyUser(account.id, {
    title: 'Welcome to KaryaKlik!',
    message: `Hi ${account.name}, your account is ready. Pick a frame and start your first photo session.`,
    type: 'system',
    actionUrl: '/booth',
  });
  await recordAccountEvent('user_register', account, method, deps.logger);
  await addToAdminSummary('sign-up', account, {
    logger: deps.logger,
    windowMs: deps.config.adminSummaryWindowMs,
  });
}

/**
 * A sign-in: the `user_login` event, and one more in the admins' rolling sign-in summary (CONTRACT
 * #2 notified admins once per login: 50 logins left 1,304 notifications). Admins' own sign-ins
 * are not announced.
 */
export async function announceLogin(
  account: AccountSummary,
  method: Method,
  deps: AnnounceDeps,
): Promise<void> {
  await recordAccountEvent('user_login', account, method, deps.logger);
  if (account.role === 'admin') return;
  await addToAdminSummary('sign-in', account, {
    logger: deps.logger,
    windowMs: deps.config.adminSummaryWindowMs,
  });
}
