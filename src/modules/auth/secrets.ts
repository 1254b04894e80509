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

// OWASP's first argon2id configuration (19 MiB, 2 passes, 1 lane): on a 2-core host the library
// default (64 MiB, 3 passes, 4 lanes) costs ~350 ms per login and makes login a DoS lever.
const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

// Verified for unknown e-mails and password-less accounts, so both take as long as a wrong password.
let dummyHash: Promise<string> | undefined;

/** Constant-work password check: an absent hash still costs one argon2 verification. */
export async function verifyPassword(
  hash: string | null | undefined,
  password: string,
): Promise<boolean> {
  if (!hash) {
    dummyHash ??= hashPassword('karyaklik-dummy-password');
    await argon2.verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}
