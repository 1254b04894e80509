import mongoose from 'mongoose';
import { UserModel } from '../../models/user.model';
import type { JobContext } from '../job-context';
import type { JobPayloads } from '../queues';

/**
 * Turns expired Pro accounts back to free (CONTRACT §19.14). Reads already treat them as free
 * (isPremiumActive); this keeps the stored flag honest for queries and the admin list.
 */
export async function sweepExpiredPremium(
  _payload: JobPayloads['sweep-expired-premium'],
  context: JobContext,
): Promise<{ downgraded: number }> {
  const result = await UserModel.updateMany(
    { isPremium: true, premiumExpiresAt: mongoose.trusted({ $ne: null, $lte: new Date() }) },
    { $set: { isPremium: false } },
  );
  if (result.modifiedCount > 0)
    context.logger.info({ downgraded: result.modifiedCount }, 'expired Pro accounts downgraded');
  return { downgraded: result.modifiedCount };
}
