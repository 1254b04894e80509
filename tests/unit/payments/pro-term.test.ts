import {
  extendedPremiumEnd,
  formatBusinessDate,
  formatRupiah,
} from '../../../src/modules/payments/pro-term';

const at = (iso: string) => new Date(iso);

describe('extendedPremiumEnd', () => {
  it('counts calendar months in Asia/Jakarta from now for a free user', () => {
    // 10:00 on 15 March in Jakarta → 10:00 on 15 April in Jakarta.
    expect(extendedPremiumEnd({ isPremium: false }, 1, at('2026-03-15T03:00:00Z'))).toEqual(
      at('2026-04-15T03:00:00Z'),
    );
  });

  it('uses the Jakarta calendar: 31 January (Jakarta) + 1 month is the last day of February', () => {
    // 2026-01-30T18:00Z is already 31 January 01:00 in Jakarta (UTC+7).
    expect(extendedPremiumEnd({ isPremium: false }, 1, at('2026-01-30T18:00:00Z'))).toEqual(
      at('2026-02-27T18:00:00Z'),
    );
  });

  it('extends an unexpired Pro from its end', () => {
    const now = at('2026-05-01T00:00:00Z');
    const end = at('2026-05-20T05:00:00Z');
    expect(extendedPremiumEnd({ isPremium: true, premiumExpiresAt: end }, 3, now)).toEqual(
      at('2026-08-20T05:00:00Z'),
    );
  });

  it('ignores an end in the past and counts from now', () => {
    const now = at('2026-05-01T00:00:00Z');
    expect(
      extendedPremiumEnd({ isPremium: true, premiumExpiresAt: at('2026-04-01T00:00:00Z') }, 1, now),
    ).toEqual(at('2026-06-01T00:00:00Z'));
  });

  it('keeps a Pro granted for good (no end) without an end', () => {
    expect(extendedPremiumEnd({ isPremium: true, premiumExpiresAt: null }, 1)).toBeNull();
  });
});

describe('formatting', () => {
  it('writes rupiah with dots and dates in Jakarta', () => {
    expect(formatRupiah(150000)).toBe('Rp150.000');
    expect(formatRupiah(1250000)).toBe('Rp1.250.000');
    expect(formatBusinessDate(at('2026-02-27T18:00:00Z'))).toBe('28 Feb 2026');
  });
});
