import { Router, type Request, type Response } from 'express';
import type { Redis } from 'ioredis';
import { createGoogleRedirect } from '../../auth/google-strategy';
import type { Config } from '../../config';
import { sendData, sendFields, sendMessage } from '../../middleware/legacy-routing';
import { AppError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import type { Mailer } from '../../lib/mailer';
import { authenticate, currentUser } from '../../middleware/legacy-routing';
import { createRateLimiter } from '../../middleware/rate-limit';
import { validate, validInput } from '../../middleware/legacy-routing';
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

export interface AuthRouterDeps {
  config: Readonly<Config>;
  logger: Logger;
  redis: Redis;
  mailer: Mailer;
}

function clientMeta(req: Request): ClientMeta {
  return { ip: req.ip, userAgent: req.get('user-agent') };
}

/** CONTRACT §4 (#1–#7) and the new auth routes of §21; envelope A except POST /google (A-top). */
export function authRouter(deps: AuthRouterDeps): Router {
  const { config, redis } = deps;
  const account: AccountDeps = deps;
  const router = Router();
  const limit = (name: keyof typeof AUTH_LIMITS) =>
    createRateLimiter(config, redis, AUTH_LIMITS[name]);
  const loginPerAccount = limit('loginAccount');
  const verifyGoogleIdToken = createGoogleIdTokenVerifier(config);
  const handoff = new OAuthHandoff(redis, config.queuePrefix);
  const googleRedirect = createGoogleRedirect(config, handoff);

  router.post(
    '/register',
    limit('registerIp'),
    limit('registerAccount'),
    validate(registerSchema),
    async (_req, res) => {
      const { body } = validInput<{ name: string; email: string; password: string }>(res.locals);
      const user = await register(account, body);
      sendData(
        res,
        { user },
        {
          status: 201,
          message: 'Registration successful. Please check your email to verify your account.',
        },
      );
    },
  );

  router.post(
    '/login',
    limit('loginIp'),
    loginPerAccount,
    validate(loginSchema),
    async (req, res) => {
      const { body } = validInput<{ email: string; password: string }>(res.locals);
      const session = await login(account, body, clientMeta(req));
      loginPerAccount.resetKey(body.email);
      // Top-level token and user too, for the admin login page (CONTRACT §19.1).
      sendFields(res, {
        message: 'Login successful',
        data: session,
        token: session.token,
        user: session.user,
      });
    },
  );

  router.get('/verify', authenticate(config), async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    sendData(
      res,
      { user: await currentUserDto(currentUser(req).id) },
      { message: 'Token is valid' },
    );
  });

  router.post('/google', limit('googleIp'), validate(googleIdTokenSchema), async (req, res) => {
    const { body } = validInput<{ token?: string; credential?: string }>(res.locals);
    const identity = await verifyGoogleIdToken(body.token ?? body.credential ?? '');
    const userId = await signInWithGoogle(account, identity, clientMeta(req));
    const session = await startSession(config, await loadSignInUser(userId), clientMeta(req));
    // Envelope A-top: token and user at the top level, no `data` (CONTRACT §3).
    sendFields(res, { message: 'Google login successful', ...session });
  });

  router.get('/google/start', limit('googleIp'), validate(googleStartSchema), (req, res, next) => {
    if (!config.google.clientId || !config.google.clientSecret)
      throw AppError.unavailable('Google sign-in is not configured on this server');
    const { query } = validInput<unknown, { returnTo?: string }>(res.locals);
    const returnTo = query.returnTo ?? `${config.frontendUrl}/login`;
    if (!isAllowedReturnUrl(returnTo, config.authReturnUrls))
      throw AppError.badRequest('returnTo is not an allowed return URL');
    googleRedirect.start(returnTo)(req, res, next);
  });

  router.get('/google/callback', async (req, res) => {
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
      const userId = await signInWithGoogle(account, outcome.identity, clientMeta(req));
      redirectWith(res, outcome.returnTo, { code: await handoff.createCode(userId) });
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      redirectWith(res, outcome.returnTo, {
        error: error.code.toLowerCase(),
        error_description: error.message,
      });
    }
  });

  router.post(
    '/google/exchange',
    limit('googleIp'),
    validate(googleExchangeSchema),
    async (req, res) => {
      const { body } = validInput<{ code: string }>(res.locals);
      const userId = await handoff.consumeCode(body.code);
      if (!userId) throw AppError.badRequest('Invalid, expired or already used code');
      const session = await startSession(config, await loadSignInUser(userId), clientMeta(req));
      sendData(res, session, { message: 'Google login successful' });
    },
  );

  router.post(
    '/forgot-password',
    limit('forgotIp'),
    limit('forgotAccount'),
    validate(forgotPasswordSchema),
    async (_req, res) => {
      const { body } = validInput<{ email: string }>(res.locals);
      const result = await forgotPassword(account, body.email);
      sendData(res, result, {
        message: 'If an account exists for this email, a password reset link has been sent.',
      });
    },
  );

  router.post(
    '/reset-password',
    limit('resetIp'),
    validate(resetPasswordSchema),
    async (_req, res) => {
      const { body } = validInput<{ token: string; newPassword: string }>(res.locals);
      await resetPassword(body.token, body.newPassword);
      sendMessage(res, 'Password has been reset. You can now log in with your new password.');
    },
  );

  router.get('/verify-email', validate(verifyEmailSchema), async (_req, res) => {
    const { query } = validInput<unknown, { token: string }>(res.locals);
    const user = await verifyEmail(query.token);
    sendData(
      res,
      {
        user: {
          id: user.id,
          name: user.name,
          email: user.email,
          isEmailVerified: user.isEmailVerified,
        },
      },
      { message: 'Email verified successfully' },
    );
  });

  router.post('/refresh', limit('refreshIp'), validate(refreshSchema), async (req, res) => {
    const { body } = validInput<{ refreshToken: string }>(res.locals);
    const rotated = await rotateRefreshToken(
      config,
      body.refreshToken,
      clientMeta(req),
      deps.logger,
    );
    const user = await loadSignInUser(rotated.userId);
    sendData(
      res,
      {
        token: accessTokenFor(config, user),
        refreshToken: rotated.refreshToken,
        refreshTokenExpiresAt: rotated.refreshTokenExpiresAt,
        user: toUserDto(user),
      },
      { message: 'Token refreshed' },
    );
  });

  router.post('/logout', authenticate(config), validate(logoutSchema), async (req, res) => {
    const { body } = validInput<{ refreshToken?: string; allDevices: boolean }>(res.locals);
    await logout(currentUser(req), body);
    sendMessage(res, body.allDevices ? 'Logged out on every device' : 'Logged out');
  });

  return router;
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
