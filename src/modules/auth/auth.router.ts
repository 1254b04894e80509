import type { Request, Response } from 'express';
import { createGoogleRedirect } from '../../auth/google-strategy';
import type { AppContext } from '../../context';
import { envelopeA, type AReply } from '../../lib/envelope';
import { AppError } from '../../lib/errors';
import { ApiRouter } from '../../middleware/api-router';
import { createRateLimiter } from '../../middleware/rate-limit';
import { AUTH_LIMITS } from './auth-limits';
import {
  forgotPasswordSchema,
  googleExchangeSchema,
  googleIdTokenSchema,
  googleStartSchema,
  loginSchema,
  logoutSchema,
  refreshSchema,
  registerSchema,
  resetPasswordSchema,
  verifyEmailSchema,
} from './auth.schemas';
import {
  currentUserDto,
  forgotPassword,
  login,
  register,
  resetPassword,
  verifyEmail,
  type AccountDeps,
} from './auth.service';
import { createGoogleIdTokenVerifier } from './google-id-token';
import { signInWithGoogle } from './google-sign-in.service';
import { logout } from './logout.service';
import { OAuthHandoff } from './oauth-handoff';
import { rotateRefreshToken, type ClientMeta } from './refresh-tokens.service';
import { accessTokenFor, loadSignInUser, startSession } from './sessions';
import { toUserDto } from '../users/users.mapper';

function clientMeta(req: Request): ClientMeta {
  return { ip: req.ip, userAgent: req.get('user-agent') };
}

