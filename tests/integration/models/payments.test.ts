import mongoose, { Types } from 'mongoose';
import {
  applyMongooseDefaults,
  DAILY_LIMITS,
  hasRemaining,
  isUnlimited,
  PaymentModel,
  UNLIMITED,
  UsageLimitModel,
} from '../../../src/models';
import { buildPayment, buildUsageLimit } from '../../factories/model.factory';
import { useTestDatabase } from '../../helpers/database';
import { findIndex, invalidPaths, writeErrorCode } from './model-assertions';

applyMongooseDefaults();
useTestDatabase('models_payments');

describe('Payment model', () => {
  it('when the client package is created, then the bank details and status come from schema defaults', async () => {
    const payment = buildPayment({
      packageName: 'KaryaKlik Pro',
      packageType: 'pro',
      amount: 150000,
      durationMonths: 1,
    });
    expect(await invalidPaths(payment)).toEqual([]);
    expect(payment).toMatchObject({
      status: 'pending_payment',
      bankName: 'Bank BCA',
      bankAccountNumber: '1234567890',
      bankAccountName: 'PT KaryaKlik Indonesia',
      durationMonths: 1,
      appliedAt: null,
    });
  });

  it('when the package name or type is not the Pro package, then it is rejected', async () => {
    expect(
      await invalidPaths(buildPayment({ packageName: 'KaryaKlik Basic', packageType: 'basic' })),
    ).toEqual(['packageName', 'packageType']);
  });

  it.each([0, -5000, 149999.5])(
    'when the amount is %p, then it is rejected (whole rupiah ≥ 1)',
    async (amount) => {
      expect(await invalidPaths(buildPayment({ amount }))).toEqual(['amount']);
    },
  );

  it('when the amount is missing, then it is required', async () => {
    expect(await invalidPaths(buildPayment({ amount: undefined }))).toEqual(['amount']);
  });

  it.each([0, 13, 1.5])(
    'when durationMonths is %p, then it is rejected (1–12 whole months)',
    async (durationMonths) => {
      expect(await invalidPaths(buildPayment({ durationMonths }))).toEqual(['durationMonths']);
    },
  );

  it('when the status is unknown, then it is rejected', async () => {
    expect(await invalidPaths(buildPayment({ status: 'paid' }))).toEqual(['status']);
  });

  it('when userId is not an ObjectId, then it fails to cast', async () => {
    expect(await invalidPaths(buildPayment({ userId: 'not-an-id' }))).toEqual(['userId']);
  });

  it('when an approval is applied by a conditional update, then a second apply matches nothing', async () => {
    const payment = await buildPayment({ status: 'pending_verification' }).save();
    const admin = new Types.ObjectId();
    const apply = () =>
      PaymentModel.findOneAndUpdate(
        { _id: payment._id, status: 'pending_verification', appliedAt: null },
        {
          $set: {
            status: 'approved',
            approvedBy: admin,
            approvedAt: new Date(),
            appliedAt: new Date(),
          },
        },
        { returnDocument: 'after' },
      );
    const first = await apply();
    const second = await apply();
    expect(first?.status).toBe('approved');
    expect(first?.approvedBy?.equals(admin)).toBe(true);
    expect(second).toBeNull();
  });

  it('when the database lists the indexes, then user and review-queue lists are indexed', async () => {
    expect(await findIndex(PaymentModel, { userId: 1, status: 1, createdAt: -1 })).toBeDefined();
    expect(await findIndex(PaymentModel, { status: 1, createdAt: -1 })).toBeDefined();
  });
});

