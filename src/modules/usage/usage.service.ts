import { DateTime } from 'luxon';
import mongoose, { type ClientSession } from 'mongoose';
import type { Config, DailyAllowance } from '../../config';
import type { AuthUser } from '../../lib/auth-user';
import { AppError } from '../../lib/errors';
import { isDuplicateKey } from '../../lib/error-mapping';
import type { PackageType } from '../../models/enums';
import { UsageLimitModel } from '../../models/usage-limit.model';

/** The business day of KaryaKlik (SPEC: money is IDR, the day is Asia/Jakarta). */
export const BUSINESS_ZONE = 'Asia/Jakarta';

export type UsageKind = 'aiGeneration' | 'frameUpload';

export interface UsageDeps {
  config: Readonly<Pick<Config, 'usage'>>;
}

export interface UsageCounter {
  used: number;
  /** null: unlimited. */
  limit: number | null;
  /** null: unlimited. */
  remaining: number | null;
}

/** A user's usage of one Asia/Jakarta day. */
export interface UsageSnapshot {
  date: string;
  packageType: PackageType;
  aiGeneration: UsageCounter;
  frameUpload: UsageCounter;
}

const FIELD_NAMES = {
  aiGeneration: { count: 'aiGenerationCount', limit: 'aiGenerationLimit' },
  frameUpload: { count: 'frameUploadCount', limit: 'frameUploadLimit' },
} as const;

const LIMIT_MESSAGES: Record<UsageKind, { error: string; noun: string }> = {
  aiGeneration: { error: 'Daily AI generation limit reached', noun: 'AI frame generations' },
  frameUpload: { error: 'Daily frame upload limit reached', noun: 'frame submissions' },
};

/** The Asia/Jakarta calendar day of `at`, as YYYY-MM-DD. */
export function businessDay(at: Date = new Date()): string {
  return DateTime.fromJSDate(at).setZone(BUSINESS_ZONE).toISODate() ?? '';
}

function packageOf(actor: AuthUser): PackageType {
  return actor.isPremium ? 'pro' : 'free';
}

interface StoredUsage {
  date: string;
  packageType?: string | null;
  aiGenerationCount?: number | null;
  aiGenerationLimit?: number | null;
  frameUploadCount?: number | null;
  frameUploadLimit?: number | null;
}

function counter(used: number, limit: number | null): UsageCounter {
  return { used, limit, remaining: limit === null ? null : Math.max(0, limit - used) };
}

function toSnapshot(doc: StoredUsage): UsageSnapshot {
  return {
    date: doc.date,
    packageType: doc.packageType === 'pro' ? 'pro' : 'free',
    aiGeneration: counter(doc.aiGenerationCount ?? 0, doc.aiGenerationLimit ?? null),
    frameUpload: counter(doc.frameUploadCount ?? 0, doc.frameUploadLimit ?? null),
  };
}

/**
 * Makes the day's document exist and carry the limits of `packageType` from configuration. The
 * stored limits are what consumption compares against, so an expired Pro turns free for the rest
 * of the day and an approval turns the day pro. Counts are never touched here.
 */
async function syncDay(
  userId: string,
  date: string,
  packageType: PackageType,
  allowance: DailyAllowance,
  session?: ClientSession,
): Promise<void> {
  const set = {
    packageType,
    aiGenerationLimit: allowance.aiGenerationLimit,
    frameUploadLimit: allowance.frameUploadLimit,
  };
  const upsert = () =>
    UsageLimitModel.updateOne(
      { userId, date },
      { $set: set, $setOnInsert: { aiGenerationCount: 0, frameUploadCount: 0 } },
      { upsert: true, session },
    );
  try {
    await upsert();
  } catch (error) {
    // Two first requests of the day may both try the insert; the loser updates the winner's.
    // (Inside a transaction the error aborts it, and the transaction's own retry repeats this.)
    if (session || !isDuplicateKey(error)) throw error;
    await upsert();
  }
}

