import { AppError } from '../../src/lib/errors';
import { UsageLimitModel } from '../../src/models/usage-limit.model';
import {
  applyProToUsage,
  businessDay,
  consumeUsage,
  releaseUsage,
  usageToday,
} from '../../src/modules/usage/usage.service';
import { createUser } from '../factories/users.factory';
import { actorFor } from '../helpers/actor';
import { useTestContext } from '../helpers/context';

// A finite free AI allowance so that the limit can be reached; frame uploads keep the free 0.
const ctx = useTestContext('usage', { FREE_DAILY_AI_GENERATIONS: '3' });

async function caught(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the promise to reject');
}

function inAMonth(): Date {
  return new Date(Date.now() + 30 * 24 * 3600 * 1000);
}

describe('usage limits', () => {
  it('counts a day in Asia/Jakarta (UTC+7): 17:30 UTC is already the next day', () => {
    expect(businessDay(new Date('2025-01-31T16:59:59Z'))).toBe('2025-01-31');
    expect(businessDay(new Date('2025-01-31T17:30:00Z'))).toBe('2025-02-01');
  });

  it('when a free user consumes within the limit, then one document for today counts it', async () => {
    const actor = await actorFor(ctx, await createUser());
    const first = await consumeUsage(actor, 'aiGeneration', ctx);
    const second = await consumeUsage(actor, 'aiGeneration', ctx);
    expect(first.aiGeneration).toEqual({ used: 1, limit: 3, remaining: 2 });
    expect(second).toMatchObject({
      date: businessDay(),
      packageType: 'free',
      aiGeneration: { used: 2, limit: 3, remaining: 1 },
      frameUpload: { used: 0, limit: 0, remaining: 0 },
    });
    const docs = await UsageLimitModel.find({ userId: actor.id }).lean();
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ date: businessDay(), aiGenerationCount: 2 });
  });

  it('when 20 requests race at limit − 1, then exactly one succeeds and the count stops at the limit', async () => {
    const actor = await actorFor(ctx, await createUser());
    await consumeUsage(actor, 'aiGeneration', ctx);
    await consumeUsage(actor, 'aiGeneration', ctx);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => consumeUsage(actor, 'aiGeneration', ctx)),
    );
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(19);
    for (const r of rejected) {
      expect(r.reason).toBeInstanceOf(AppError);
      expect((r.reason as AppError).code).toBe('USAGE_LIMIT_REACHED');
    }
    const doc = await UsageLimitModel.findOne({ userId: actor.id }).lean();
    expect(doc?.aiGenerationCount).toBe(3);
  });

  it('when a free user has no allowance, then it answers 429 with the package and the upgrade URL', async () => {
    const actor = await actorFor(ctx, await createUser());
    const error = await caught(consumeUsage(actor, 'frameUpload', ctx));
    expect(error.status).toBe(429);
    expect(error.code).toBe('USAGE_LIMIT_REACHED');
    expect(error.message).toBe('Daily frame upload limit reached');
    expect(typeof error.details).toBe('string');
    expect(error.details).toMatch(/Pro/);
    expect(error.extra).toEqual({ packageType: 'free', upgradeUrl: '/upgrade-pro' });
    const doc = await UsageLimitModel.findOne({ userId: actor.id }).lean();
    expect(doc?.frameUploadCount).toBe(0);
  });

  it('when the user is Pro, then the allowance is unlimited and stored as null, not a big number', async () => {
    const actor = await actorFor(
      ctx,
      await createUser({ isPremium: true, premiumExpiresAt: inAMonth() }),
    );
    let last;
    for (let i = 0; i < 12; i += 1) last = await consumeUsage(actor, 'frameUpload', ctx);
    expect(last).toMatchObject({
      packageType: 'pro',
      frameUpload: { used: 12, limit: null, remaining: null },
      aiGeneration: { used: 0, limit: null, remaining: null },
    });
    const doc = await UsageLimitModel.findOne({ userId: actor.id }).lean();
    expect(doc).toMatchObject({ packageType: 'pro', frameUploadLimit: null, frameUploadCount: 12 });
  });

  it('when Pro has expired, then the same day counts as free at once', async () => {
    const user = await createUser({ isPremium: true, premiumExpiresAt: inAMonth() });
    await consumeUsage(await actorFor(ctx, user), 'frameUpload', ctx);
    await user.updateOne({ $set: { premiumExpiresAt: new Date(Date.now() - 1000) } });
    const expired = await actorFor(ctx, user);
    expect(expired.isPremium).toBe(false);
    const error = await caught(consumeUsage(expired, 'frameUpload', ctx));
    expect(error.extra).toMatchObject({ packageType: 'free' });
    expect(await usageToday(expired, ctx)).toMatchObject({
      packageType: 'free',
      frameUpload: { used: 1, limit: 0, remaining: 0 },
    });
  });

  it('when work fails, then releaseUsage gives the unit back, never below zero', async () => {
    const actor = await actorFor(ctx, await createUser());
    const snapshot = await consumeUsage(actor, 'aiGeneration', ctx);
    await releaseUsage(actor, 'aiGeneration', snapshot.date);
    await releaseUsage(actor, 'aiGeneration', snapshot.date);
    const doc = await UsageLimitModel.findOne({ userId: actor.id }).lean();
    expect(doc?.aiGenerationCount).toBe(0);
    expect((await usageToday(actor, ctx)).aiGeneration).toEqual({
      used: 0,
      limit: 3,
      remaining: 3,
    });
  });

  it('when Pro is applied to a used-up day, then the day becomes pro and keeps its counts', async () => {
    const user = await createUser();
    const actor = await actorFor(ctx, user);
    for (let i = 0; i < 3; i += 1) await consumeUsage(actor, 'aiGeneration', ctx);
    await applyProToUsage(actor.id, ctx);
    const doc = await UsageLimitModel.findOne({ userId: actor.id }).lean();
    expect(doc).toMatchObject({
      packageType: 'pro',
      aiGenerationLimit: null,
      frameUploadLimit: null,
      aiGenerationCount: 3,
    });
  });

  it('when usageToday is read before any use, then it answers the package limits and writes nothing', async () => {
    const actor = await actorFor(ctx, await createUser());
    expect(await usageToday(actor, ctx)).toEqual({
      date: businessDay(),
      packageType: 'free',
      aiGeneration: { used: 0, limit: 3, remaining: 3 },
      frameUpload: { used: 0, limit: 0, remaining: 0 },
    });
    expect(await UsageLimitModel.countDocuments({ userId: actor.id })).toBe(0);
  });
});