describe('UsageLimit model', () => {
  it('when a day is created, then it is free with zero counts and zero limits', async () => {
    const usage = buildUsageLimit();
    expect(await invalidPaths(usage)).toEqual([]);
    expect(usage).toMatchObject({
      packageType: 'free',
      aiGenerationCount: 0,
      frameUploadCount: 0,
      aiGenerationLimit: 0,
      frameUploadLimit: 0,
    });
  });

  it('when a pro day stores UNLIMITED, then the limits read back as null and count as unlimited', async () => {
    const saved = await buildUsageLimit({ packageType: 'pro', ...DAILY_LIMITS.pro }).save();
    const stored = await UsageLimitModel.findById(saved._id).lean().orFail();
    expect(stored.aiGenerationLimit).toBeNull();
    expect(stored.frameUploadLimit).toBeNull();
    expect(isUnlimited(stored.aiGenerationLimit)).toBe(true);
    expect(hasRemaining(1_000_000, stored.aiGenerationLimit)).toBe(true);
    expect(UNLIMITED).toBeNull();
  });

  it('when a free day has used its limit, then no use remains', () => {
    expect(hasRemaining(0, DAILY_LIMITS.free.aiGenerationLimit)).toBe(false);
    expect(hasRemaining(2, 3)).toBe(true);
    expect(hasRemaining(3, 3)).toBe(false);
    expect(hasRemaining(0, undefined)).toBe(false);
  });

  it.each(['2026-1-5', '05-01-2026', '2026-02-30', '2026-13-01', 'today'])(
    'when the date is %p, then it is rejected',
    async (date) => {
      expect(await invalidPaths(buildUsageLimit({ date }))).toEqual(['date']);
    },
  );

  it('when counts or limits are negative or fractional, then they are rejected', async () => {
    const usage = buildUsageLimit({
      aiGenerationCount: -1,
      frameUploadCount: 0.5,
      aiGenerationLimit: -2,
      frameUploadLimit: 1.5,
    });
    expect(await invalidPaths(usage)).toEqual([
      'aiGenerationCount',
      'aiGenerationLimit',
      'frameUploadCount',
      'frameUploadLimit',
    ]);
  });

  it('when the package type is unknown, then it is rejected', async () => {
    expect(await invalidPaths(buildUsageLimit({ packageType: 'enterprise' }))).toEqual([
      'packageType',
    ]);
  });

  it('when a second document for the same user and day is inserted, then it fails with 11000', async () => {
    const userId = new Types.ObjectId();
    await buildUsageLimit({ userId, date: '2026-01-04' }).save();
    expect(await writeErrorCode(buildUsageLimit({ userId, date: '2026-01-04' }).save())).toBe(
      11000,
    );
    await expect(buildUsageLimit({ userId, date: '2026-01-05' }).save()).resolves.toBeDefined();
  });

  it('when today is upserted and counted with a conditional increment, then the limit holds and UNLIMITED never blocks', async () => {
    const userId = new Types.ObjectId();
    const date = '2026-01-06';
    const today = (limits: { aiGenerationLimit: number | null }) =>
      UsageLimitModel.findOneAndUpdate(
        { userId, date },
        {
          $setOnInsert: {
            packageType: limits.aiGenerationLimit === UNLIMITED ? 'pro' : 'free',
            ...limits,
          },
        },
        { upsert: true, returnDocument: 'after' },
      );
    // sanitizeFilter is on, so the server-built $expr operand is marked trusted.
    const consume = () =>
      UsageLimitModel.findOneAndUpdate(
        {
          userId,
          date,
          $or: [
            { aiGenerationLimit: null },
            { $expr: mongoose.trusted({ $lt: ['$aiGenerationCount', '$aiGenerationLimit'] }) },
          ],
        },
        { $inc: { aiGenerationCount: 1 } },
        { returnDocument: 'after' },
      );

    await today({ aiGenerationLimit: 1 });
    expect((await consume())?.aiGenerationCount).toBe(1);
    expect(await consume()).toBeNull();

    await UsageLimitModel.updateOne(
      { userId, date },
      { $set: { packageType: 'pro', ...DAILY_LIMITS.pro } },
    );
    expect((await consume())?.aiGenerationCount).toBe(2);
    expect((await consume())?.aiGenerationCount).toBe(3);
  });

  it('when the database lists the indexes, then (userId, date) is unique', async () => {
    expect(await findIndex(UsageLimitModel, { userId: 1, date: 1 })).toMatchObject({
      unique: true,
    });
  });
});
