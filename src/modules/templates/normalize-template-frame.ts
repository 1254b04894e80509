import { UnrecoverableError } from 'bullmq';
import { ImagingError } from '../../imaging/imaging-errors';
import { FileStorage } from '../../lib/storage';
import { TemplateModel } from '../../models';
import type { JobContext } from '../../jobs/job-context';
import type { JobPayloads } from '../../jobs/queues';
import { finalFrame } from '../../lib/stored-images';
import { renderTemplateThumbnail } from '../../jobs/processors/render-template-thumbnail.processor';

type Result = { frameKey: string; thumbnail?: string } | { skipped: string };

/**
 * Makes an admin-uploaded raster frame (the checked original in `incoming/`) usable: re-encoded
 * upright, without metadata, alpha kept, in the public templates folder; then the template leaves
 * `processing` (so the gallery lists it and sessions may use it) and its thumbnail is rendered.
 * The swap is conditional on the template still pointing at this upload, so a repeated delivery
 * or a newer upload wins. A file that does not decode leaves the template hidden, with the reason
 * for admins (`processingError`), and fails for good.
 */
export async function normalizeTemplateFrameJob(
  payload: JobPayloads['normalize-template-frame'],
  context: JobContext,
): Promise<Result> {
  const { templateId, frameKey: sourceKey } = payload;
  if (!/^[0-9a-f]{24}$/i.test(templateId ?? '') || !FileStorage.isValidKey(sourceKey ?? '')) {
    throw new UnrecoverableError('normalize-template-frame: bad payload');
  }
  const { storage, config } = context;
  const sourceUrl = storage.publicUrl(sourceKey);
  const current = await TemplateModel.findOne({
    _id: templateId,
    processing: true,
    frameUrl: sourceUrl,
  })
    .select('thumbnail')
    .lean();
  if (!current) {
    await removeIfIncoming(storage, sourceKey);
    return { skipped: 'template gone, or its frame replaced' };
  }

  let frame: Awaited<ReturnType<typeof finalFrame>>;
  try {
    frame = await finalFrame(storage, sourceKey, 'templates', config.files.maxImagePixels);
  } catch (error) {
    if (!(error instanceof ImagingError)) throw error;
    // Damage inside a complete file shows only on decoding; a retry would not decode it either.
    await TemplateModel.updateOne(
      { _id: templateId, frameUrl: sourceUrl },
      { $set: { processingError: `The frame image could not be read: ${error.message}` } },
    );
    throw new UnrecoverableError(`normalize-template-frame: ${error.message}`);
  }

  const frameUrl = storage.publicUrl(frame.key);
  // A thumbnail that was the frame itself follows it; an uploaded one stays.
  const thumbnail = current.thumbnail === sourceUrl ? frameUrl : current.thumbnail;
  const swapped = await TemplateModel.findOneAndUpdate(
    { _id: templateId, processing: true, frameUrl: sourceUrl, thumbnail: current.thumbnail },
    {
      $set: { frameUrl, thumbnail, canvasWidth: frame.width, canvasHeight: frame.height },
      $unset: { processing: 1, processingError: 1 },
    },
    { returnDocument: 'after' },
  ).lean();
  if (!swapped) {
    if (frame.written) await storage.remove(frame.key);
    await removeIfIncoming(storage, sourceKey);
    return { skipped: 'template changed meanwhile' };
  }
  await removeIfIncoming(storage, sourceKey);

  const thumbnailKey = swapped.thumbnail ? storage.keyFromUrl(swapped.thumbnail) : undefined;
  if (!thumbnailKey) return { frameKey: frame.key };
  const rendered = await renderTemplateThumbnail({ templateId, sourceKey: thumbnailKey }, context);
  return { frameKey: frame.key, thumbnail: rendered.thumbnail };
}

async function removeIfIncoming(storage: FileStorage, key: string): Promise<void> {
  if (FileStorage.folderOf(key) === 'incoming') await storage.remove(key);
}
