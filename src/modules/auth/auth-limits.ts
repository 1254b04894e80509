import type { Config } from '../../config';
import type { RateLimitRule } from '../../middleware/rate-limit';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

/**
 * Abuse limits of the auth endpoints, sized for a venue where hundreds of guests share one
 * address. Per address, login and sign-up have high ceilings (a flood guard); password guessing
 * is refused per account **and** address (LOGIN_FAILURES_PER_ACCOUNT wrong passwords in 15
 * minutes), so nobody can lock someone else's account from elsewhere, and a right password is
 * never refused because other accounts failed from the same address.
 */
export function authLimits(config: Readonly<Config>) {
  const { loginAttemptsPerIp, loginFailuresPerAccount, signupsPerIpPerHour } = config.authLimits;
  return {
    loginIp: {
      name: 'login-ip',
      by: 'ip',
      windowMs: 15 * MINUTE,
      limit: loginAttemptsPerIp,
      message: 'Too many login attempts from this address, try again in 15 minutes',
    },
    loginAccount: {
      name: 'login-account-ip',
      by: 'email-ip',
      windowMs: 15 * MINUTE,
      limit: loginFailuresPerAccount,
      failuresOnly: true,
      message: 'Too many failed login attempts for this account, try again in 15 minutes',
    },
    registerIp: {
      name: 'register-ip',
      by: 'ip',
      windowMs: HOUR,
      limit: signupsPerIpPerHour,
      message: 'Too many sign-ups from this address, try again later',
    },
    registerAccount: {
      name: 'register-account',
      by: 'email',
      windowMs: HOUR,
      limit: 5,
      message: 'Too many sign-up attempts for this e-mail, try again later',
    },
    forgotIp: {
      name: 'forgot-ip',
      by: 'ip',
      windowMs: HOUR,
      limit: 10,
      message: 'Too many password reset requests, try again later',
    },
    forgotAccount: {
      name: 'forgot-account',
      by: 'email',
      windowMs: HOUR,
      limit: 3,
      message: 'Too many password reset requests for this e-mail, try again later',
    },
    resetIp: {
      name: 'reset-ip',
      by: 'ip',
      windowMs: 15 * MINUTE,
      limit: 20,
      failuresOnly: true,
      message: 'Too many password reset attempts, try again later',
    },
    googleIp: {
      name: 'google-ip',
      by: 'ip',
      windowMs: 15 * MINUTE,
      limit: 30,
      message: 'Too many Google sign-in attempts, try again later',
    },
    refreshIp: {
      name: 'refresh-ip',
      by: 'ip',
      windowMs: 15 * MINUTE,
      limit: 30,
      failuresOnly: true,
      message: 'Too many invalid refresh attempts, try again later',
    },
  } as const satisfies Record<string, RateLimitRule>;
}
