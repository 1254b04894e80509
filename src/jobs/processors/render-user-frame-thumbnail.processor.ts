import { UnrecoverableError } from 'bullmq';
import { renderTemplatePreview } from '../../imaging/template-images';
import { FileStorage } from '../../lib/storage';
import { UserGeneratedFrameModel } from '../../models';
import type { JobContext } from '../job-context';
import type { JobPayloads } from '../queues';

const THUMBNAIL_WIDTH = 480;

/**
 * The WebP preview of a saved AI frame (placeholder portraits in its holes). It acts only while
 * the frame's thumbnail is still the frame file itself, and swaps the URL with a conditional
 * update; its key is derived from the frame, so a repeated delivery rewrites the same file.
 */
export async function renderUserFrameThumbnail(
  payload: JobPayloads['render-user-frame-thumbnail'],
  context: JobContext,
): Promise<{ thumbnail?: string; skipped?: string }> {
  const { frameId, sourceKey } = payload;
  if (!/^[0-9a-f]{24}$/i.test(frameId ?? '') || !FileStorage.isValidKey(sourceKey ?? '')) {
    throw new UnrecoverableError('render-user-frame-thumbnail: bad payload');
  }
  const { storage } = context;
  const frame = await UserGeneratedFrameModel.findById(frameId).lean();
  if (!frame) return { skipped: 'frame gone' };
  const sourceUrl = storage.publicUrl(sourceKey);
  if (frame.thumbnail !== sourceUrl || frame.frameUrl !== sourceUrl) {
    return { skipped: 'thumbnail already made' };
  }
  if (!frame.canvasWidth || !frame.canvasHeight) {
    throw new UnrecoverableError('render-user-frame-thumbnail: the frame has no canvas size');
  }
  const source = await storage.read(sourceKey).catch(() => {
    throw new UnrecoverableError('render-user-frame-thumbnail: the frame file is missing');
  });
  let data: Buffer;
  try {
    data = (
      await renderTemplatePreview(
        source,
        { width: frame.canvasWidth, height: frame.canvasHeight },
        frame.layoutPositions,
        { width: THUMBNAIL_WIDTH },
      )
    ).data;
  } catch (error) {
    // The SVG was sanitised on save; one that still cannot be drawn never will be.
    throw new UnrecoverableError(
      `render-user-frame-thumbnail: ${error instanceof Error ? error.message : 'render failed'}`,
    );
  }
  const key = storage.derivedKey('frames', `thumbnail:${frameId}:${sourceKey}`, 'webp');
  await storage.saveAt(key, data);
  const thumbnail = storage.publicUrl(key);
  const result = await UserGeneratedFrameModel.updateOne(
    { _id: frameId, thumbnail: sourceUrl },
    { $set: { thumbnail } },
  );
  if (result.modifiedCount === 0) {
    const current = await UserGeneratedFrameModel.findById(frameId).select('thumbnail').lean();
    if (current?.thumbnail !== thumbnail) await storage.remove(key);
    return { skipped: 'frame changed meanwhile' };
  }
  return { thumbnail };
}