/**
 * Takes one unit of `kind` from the actor's allowance for today, or throws 429
 * USAGE_LIMIT_REACHED. The check and the increment are one conditional update on the day's
 * document, so concurrent requests can never take more than the limit.
 */
export async function consumeUsage(
  actor: AuthUser,
  kind: UsageKind,
  deps: UsageDeps,
): Promise<UsageSnapshot> {
  const date = businessDay();
  const packageType = packageOf(actor);
  await syncDay(actor.id, date, packageType, deps.config.usage[packageType]);
  const { count, limit } = FIELD_NAMES[kind];
  const hasRoom = {
    $or: [{ [limit]: null }, { $expr: mongoose.trusted({ $lt: [`$${count}`, `$${limit}`] }) }],
  };
  const doc = await UsageLimitModel.findOneAndUpdate(
    { userId: actor.id, date, ...hasRoom },
    { $inc: { [count]: 1 } },
    { returnDocument: 'after' },
  ).lean();
  if (doc) return toSnapshot(doc);
  const current = await UsageLimitModel.findOne({ userId: actor.id, date }).lean();
  throw limitReached(kind, current ? toSnapshot(current) : null, packageType);
}

function limitReached(
  kind: UsageKind,
  snapshot: UsageSnapshot | null,
  packageType: PackageType,
): AppError {
  const { error, noun } = LIMIT_MESSAGES[kind];
  const limit = snapshot?.[kind].limit ?? 0;
  const details =
    packageType === 'free'
      ? limit === 0
        ? `${noun} are part of KaryaKlik Pro. Upgrade to Pro to use them.`
        : `Free accounts have ${limit} ${noun} a day and today's are used up. Upgrade to KaryaKlik Pro for more, or try again tomorrow.`
      : `You have used all ${limit} ${noun} of today. The allowance renews at midnight (Asia/Jakarta).`;
  return new AppError(429, 'USAGE_LIMIT_REACHED', error, details, {
    packageType,
    upgradeUrl: '/upgrade-pro',
  });
}

/**
 * Gives back one unit taken by consumeUsage when the work it paid for failed. `date` is the
 * snapshot's day (a failure after midnight refunds the day that was charged); never below zero.
 */
export async function releaseUsage(
  actor: AuthUser,
  kind: UsageKind,
  date: string = businessDay(),
): Promise<void> {
  await releaseUsageOf(actor.id, kind, date);
}

/** releaseUsage for work that failed in a job, where only the user's id is at hand. */
export async function releaseUsageOf(userId: string, kind: UsageKind, date: string): Promise<void> {
  const { count } = FIELD_NAMES[kind];
  await UsageLimitModel.updateOne(
    { userId, date, [count]: mongoose.trusted({ $gt: 0 }) },
    { $inc: { [count]: -1 } },
  );
}

/** Today's usage as the actor's current package sees it (nothing is written). */
export async function usageToday(actor: AuthUser, deps: UsageDeps): Promise<UsageSnapshot> {
  const date = businessDay();
  const packageType = packageOf(actor);
  const doc = await UsageLimitModel.findOne({ userId: actor.id, date }).lean();
  return toSnapshot({
    date,
    packageType,
    aiGenerationCount: doc?.aiGenerationCount ?? 0,
    frameUploadCount: doc?.frameUploadCount ?? 0,
    ...deps.config.usage[packageType],
  });
}

/** Turns the user's day pro (payment approval, admin grant); inside the caller's transaction if given. */
export async function applyProToUsage(
  userId: string,
  deps: UsageDeps,
  session?: ClientSession,
): Promise<void> {
  await syncDay(userId, businessDay(), 'pro', deps.config.usage.pro, session);
}

/** Turns the user's day free (Pro removed or expired). */
export async function applyFreeToUsage(
  userId: string,
  deps: UsageDeps,
  session?: ClientSession,
): Promise<void> {
  await syncDay(userId, businessDay(), 'free', deps.config.usage.free, session);
}
