import { randomBytes } from 'node:crypto';

export const GENERATED_ADMIN_EMAIL = 'admin@karyaklik.local';

export interface GeneratedAdmin {
  email: string;
  password: string;
}

/**
 * The admin `npm start` creates in an embedded (empty) database when none is configured, so the
 * admin pages of the client can be tried at once. Only in development: never in production,
 * and never when ADMIN_EMAIL and ADMIN_PASSWORD are set (those are seeded instead).
 */
export function generatedAdmin(env: NodeJS.ProcessEnv): GeneratedAdmin | undefined {
  if ((env.NODE_ENV ?? 'development') !== 'development') return undefined;
  if (env.ADMIN_EMAIL || env.ADMIN_PASSWORD) return undefined;
  return { email: GENERATED_ADMIN_EMAIL, password: randomBytes(12).toString('base64url') };
}
