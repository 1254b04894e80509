/** The signed-in account as loaded from the database on this request. */
export interface AuthUser {
  id: string;
  email: string;
  name: string;
  role: 'user' | 'admin';
  /** Pro that has not expired (CONTRACT §19.14: an expired Pro reads as free everywhere). */
  isPremium: boolean;
  premiumExpiresAt: Date | null;
}

export function isPremiumActive(
  isPremium: boolean | null | undefined,
  expiresAt: Date | null | undefined,
  now = new Date(),
): boolean {
  return Boolean(isPremium) && (!expiresAt || expiresAt.getTime() > now.getTime());
}
