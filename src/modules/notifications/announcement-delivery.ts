import { UnrecoverableError } from 'bullmq';
import mongoose, { Types } from 'mongoose';
import type { JobContext } from '../../jobs/job-context';
import { DEFAULT_JOB_OPTIONS } from '../../jobs/queues';
import { AnnouncementModel, NotificationModel, UserModel } from '../../models';
import type { AnnouncementAudience } from '../../models';
import type { AnnouncementRecord } from './announcements.service';

export type DeliveryResult =
  { announcementId: string; delivered: number; batches: number } | { skipped: string };

/** The recipients of an audience: every account not deleted, or those whose Pro is active then. */
export function audienceFilter(audience: AnnouncementAudience, asOf: Date) {
  const base = { isDeleted: false };
  if (audience === 'all') return base;
  return {
    ...base,
    isPremium: true,
    $or: [{ premiumExpiresAt: null }, { premiumExpiresAt: mongoose.trusted({ $gt: asOf }) }],
  };
}

/**
 * Delivers an announcement: users in `_id` order, one batch of ids at a time (a range query on
 * `_id`, never the whole audience in memory), one unordered insert of notifications per batch.
 * The unique (announcementId, userId) index drops a notification a user already has, so a retried
 * job that resumes from `lastId` (which may lag the last written batch), or two deliveries racing,
 * still leave exactly one per user. `delivered` is the count of notifications written, and is
 * recounted from the index when the delivery completes.
 */
export async function deliverAnnouncementJob(
  payload: { announcementId: string },
  context: JobContext,
): Promise<DeliveryResult> {
  if (!mongoose.isValidObjectId(payload.announcementId)) {
    throw new UnrecoverableError('deliver-announcement: announcementId is required');
  }
  const announcementId = payload.announcementId;
  const record = await AnnouncementModel.findById(announcementId).lean<AnnouncementRecord>();
  if (!record) throw new UnrecoverableError('The announcement no longer exists');
  if (record.status === 'completed') return { skipped: 'already delivered' };

  try {
    await AnnouncementModel.updateOne(
      { _id: announcementId, status: mongoose.trusted({ $in: ['queued', 'failed'] }) },
      { $set: { status: 'sending', startedAt: new Date(), error: null } },
    );
    const filter = audienceFilter(record.audience, record.audienceAsOf);
    const batchSize = context.config.announcementBatchSize;
    let lastId: Types.ObjectId | null = record.lastId ?? null;
    let batches = 0;
    for (;;) {
      const users = await UserModel.find(
        lastId ? { ...filter, _id: mongoose.trusted({ $gt: lastId }) } : filter,
      )
        .sort({ _id: 1 })
        .limit(batchSize)
        .select('_id')
        .lean<{ _id: Types.ObjectId }[]>();
      if (users.length === 0) break;
      const written = await writeBatch(record, users);
      lastId = users[users.length - 1]?._id ?? lastId;
      batches += 1;
      // Progress only moves forward ($max: a slower concurrent delivery cannot move lastId back;
      // null, no batch recorded yet, sorts below every ObjectId).
      await AnnouncementModel.updateOne(
        { _id: announcementId },
        { $inc: { delivered: written }, $max: { lastId } },
      );
      await context.reportProgress({ batches, lastId: String(lastId) });
    }

    const delivered = await NotificationModel.countDocuments({ announcementId });
    await AnnouncementModel.updateOne(
      { _id: announcementId },
      { $set: { status: 'completed', delivered, completedAt: new Date(), error: null } },
    );
    context.logger.info({ announcementId, delivered, batches }, 'announcement delivered');
    return { announcementId, delivered, batches };
  } catch (error) {
    const final =
      error instanceof UnrecoverableError ||
      context.attemptsMade + 1 >= DEFAULT_JOB_OPTIONS.attempts;
    if (final) {
      await AnnouncementModel.updateOne(
        { _id: announcementId, status: mongoose.trusted({ $ne: 'completed' }) },
        { $set: { status: 'failed', error: 'Delivery failed; the job can be retried' } },
      ).catch(() => undefined);
    }
    throw error;
  }
}

/** Inserts one batch's notifications; answers how many were new (duplicates are skipped). */
async function writeBatch(
  record: AnnouncementRecord,
  users: { _id: Types.ObjectId }[],
): Promise<number> {
  const now = new Date();
  const announcementId = String(record._id);
  // Complete documents (lean insert: no per-document casting or validation, the announcement
  // was validated once when it was sent).
  const docs = users.map((user) => ({
    userId: String(user._id),
    title: record.title,
    message: record.message,
    type: 'system',
    isRead: false,
    readAt: null,
    ...(record.link ? { actionUrl: record.link } : {}),
    announcementId,
    createdAt: now,
    updatedAt: now,
  }));
  try {
    await NotificationModel.insertMany(docs, { ordered: false, lean: true });
    return docs.length;
  } catch (error) {
    const duplicates = duplicateCount(error);
    if (duplicates === undefined) throw error;
    return docs.length - duplicates;
  }
}

/** How many writes of a failed unordered insert were duplicates; undefined if any was not. */
function duplicateCount(error: unknown): number | undefined {
  const writeErrors = (error as { writeErrors?: { code?: number; err?: { code?: number } }[] })
    ?.writeErrors;
  if (!Array.isArray(writeErrors) || writeErrors.length === 0) return undefined;
  const allDuplicates = writeErrors.every((e) => (e.code ?? e.err?.code) === 11000);
  return allDuplicates ? writeErrors.length : undefined;
}
