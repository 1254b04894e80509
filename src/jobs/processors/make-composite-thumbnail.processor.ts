import { UnrecoverableError } from 'bullmq';
import { makeThumbnail } from '../../imaging/thumbnail';
import { AppError } from '../../lib/errors';
import { FileStorage } from '../../lib/storage';
import { FinalCompositeModel } from '../../models';
import { compositeThumbnailKey } from '../../modules/composites/composites.mapper';
import type { JobContext } from '../job-context';
import type { JobPayloads } from '../queues';

/** Thumbnails fit a square box of this side, keeping the aspect ratio. */
/** Thumbnails fit a square box of this side, keeping the aspect ratio. */
export const COMPOSITE_THUMBNAIL_BOX = 400;

/**
 * Writes a composite's WebP thumbnail under a key derived from the composite's, then records it if
 * the composite still exists (if it was deleted meanwhile the file is removed again).
 */
export async function makeCompositeThumbnail(
  payload: JobPayloads['make-composite-thumbnail'],
  context: JobContext,
): Promise<{ thumbnailKey: string } | { skipped: string }> {
  if (typeof payload.compositeId !== 'string' || !FileStorage.isValidKey(payload.compositeKey)) {
    throw new UnrecoverableError(
      'make-composite-thumbnail: compositeId and compositeKey are required',
    );
  }
  const { storage } = context;
  const exists = await FinalCompositeModel.exists({
    _id: payload.compositeId,
    compositeKey: payload.compositeKey,
  });
  if (!exists) return { skipped: 'composite gone' };
  const source = await storage.read(payload.compositeKey).catch(() => null);
  if (!source) return { skipped: 'composite file gone' };
  const thumbnail = await makeThumbnail(source, {
    width: COMPOSITE_THUMBNAIL_BOX,
    height: COMPOSITE_THUMBNAIL_BOX,
    fit: 'inside',
    format: 'webp',
  }).catch((error: unknown) => {
    throw error instanceof AppError
      ? new UnrecoverableError(`composite thumbnail: ${error.message}`)
      : error;
  });
  const thumbnailKey = compositeThumbnailKey(storage, payload.compositeKey);
  await storage.saveAt(thumbnailKey, thumbnail.data);
  const result = await FinalCompositeModel.updateOne(
    { _id: payload.compositeId, compositeKey: payload.compositeKey },
    { $set: { thumbnailKey, thumbnailUrl: storage.publicUrl(thumbnailKey) } },
  );
  if (result.matchedCount === 0) {
    await storage.remove(thumbnailKey);
    return { skipped: 'composite gone' };
  }
  return { thumbnailKey };
}
