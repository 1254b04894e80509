import { UnrecoverableError } from 'bullmq';
import { FileStorage } from '../../lib/storage';
import type { JobContext } from '../job-context';
import type { JobPayloads } from '../queues';

/** Deletes stored files; missing files count as deleted, so a second delivery is harmless. */
export async function removeFiles(
  payload: JobPayloads['remove-files'],
  context: JobContext,
): Promise<{ removed: number }> {
  if (!Array.isArray(payload.keys) || payload.keys.some((key) => !FileStorage.isValidKey(key))) {
    throw new UnrecoverableError('remove-files: payload.keys must be storage keys');
  }
  await context.storage.remove(...payload.keys);
  return { removed: payload.keys.length };
}
