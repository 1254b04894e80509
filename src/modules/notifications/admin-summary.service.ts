import type { AnyBulkWriteOperation } from 'mongodb';
import type { Logger } from '../../lib/logger';
import { NotificationModel } from '../../models/notification.model';
import { UserModel } from '../../models/user.model';
import { BUSINESS_ZONE } from '../usage/usage.service';

export type SummaryKind = 'sign-in' | 'sign-up';

const WORDING: Record<SummaryKind, { one: string; many: string; actionUrl: string }> = {
  'sign-in': { one: ' user sign-in', many: ' user sign-ins', actionUrl: '/admin/users' },
  'sign-up': { one: ' new account', many: ' new accounts', actionUrl: '/admin/users' },
};

/** The window an instant falls in: fixed slots of `windowMs` since the epoch. */
export function summaryWindow(at: Date, windowMs: number): { start: Date; key: string } {
  const start = new Date(Math.floor(at.getTime() / windowMs) * windowMs);
  return { start, key: start.toISOString() };
}

const clock = new Intl.DateTimeFormat('en-GB', {
  timeZone: BUSINESS_ZONE,
  hour: '2-digit',
  minute: '2-digit',
});

/**
 * Tells every admin about one more sign-in (or sign-up) through a rolling summary: one
 * notification per admin, kind and window, whose count, text and unread state each new event
 * updates in one upsert (a pipeline update, so the count in the text is the stored count). A
 * unique index on (userId, summaryKey) keeps it one; concurrent first upserts that collide are
 * retried as updates. Never fails the sign-in that caused it.
 */
export async function addToAdminSummary(
  kind: SummaryKind,
  who: { id: string; name: string; email: string },
  deps: { logger: Logger; windowMs: number; now?: Date },
): Promise<void> {
  try {
    const now = deps.now ?? new Date();
    const window = summaryWindow(now, deps.windowMs);
    const summaryKey = `${kind}:${window.key}`;
    const admins = await UserModel.find({ role: 'admin', isActive: true, isDeleted: false })
      .select('_id')
      .lean();
    const wording = WORDING[kind];
    const count = { $add: [{ $ifNull: ['$data.count', 0] }, 1] };
    const noun = { $cond: [{ $eq: ['$data.count', 1] }, wording.one, wording.many] };
    const operations: AnyBulkWriteOperation[] = admins
      .map((admin) => String(admin._id))
      .filter((adminId) => adminId !== who.id)
      .map((adminId) => ({
        updateOne: {
          filter: { userId: adminId, summaryKey },
          update: [
            {
              $set: {
                userId: { $literal: adminId },
                summaryKey: { $literal: summaryKey },
                type: 'user',
                isRead: false,
                readAt: null,
                actionUrl: wording.actionUrl,
                data: {
                  kind: { $literal: kind },
                  windowStart: { $literal: window.start },
                  count,
                  latest: { $literal: { userId: who.id, name: who.name, email: who.email } },
                },
                createdAt: { $ifNull: ['$createdAt', { $literal: now }] },
                updatedAt: { $literal: now },
                __v: { $ifNull: ['$__v', 0] },
              },
            },
            {
              $set: {
                title: { $concat: [{ $toString: '$data.count' }, noun] },
                message: {
                  $concat: [
                    { $toString: '$data.count' },
                    noun,
                    { $literal: ` since ${clock.format(window.start)} WIB; latest: ` },
                    { $literal: `${who.name} (${who.email})` },
                  ],
                },
              },
            },
          ],
          upsert: true,
        },
      }));
    await writeWithRetry(operations);
  } catch (error) {
    deps.logger.error({ err: error, kind }, 'could not update the admin summary');
  }
}

async function writeWithRetry(operations: AnyBulkWriteOperation[], attempts = 5): Promise<void> {
  let pending = operations;
  for (let attempt = 1; pending.length > 0; attempt += 1) {
    try {
      await NotificationModel.collection.bulkWrite(pending, { ordered: false });
      return;
    } catch (error) {
      const writeErrors = (error as { writeErrors?: { index: number; code?: number }[] })
        .writeErrors;
      const duplicates = Array.isArray(writeErrors)
        ? writeErrors.filter((e) => e.code === 11000)
        : [];
      // Two first sign-ins of a window raced to insert; the retry finds the winner and updates it.
      if (
        attempt >= attempts ||
        duplicates.length === 0 ||
        duplicates.length !== writeErrors?.length
      )
        throw error;
      pending = duplicates.map((e) => pending[e.index]).filter((op) => op !== undefined);
    }
  }
}
