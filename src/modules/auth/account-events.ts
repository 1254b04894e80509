import type { Logger } from '../../lib/logger';
import { notifyAdmins, notifyUser } from '../notifications/notifications.service';

interface AccountSummary {
  id: string;
  name: string;
  email: string;
  role?: string | null;
}

type Method = 'password' | 'google';

/** A new account: the welcome notification for the user, a `user` notification for the admins. */
export async function announceNewAccount(
  account: AccountSummary,
  method: Method,
  logger: Logger,
): Promise<void> {
  await notifyUser(account.id, {
    title: 'Welcome to KaryaKlik!',
    message: `Hi ${account.name}, your account is ready. Pick a frame and start your first photo session.`,
    type: 'system',
    actionUrl: '/booth',
  });
  await notifyAdmins(
    {
      title: 'New user registered',
      message: `${account.name} (${account.email}) ${method === 'google' ? 'signed up with Google' : 'created an account'}.`,
      type: 'user',
      data: { userId: account.id },
    },
    logger,
  );
}

/** Admins hear about users' sign-ins (CONTRACT #2); admins' own sign-ins are not announced. */
export async function announceLogin(
  account: AccountSummary,
  method: Method,
  logger: Logger,
): Promise<void> {
  if (account.role === 'admin') return;
  await notifyAdmins(
    {
      title: 'User login',
      message: `${account.name} (${account.email}) signed in${method === 'google' ? ' with Google' : ''}.`,
      type: 'user',
      data: { userId: account.id },
    },
    logger,
  );
}
