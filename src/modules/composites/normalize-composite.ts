import { UnrecoverableError } from 'bullmq';
import { normalizeUpload } from '../../imaging/capture';
import { EXTENSION_OF, type RasterFormat } from '../../imaging/probe';
import { ImagingError } from '../../imaging/imaging-errors';
import { FileStorage } from '../../lib/storage';
import { FinalCompositeModel } from '../../models';
import { compositeThumbnailKey } from './composites.mapper';
import type { JobContext } from '../../jobs/job-context';
import type { JobPayloads } from '../../jobs/queues';
import { imageMetadataSet, saveThenSwap, webpThumbnail } from '../../lib/stored-images';

/** Thumbnails fit a square box of this side, keeping the aspect ratio. */
export const COMPOSITE_THUMBNAIL_BOX = 400;

const FORMAT_OF: Record<string, 'jpeg' | 'png' | 'webp'> = {
  jpg: 'jpeg',
  png: 'png',
  webp: 'webp',
};

type Result = { compositeKey: string; thumbnailKey: string } | { skipped: string };

/**
 * Turns a client-uploaded composite (the original in `incoming/`, which may carry EXIF and GPS)
 * into the file anyone may be shown: upright, without metadata, in its own format, plus its WebP
 * thumbnail. Keys derive from the upload's, so a second delivery rewrites the same files; the swap
 * is conditional on the composite still holding this upload. A file that cannot be decoded stays
 * private (the owner still sees it) and the job fails for good.
 */
export async function normalizeCompositeJob(
  payload: JobPayloads['normalize-composite'],
  context: JobContext,
): Promise<Result> {
  const { compositeId, compositeKey: sourceKey } = payload;
  if (typeof compositeId !== 'string' || !FileStorage.isValidKey(sourceKey)) {
    throw new UnrecoverableError('normalize-composite: compositeId and compositeKey are required');
  }
  const { storage } = context;
  const exists = await FinalCompositeModel.exists({ _id: compositeId, compositeKey: sourceKey });
  if (!exists) {
    await storage.remove(sourceKey);
    return { skipped: 'composite gone' };
  }
  const source = await storage.read(sourceKey).catch(() => null);
  if (!source) return { skipped: 'composite file gone' };

  const format = FORMAT_OF[sourceKey.slice(sourceKey.lastIndexOf('.') + 1)] ?? 'jpeg';
  let clean: Awaited<ReturnType<typeof normalizeUpload>>;
  let thumbnail: Buffer;
  try {
    clean = await normalizeUpload(source, format, {
      maxPixels: context.config.files.maxImagePixels,
    });
    thumbnail = await webpThumbnail(clean.data, COMPOSITE_THUMBNAIL_BOX);
  } catch (error) {
    throw error instanceof ImagingError
      ? new UnrecoverableError(`normalize-composite: ${error.message}`)
      : error;
  }

  const compositeKey = storage.derivedKey(
    'composites',
    `upload:${sourceKey}`,
    EXTENSION_OF[format as RasterFormat],
  );
  const thumbnailKey = compositeThumbnailKey(storage, compositeKey);
  const swapped = await saveThenSwap(
    storage,
    [
      { key: compositeKey, data: clean.data },
      { key: thumbnailKey, data: thumbnail },
    ],
    () =>
      FinalCompositeModel.updateOne(
        { _id: compositeId, compositeKey: sourceKey },
        {
          $set: {
            compositeKey,
            compositeUrl: storage.publicUrl(compositeKey),
            thumbnailKey,
            thumbnailUrl: storage.publicUrl(thumbnailKey),
            ...imageMetadataSet(clean),
          },
          $unset: { processing: 1 },
        },
      ),
  );
  await storage.remove(sourceKey);
  if (!swapped) return { skipped: 'composite gone' };
  return { compositeKey, thumbnailKey };
}
