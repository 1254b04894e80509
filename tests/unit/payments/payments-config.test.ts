import { ConfigError, loadConfig } from '../../../src/config';

const minimal = {
  MONGODB_URI: 'mongodb://127.0.0.1:27017/kk',
  REDIS_URL: 'redis://127.0.0.1:6379',
};

describe('payment and usage configuration', () => {
  it('defaults: the client package, the schema bank account, Midtrans off, free 0 and Pro unlimited', () => {
    const config = loadConfig(minimal);
    expect(config.payments).toMatchObject({
      proPackage: {
        packageName: 'KaryaKlik Pro',
        packageType: 'pro',
        price: 150000,
        durationMonths: 1,
      },
      bankAccounts: [
        {
          bankName: 'Bank BCA',
          bankAccountNumber: '1234567890',
          bankAccountName: 'PT KaryaKlik Indonesia',
        },
      ],
      deadlineHours: 24,
      midtrans: { enabled: false, apiUrl: 'https://api.sandbox.midtrans.com' },
    });
    expect(config.usage).toEqual({
      free: { aiGenerationLimit: 0, frameUploadLimit: 0 },
      pro: { aiGenerationLimit: null, frameUploadLimit: null },
    });
  });

  it('reads several bank accounts, finite allowances and the Midtrans keys', () => {
    const config = loadConfig({
      ...minimal,
      PAYMENT_BANK_ACCOUNTS: 'Bank BCA|111|PT A; Bank BRI | 222 | PT B',
      FREE_DAILY_AI_GENERATIONS: '3',
      PRO_DAILY_FRAME_UPLOADS: '20',
      MIDTRANS_SERVER_KEY: 'SB-Mid-server-x',
      MIDTRANS_API_URL: 'http://127.0.0.1:9999/',
      MIDTRANS_PAYMENT_METHODS: 'qris,bca_va,qris',
    });
    expect(config.payments.bankAccounts).toEqual([
      { bankName: 'Bank BCA', bankAccountNumber: '111', bankAccountName: 'PT A' },
      { bankName: 'Bank BRI', bankAccountNumber: '222', bankAccountName: 'PT B' },
    ]);
    expect(config.usage.free.aiGenerationLimit).toBe(3);
    expect(config.usage.pro).toEqual({ aiGenerationLimit: null, frameUploadLimit: 20 });
    expect(config.payments.midtrans).toMatchObject({
      enabled: true,
      apiUrl: 'http://127.0.0.1:9999',
      methods: ['qris', 'bca_va'],
    });
  });

  it.each([
    ['a negative allowance', { FREE_DAILY_AI_GENERATIONS: '-1' }],
    ['a price with sen', { PRO_PACKAGE_PRICE: '150000.5' }],
    ['a bank account without a holder', { PAYMENT_BANK_ACCOUNTS: 'Bank BCA|123' }],
    ['an unknown gateway method', { MIDTRANS_PAYMENT_METHODS: 'qris,ovo' }],
  ])('refuses %s', (_case, env) => {
    expect(() => loadConfig({ ...minimal, ...env })).toThrow(ConfigError);
  });

  it('in production, refuses a Midtrans key without an explicit API URL', () => {
    const production = {
      ...minimal,
      NODE_ENV: 'production',
      JWT_SECRET: 'a'.repeat(40),
      FILE_URL_SECRET: 'b'.repeat(40),
      PUBLIC_BASE_URL: 'https://api.karyaklik.id',
      FRONTEND_URL: 'https://karyaklik.id',
      MIDTRANS_SERVER_KEY: 'Mid-server-live',
    };
    expect(() => loadConfig(production)).toThrow(/MIDTRANS_API_URL/);
    expect(
      loadConfig({ ...production, MIDTRANS_API_URL: 'https://api.midtrans.com' }).payments.midtrans
        .enabled,
    ).toBe(true);
  });
});
