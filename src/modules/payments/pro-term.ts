import { DateTime } from 'luxon';
import { isPremiumActive } from '../../lib/auth-user';
import { BUSINESS_ZONE } from '../usage/usage.service';

/**
 * The end of Pro after buying `months` more: counted from the later of now and the current end of
 * an unexpired Pro, in Asia/Jakarta calendar months (Jan 31 + 1 month is the last day of
 * February). A Pro without an end (granted for good) keeps none.
 */
export function extendedPremiumEnd(
  current: { isPremium?: boolean | null; premiumExpiresAt?: Date | null },
  months: number,
  now: Date = new Date(),
): Date | null {
  if (current.isPremium && !current.premiumExpiresAt) return null;
  const active = isPremiumActive(current.isPremium, current.premiumExpiresAt, now);
  const from = active && current.premiumExpiresAt ? current.premiumExpiresAt : now;
  return DateTime.fromJSDate(from, { zone: BUSINESS_ZONE }).plus({ months }).toJSDate();
}

/** "12 Feb 2026" in Asia/Jakarta, for notifications. */
export function formatBusinessDate(date: Date): string {
  return DateTime.fromJSDate(date, { zone: BUSINESS_ZONE }).toFormat('d LLL yyyy');
}

/** Whole rupiah as Indonesians write it: Rp150.000. */
export function formatRupiah(amount: number): string {
  return `Rp${Math.round(amount)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '.')}`;
}