/** CONTRACT §4 (#1–#7) and the new auth routes of §21; envelope A except POST /google (A-top). */
export function authRouter(ctx: AppContext): ApiRouter<AReply> {
  const { config, redis } = ctx;
  const account: AccountDeps = ctx;
  const r = new ApiRouter('/auth', envelopeA, ctx.resolveAccount);
  const limit = (name: keyof typeof AUTH_LIMITS) =>
    createRateLimiter(config, redis, AUTH_LIMITS[name]);
  const loginPerAccount = limit('loginAccount');
  const verifyGoogleIdToken = createGoogleIdTokenVerifier(config);
  const handoff = new OAuthHandoff(redis, config.queuePrefix);
  const googleRedirect = createGoogleRedirect(config, handoff);

  r.post(
    '/register',
    {
      auth: 'public',
      limits: [limit('registerIp'), limit('registerAccount')],
      ...registerSchema,
    },
    async ({ body }) => ({
      status: 201,
      message: 'Registration successful. Please check your email to verify your account.',
      data: { user: await register(body, account) },
    }),
  );

  r.post(
    '/login',
    { auth: 'public', limits: [limit('loginIp'), loginPerAccount], ...loginSchema },
    async ({ body, req }) => {
      const session = await login(body, clientMeta(req), account);
      loginPerAccount.resetKey(body.email);
      // Top-level token and user too, for the admin login page (CONTRACT §19.1).
      return {
        message: 'Login successful',
        data: session,
        fields: { token: session.token, user: session.user },
      };
    },
  );

  r.get('/verify', { auth: 'user' }, async ({ user, res }) => {
    res.setHeader('Cache-Control', 'no-store');
    return { message: 'Token is valid', data: { user: await currentUserDto(user.id) } };
  });

  r.post(
    '/google',
    { auth: 'public', limits: [limit('googleIp')], ...googleIdTokenSchema },
    async ({ body, req }) => {
      const identity = await verifyGoogleIdToken(body.token ?? body.credential ?? '');
      const userId = await signInWithGoogle(identity, clientMeta(req), account);
      const session = await startSession(await loadSignInUser(userId), clientMeta(req), config);
      // Envelope A-top: token and user at the top level, no `data` (CONTRACT §3).
      return { message: 'Google login successful', fields: { ...session } };
    },
  );

  r.get(
    '/google/start',
    { auth: 'public', limits: [limit('googleIp')], ...googleStartSchema },
    async ({ query, req, res }) => {
      if (!config.google.clientId || !config.google.clientSecret)
        throw AppError.unavailable('Google sign-in is not configured on this server');
      const returnTo = query.returnTo ?? `${config.frontendUrl}/login`;
      if (!isAllowedReturnUrl(returnTo, config.authReturnUrls))
        throw AppError.badRequest('returnTo is not an allowed return URL');
      await googleRedirect.start(req, res, returnTo);
    },
  );

  // Google's redirect carries its own query (code, state, scope, …), read as sent.
  r.get('/google/callback', { auth: 'public' }, async ({ req, res }) => {
    const code = typeof req.query.code === 'string' ? req.query.code : '';
    if (!code) {
      // Cancelled at Google's consent screen: send the browser back if the state is genuine.
      const returnTo = await handoff.consumeState(
        typeof req.query.state === 'string' ? req.query.state : '',
      );
      if (!returnTo) throw AppError.badRequest('Invalid, expired or already used sign-in state');
      return redirectWith(res, returnTo, { error: 'access_denied' });
    }
    const outcome = await googleRedirect.callback(req, res);
    if (!outcome.returnTo)
      throw new AppError(
        outcome.error?.status ?? 400,
        'VALIDATION_FAILED',
        outcome.error?.message ?? 'Google sign-in failed',
      );
    if (!outcome.identity)
      return redirectWith(res, outcome.returnTo, { error: 'google_sign_in_failed' });
    try {
      const userId = await signInWithGoogle(outcome.identity, clientMeta(req), account);
      redirectWith(res, outcome.returnTo, { code: await handoff.createCode(userId) });
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      redirectWith(res, outcome.returnTo, {
        error: error.code.toLowerCase(),
        error_description: error.message,
      });
    }
  });

  r.post(
    '/google/exchange',
    { auth: 'public', limits: [limit('googleIp')], ...googleExchangeSchema },
    async ({ body, req }) => {
      const userId = await handoff.consumeCode(body.code);
      if (!userId) throw AppError.badRequest('Invalid, expired or already used code');
      const session = await startSession(await loadSignInUser(userId), clientMeta(req), config);
      return { message: 'Google login successful', data: session };
    },
  );

  r.post(
    '/forgot-password',
    {
      auth: 'public',
      limits: [limit('forgotIp'), limit('forgotAccount')],
      ...forgotPasswordSchema,
    },
    async ({ body }) => ({
      message: 'If an account exists for this email, a password reset link has been sent.',
      data: await forgotPassword(body.email, account),
    }),
  );

  r.post(
    '/reset-password',
    { auth: 'public', limits: [limit('resetIp')], ...resetPasswordSchema },
    async ({ body }) => {
      await resetPassword(body.token, body.newPassword);
      return { message: 'Password has been reset. You can now log in with your new password.' };
    },
  );

  r.get('/verify-email', { auth: 'public', ...verifyEmailSchema }, async ({ query }) => {
    const user = await verifyEmail(query.token);
    return {
      message: 'Email verified successfully',
      data: {
        user: {
          id: user.id,
          name: user.name,
          email: user.email,
          isEmailVerified: user.isEmailVerified,
        },
      },
    };
  });

  r.post(
    '/refresh',
    { auth: 'public', limits: [limit('refreshIp')], ...refreshSchema },
    async ({ body, req }) => {
      const rotated = await rotateRefreshToken(body.refreshToken, clientMeta(req), ctx);
      const user = await loadSignInUser(rotated.userId);
      return {
        message: 'Token refreshed',
        data: {
          token: accessTokenFor(config, user),
          refreshToken: rotated.refreshToken,
          refreshTokenExpiresAt: rotated.refreshTokenExpiresAt,
          user: toUserDto(user),
        },
      };
    },
  );

  r.post('/logout', { auth: 'user', ...logoutSchema }, async ({ user, body }) => {
    await logout(user, body);
    return { message: body.allDevices ? 'Logged out on every device' : 'Logged out' };
  });

  return r;
}

/** Same origin as an allowed URL, and a path at or below the allowed path. */
export function isAllowedReturnUrl(candidate: string, allowed: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  return allowed.some((entry) => {
    try {
      const base = new URL(entry);
      if (base.origin !== url.origin) return false;
      const basePath = base.pathname.replace(/\/+$/, '');
      return (
        basePath === '' || url.pathname === basePath || url.pathname.startsWith(`${basePath}/`)
      );
    } catch {
      return false;
    }
  });
}

function redirectWith(res: Response, returnTo: string, params: Record<string, string>): void {
  const url = new URL(returnTo);
  url.hash = '';
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  res.setHeader('Cache-Control', 'no-store');
  res.redirect(302, url.toString());
}
