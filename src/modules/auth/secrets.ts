import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';

/** 256-bit random token for links and refresh tokens, URL-safe. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Only hashes of one-time tokens are stored; a leaked database yields no usable link. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

// Verified for unknown e-mails and password-less accounts, so both take as long as a wrong password.
let dummyHash: Promise<string> | undefined;

/** Constant-work password check: an absent hash still costs one argon2 verification. */
export async function verifyPassword(
  hash: string | null | undefined,
  password: string,
): Promise<boolean> {
  if (!hash) {
    dummyHash ??= argon2.hash('karyaklik-dummy-password', { type: argon2.argon2id });
    await argon2.verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}
