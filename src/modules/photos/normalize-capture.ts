import { UnrecoverableError } from 'bullmq';
import { normalizeCapture, type NormalizedCapture } from '../../imaging/capture';
import { findFocusPoint, type FocusPoint } from '../../imaging/focus';
import { ImagingError } from '../../imaging/imaging-errors';
import { FileStorage } from '../../lib/storage';
import { CapturedPhotoModel } from '../../models';
import { captureThumbnailKey } from './photos.mapper';
import { removeCapture } from './photos.service';
import type { JobContext } from '../../jobs/job-context';
import type { JobPayloads } from '../../jobs/queues';
import { imageMetadataSet, saveThenSwap, webpThumbnail } from '../../lib/stored-images';

/** Thumbnails fit a square box of this side, keeping the aspect ratio. */
export const CAPTURE_THUMBNAIL_BOX = 320;

type Result = { photoKey: string; thumbnailKey: string } | { skipped: string };

/**
 * Turns an uploaded capture (the checked original in `incoming/`) into its stored form: upright,
 * no metadata, JPEG, plus its WebP thumbnail. The files get keys derived from the upload's, so a
 * second delivery rewrites them; the swap is conditional on the capture still holding this upload
 * (a retake or a delete meanwhile wins, and the new files are removed again). An upload that
 * cannot be decoded is taken back whole (document, session link, files): it never becomes a photo.
 */
export async function normalizeCaptureJob(
  payload: JobPayloads['normalize-capture'],
  context: JobContext,
): Promise<Result> {
  if (typeof payload.captureId !== 'string' || !FileStorage.isValidKey(payload.photoKey)) {
    throw new UnrecoverableError('normalize-capture: captureId and photoKey are required');
  }
  const { storage, config } = context;
  const { captureId, photoKey: sourceKey } = payload;
  const capture = await CapturedPhotoModel.findOne({ _id: captureId, photoKey: sourceKey })
    .select('_id')
    .lean();
  if (!capture) {
    await removeIfIncoming(storage, sourceKey);
    return { skipped: 'capture gone or retaken' };
  }
  const source = await storage.read(sourceKey).catch(() => null);
  if (!source) return { skipped: 'photo file gone' };

  const incoming = FileStorage.folderOf(sourceKey) === 'incoming';
  let stored: NormalizedCapture | null = null;
  let thumbnail: Buffer;
  let focus: FocusPoint;
  try {
    if (incoming)
      stored = await normalizeCapture(source, { maxPixels: config.files.maxImagePixels });
    thumbnail = await webpThumbnail(stored?.data ?? source, CAPTURE_THUMBNAIL_BOX);
    // Found once here so that every render crops around the subject at no cost of its own.
    focus = await findFocusPoint(stored?.data ?? source, config.files.maxImagePixels);
  } catch (error) {
    if (!(error instanceof ImagingError)) throw error;
    // Damage inside a complete file shows only on decoding; it will not decode on a retry either.
    await removeCapture(captureId, sourceKey, storage);
    throw new UnrecoverableError(`normalize-capture: ${error.message}`);
  }

  const photoKey = stored
    ? storage.derivedKey('captures', `capture:${sourceKey}`, 'jpg')
    : sourceKey;
  const thumbnailKey = captureThumbnailKey(storage, photoKey);
  const files = [{ key: thumbnailKey, data: thumbnail }];
  if (stored) files.unshift({ key: photoKey, data: stored.data });
  const swapped = await saveThenSwap(storage, files, () =>
    CapturedPhotoModel.updateOne(
      { _id: captureId, photoKey: sourceKey },
      {
        $set: {
          photoKey,
          photoUrl: storage.publicUrl(photoKey),
          thumbnailKey,
          thumbnailUrl: storage.publicUrl(thumbnailKey),
          focus,
          ...(stored ? imageMetadataSet(stored) : {}),
        },
        $unset: { processing: 1 },
      },
    ),
  );
  if (!swapped) {
    await removeIfIncoming(storage, sourceKey);
    return { skipped: 'capture gone or retaken' };
  }
  await removeIfIncoming(storage, sourceKey);
  return { photoKey, thumbnailKey };
}

async function removeIfIncoming(storage: FileStorage, key: string): Promise<void> {
  if (FileStorage.folderOf(key) === 'incoming') await storage.remove(key);
}
