import mongoose, { type ClientSession } from 'mongoose';
import { UserModel } from '../../models/user.model';
import { notifyUser } from '../notifications/notifications.service';
import type { JobContext } from '../../jobs/job-context';
import type { JobPayloads } from '../../jobs/queues';

const BATCH = 200;

/**
 * Turns expired Pro accounts back to free and tells each user once (CONTRACT §19.14). Reads
 * already treat them as free (isPremiumActive); this keeps the stored flag honest for queries and
 * the admin list. Each account is downgraded by a conditional update on the end it was read with,
 * in one transaction with its notification, so a concurrent renewal wins and a rerun (delivery is
 * at least once) neither downgrades nor notifies twice.
 */
export async function sweepExpiredPremium(
  _payload: JobPayloads['sweep-expired-premium'],
  context: JobContext,
): Promise<{ downgraded: number }> {
  const now = new Date();
  let downgraded = 0;
  let lastId: mongoose.Types.ObjectId | undefined;
  for (;;) {
    const expired = await UserModel.find({
      isPremium: true,
      premiumExpiresAt: mongoose.trusted({ $ne: null, $lte: now }),
      ...(lastId ? { _id: mongoose.trusted({ $gt: lastId }) } : {}),
    })
      .sort({ _id: 1 })
      .limit(BATCH)
      .select('_id premiumExpiresAt')
      .lean();
    for (const user of expired) {
      const changed = await mongoose.connection.transaction(async (session: ClientSession) => {
        const result = await UserModel.updateOne(
          { _id: user._id, isPremium: true, premiumExpiresAt: user.premiumExpiresAt },
          { $set: { isPremium: false } },
          { session },
        );
        if (result.modifiedCount === 0) return false;
        await notifyUser(
          String(user._id),
          {
            title: 'KaryaKlik Pro has ended',
            message:
              'Your KaryaKlik Pro period is over, so premium frames, AI frames and frame submissions are paused. Renew on the Upgrade page to continue.',
            type: 'system',
            actionUrl: '/upgrade-pro',
            data: { premiumExpiresAt: user.premiumExpiresAt },
          },
          session,
        );
        return true;
      });
      if (changed) downgraded += 1;
    }
    if (expired.length < BATCH) break;
    lastId = expired[expired.length - 1]?._id;
  }
  if (downgraded > 0) context.logger.info({ downgraded }, 'expired Pro accounts downgraded');
  return { downgraded };
}
