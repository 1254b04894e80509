import { UnrecoverableError } from 'bullmq';
import { makeThumbnail } from '../../imaging/thumbnail';
import { AppError } from '../../lib/errors';
import { FileStorage } from '../../lib/storage';
import { CapturedPhotoModel } from '../../models';
import { captureThumbnailKey } from '../../modules/photos/photos.mapper';
import type { JobContext } from '../job-context';
import type { JobPayloads } from '../queues';

/** Thumbnails fit a square box of this side, keeping the aspect ratio. */
export const CAPTURE_THUMBNAIL_BOX = 320;

/**
 * Writes a capture's WebP thumbnail under a key derived from the photo's key, then records it only
 * if the capture still holds that photo (a retake or a delete may have happened meanwhile; then
 * the file is removed again). A second delivery rewrites the same file.
 */
export async function makeCaptureThumbnail(
  payload: JobPayloads['make-capture-thumbnail'],
  context: JobContext,
): Promise<{ thumbnailKey: string } | { skipped: string }> {
  if (typeof payload.captureId !== 'string' || !FileStorage.isValidKey(payload.photoKey)) {
    throw new UnrecoverableError('make-capture-thumbnail: captureId and photoKey are required');
  }
  const { storage } = context;
  const capture = await CapturedPhotoModel.findOne({
    _id: payload.captureId,
    photoKey: payload.photoKey,
  })
    .select('_id')
    .lean();
  if (!capture) return { skipped: 'capture gone or retaken' };

  const source = await storage.read(payload.photoKey).catch(() => null);
  if (!source) return { skipped: 'photo file gone' };
  const thumbnail = await makeThumbnail(source, {
    width: CAPTURE_THUMBNAIL_BOX,
    height: CAPTURE_THUMBNAIL_BOX,
    fit: 'inside',
    format: 'webp',
  }).catch((error: unknown) => {
    throw error instanceof AppError
      ? new UnrecoverableError(`capture thumbnail: ${error.message}`)
      : error;
  });
  const thumbnailKey = captureThumbnailKey(storage, payload.photoKey);
  await storage.saveAt(thumbnailKey, thumbnail.data);
  const result = await CapturedPhotoModel.updateOne(
    { _id: payload.captureId, photoKey: payload.photoKey },
    { $set: { thumbnailKey, thumbnailUrl: storage.publicUrl(thumbnailKey) } },
  );
  if (result.matchedCount === 0) {
    await storage.remove(thumbnailKey);
    return { skipped: 'capture gone or retaken' };
  }
  return { thumbnailKey };
}
