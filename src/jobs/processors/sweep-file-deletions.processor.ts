import { FileDeletionModel } from '../../models/file-deletion.model';
import type { JobContext } from '../job-context';
import type { JobPayloads } from '../queues';

const BATCH = 500;

/**
 * Retries removals that failed after their document change committed. A record goes only once
 * its removal succeeded: a failure bumps `attempts` again (the storage's onRemoveFailed), and the
 * record is deleted only while `attempts` is what this run saw.
 */
export async function sweepFileDeletions(
  _payload: JobPayloads['sweep-file-deletions'],
  context: JobContext,
): Promise<{ removed: number; pending: number }> {
  const records = await FileDeletionModel.find()
    .sort({ updatedAt: 1 })
    .limit(BATCH)
    .select('key attempts')
    .lean();
  let removed = 0;
  for (const record of records) {
    await context.storage.remove(record.key);
    const done = await FileDeletionModel.deleteOne({ _id: record._id, attempts: record.attempts });
    removed += done.deletedCount;
  }
  if (removed < records.length) {
    context.logger.warn({ pending: records.length - removed }, 'some file removals failed again');
  }
  return { removed, pending: records.length - removed };
}
