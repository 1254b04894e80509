import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Config } from '../../config';

// Handed a string, jsonwebtoken first tries to parse it as a PEM public key on every call (an
// exception it catches, a few milliseconds under load); a KeyObject skips that.
const keys = new WeakMap<object, KeyObject>();
function secretKey(config: Readonly<Config>): KeyObject {
  let key = keys.get(config.jwt);
  if (!key) {
    key = createSecretKey(Buffer.from(config.jwt.secret, 'utf8'));
    keys.set(config.jwt, key);
  }
  return key;
}

/** The web client's JWT payload (CONTRACT §2), plus the account's token version for revocation. */
export interface AccessTokenClaims {
  userId: string;
  email: string;
  name: string;
  role: 'user' | 'admin';
  /** Token version of the account when issued; bumping it revokes every older token. */
  tv: number;
}

export interface VerifiedAccessToken extends AccessTokenClaims {
  iat: number;
  exp: number;
}

export function signAccessToken(config: Readonly<Config>, claims: AccessTokenClaims): string {
  return jwt.sign(claims, secretKey(config), {
    algorithm: 'HS256',
    expiresIn: config.jwt.expiresIn as jwt.SignOptions['expiresIn'],
  });
}

/** Returns the claims of a valid, unexpired token, or undefined (the caller answers 401). */
export function verifyAccessToken(
  config: Readonly<Config>,
  token: string,
): VerifiedAccessToken | undefined {
  try {
    const decoded = jwt.verify(token, secretKey(config), { algorithms: ['HS256'] });
    if (typeof decoded !== 'object' || decoded === null) return undefined;
    const { userId, email, name, role, tv, iat, exp } = decoded as Record<string, unknown>;
    if (typeof userId !== 'string' || typeof iat !== 'number' || typeof exp !== 'number')
      return undefined;
    return {
      userId,
      email: String(email ?? ''),
      name: String(name ?? ''),
      role: role === 'admin' ? 'admin' : 'user',
      tv: typeof tv === 'number' ? tv : 0,
      iat,
      exp,
    };
  } catch {
    return undefined;
  }
}
