import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { Config } from '../../config';
import { AppError } from '../../lib/errors';
import type { GoogleIdentity } from '../../auth/google-identity';

export type GoogleIdTokenVerifier = (idToken: string) => Promise<GoogleIdentity>;

// Clock skew allowed between us and Google, in seconds.
const CLOCK_TOLERANCE_S = 10;

/**
 * Verifies a Google ID token: RS256 signature against the configured key set (cached and
 * refreshed by jose), issuer, audience (our client id) and expiry. The messages keep the
 * substrings the web client looks for ("Token used too early", "invalid_token").
 */
export function createGoogleIdTokenVerifier(config: Readonly<Config>): GoogleIdTokenVerifier {
  const jwks = createRemoteJWKSet(new URL(config.google.jwksUri), {
    timeoutDuration: 5000,
    cooldownDuration: 30_000,
  });
  return async (idToken) => {
    if (!config.google.clientId)
      throw AppError.unavailable('Google sign-in is not configured on this server');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(idToken, jwks, {
        issuer: [...config.google.issuers],
        audience: config.google.clientId,
        algorithms: ['RS256'],
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['exp', 'iat', 'sub'],
      }));
    } catch (error) {
      throw verificationError(error);
    }
    if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + CLOCK_TOLERANCE_S) {
      throw AppError.unauthenticated('Token used too early, check your device clock');
    }
    const email = typeof payload.email === 'string' ? payload.email.trim().toLowerCase() : '';
    if (!email || !payload.sub)
      throw AppError.unauthenticated('invalid_token: the Google account has no e-mail address');
    const name =
      typeof payload.name === 'string' && payload.name.trim()
        ? payload.name.trim()
        : (email.split('@')[0] ?? 'KaryaKlik user');
    return {
      sub: payload.sub,
      email,
      emailVerified: payload.email_verified === true || payload.email_verified === 'true',
      name: name.slice(0, 50),
      picture:
        typeof payload.picture === 'string' && /^https?:\/\//.test(payload.picture)
          ? payload.picture
          : undefined,
    };
  };
}

function verificationError(error: unknown): AppError {
  if (error instanceof errors.JWTExpired)
    return AppError.unauthenticated('invalid_token: the Google token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf' || error.claim === 'iat')
      return AppError.unauthenticated('Token used too early, check your device clock');
    if (error.claim === 'aud')
      return AppError.unauthenticated(
        'invalid_token: the token was issued for another application',
      );
    if (error.claim === 'iss')
      return AppError.unauthenticated('invalid_token: the token was not issued by Google');
    return AppError.unauthenticated(`invalid_token: ${error.claim} claim is invalid`);
  }
  // A timeout or network failure while fetching Google's keys says nothing about the token.
  const keySetUnreachable =
    error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError);
  if (keySetUnreachable) {
    return AppError.unavailable('Google sign-in is temporarily unavailable, try again shortly');
  }
  return AppError.unauthenticated('invalid_token: the Google token could not be verified');
}
