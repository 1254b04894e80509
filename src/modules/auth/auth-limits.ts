import type { RateLimitRule } from '../../middleware/rate-limit';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

/**
 * Abuse limits of the auth endpoints, per client address and per account (the e-mail in the
 * body). Failed logins count per account: the eleventh wrong password in a row is refused.
 */
export const AUTH_LIMITS = {
  loginIp: {
    name: 'login-ip',
    by: 'ip',
    windowMs: 15 * MINUTE,
    limit: 50,
    failuresOnly: true,
    message: 'Too many failed login attempts from this address, try again in 15 minutes',
  },
  loginAccount: {
    name: 'login-account',
    by: 'email',
    windowMs: 15 * MINUTE,
    limit: 10,
    failuresOnly: true,
    message: 'Too many failed login attempts for this account, try again in 15 minutes',
  },
  registerIp: {
    name: 'register-ip',
    by: 'ip',
    windowMs: HOUR,
    limit: 20,
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
