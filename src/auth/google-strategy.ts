import type { Request, RequestHandler } from 'express';
import passport from 'passport';
import { Strategy as GoogleStrategy, type Profile } from 'passport-google-oauth20';
import type { Config } from '../config';
import type { GoogleIdentity } from './google-identity';

/** Where the flow began (validated against the allow-list), carried from the state store to the route. */
const returnToByRequest = new WeakMap<Request, string>();

export interface GoogleRedirectResult {
  /** Set when the state matched: the allowed URL to send the browser back to. */
  returnTo?: string;
  identity?: GoogleIdentity;
  error?: { status: number; message: string };
}

/**
 * passport-google-oauth20 for the redirect flow, on a private Authenticator with sessions off.
 * The OAuth state lives in Redis (single use, with the return URL) through a custom state store,
 * so nothing depends on express-session.
 */
/** Single-use OAuth states carrying the return URL (the accounts module keeps them in Redis). */
export interface OAuthStateStore {
  createState(returnTo: string): Promise<string>;
  consumeState(state: string): Promise<string | undefined>;
}

export function createGoogleRedirect(config: Readonly<Config>, handoff: OAuthStateStore) {
  const authenticator = new passport.Authenticator();
  const stateStore = {
    store: (
      req: Request,
      _state: unknown,
      _meta: unknown,
      callback: (err: Error | null, state?: string) => void,
    ) => {
      const returnTo = returnToByRequest.get(req);
      if (!returnTo) return callback(new Error('google redirect: returnTo missing'));
      handoff.createState(returnTo).then(
        (state) => callback(null, state),
        (error: Error) => callback(error),
      );
    },
    verify: (
      req: Request,
      state: string,
      _meta: unknown,
      callback: (err: Error | null, ok: boolean, info?: unknown) => void,
    ) => {
      handoff.consumeState(typeof state === 'string' ? state : '').then(
        (returnTo) => {
          if (!returnTo)
            return callback(null, false, {
              message: 'Invalid, expired or already used sign-in state',
            });
          returnToByRequest.set(req, returnTo);
          callback(null, true);
        },
        (error: Error) => callback(error, false),
      );
    },
  };

  authenticator.use(
    new GoogleStrategy(
      {
        clientID: config.google.clientId || 'unconfigured',
        clientSecret: config.google.clientSecret || 'unconfigured',
        callbackURL: config.google.callbackUrl,
        authorizationURL: config.google.authorizationUrl,
        tokenURL: config.google.tokenUrl,
        userProfileURL: config.google.userInfoUrl,
        scope: ['openid', 'email', 'profile'],
        // passport-oauth2 calls a store by its arity (4 here); its types only know 2 and 3.
        store: stateStore as never,
      },
      (
        _accessToken: string,
        _refreshToken: string,
        profile: Profile,
        done: (err: Error | null, user?: Express.User | false) => void,
      ) => {
        const identity = identityFromProfile(profile);
        if (!identity) return done(null, false);
        done(null, identity);
      },
    ),
  );

  /**
   * Redirects the browser to Google; `returnTo` must already be checked against the allow-list.
   * Settles once the redirect is written (or fails with the state store's error).
   */
  const start = (
    req: Request,
    res: Parameters<RequestHandler>[1],
    returnTo: string,
  ): Promise<void> =>
    new Promise((resolve, reject) => {
      returnToByRequest.set(req, returnTo);
      res.once('close', () => resolve());
      authenticator.authenticate('google', { session: false })(req, res, (error?: unknown) =>
        reject(error instanceof Error ? error : new Error('Google sign-in did not redirect')),
      );
    });

  /** Runs the callback (state check, code exchange, profile) and reports the outcome; never redirects. */
  const callback = (
    req: Request,
    res: Parameters<RequestHandler>[1],
  ): Promise<GoogleRedirectResult> =>
    new Promise((resolve) => {
      authenticator.authenticate(
        'google',
        { session: false },
        (error: unknown, user: unknown, info: unknown, status: unknown) => {
          const returnTo = returnToByRequest.get(req);
          const base = returnTo ? { returnTo } : {};
          if (error)
            return resolve({
              ...base,
              error: { status: 502, message: 'Google sign-in failed while talking to Google' },
            });
          if (!user) {
            const message =
              typeof info === 'object' && info && 'message' in info
                ? String(info.message)
                : 'Google sign-in failed';
            return resolve({
              ...base,
              error: { status: typeof status === 'number' ? 400 : 401, message },
            });
          }
          resolve({ ...base, identity: user as GoogleIdentity });
        },
      )(req, res, () => resolve({ error: { status: 400, message: 'Google sign-in failed' } }));
    });

  return { start, callback };
}

function identityFromProfile(profile: Profile): GoogleIdentity | undefined {
  const json = (profile._json ?? {}) as Record<string, unknown>;
  const email = String(json.email ?? profile.emails?.[0]?.value ?? '')
    .trim()
    .toLowerCase();
  if (!profile.id || !email) return undefined;
  const verified =
    json.email_verified ?? (profile.emails?.[0] as { verified?: unknown } | undefined)?.verified;
  const name =
    String(json.name ?? profile.displayName ?? '').trim() ||
    email.split('@')[0] ||
    'KaryaKlik user';
  const picture =
    typeof json.picture === 'string' && /^https?:\/\//.test(json.picture)
      ? json.picture
      : undefined;
  return {
    sub: profile.id,
    email,
    emailVerified: verified === true || verified === 'true',
    name: name.slice(0, 50),
    picture,
  };
}
