import { UnrecoverableError } from 'bullmq';
import { imageDimensions } from '../../imaging/dimensions';
import { makeThumbnail } from '../../imaging/thumbnail';
import { renderTemplatePreview } from '../../imaging/template-images';
import { FileStorage } from '../../lib/storage';
import { TemplateModel } from '../../models';
import type { JobContext } from '../job-context';
import type { JobPayloads } from '../queues';

const THUMBNAIL_WIDTH = 480;

/**
 * Makes a template's WebP thumbnail from `sourceKey`: from the frame itself (a preview with
 * placeholder portraits in the slots) or from an uploaded thumbnail (normalised). It only acts
 * while the template still points at that source, and swaps the URL with a conditional update, so
 * a repeated or superseded delivery changes nothing.
 */
export async function renderTemplateThumbnail(
  payload: JobPayloads['render-template-thumbnail'],
  context: JobContext,
): Promise<{ thumbnail?: string; skipped?: string }> {
  const { templateId, sourceKey } = payload;
  if (!/^[0-9a-f]{24}$/i.test(templateId ?? '') || !FileStorage.isValidKey(sourceKey ?? '')) {
    throw new UnrecoverableError('render-template-thumbnail: bad payload');
  }
  const { storage } = context;
  const template = await TemplateModel.findById(templateId).lean();
  if (!template) return { skipped: 'template gone' };
  const sourceUrl = storage.publicUrl(sourceKey);
  if (template.thumbnail !== sourceUrl) return { skipped: 'thumbnail already made or replaced' };

  const source = await storage.read(sourceKey).catch(() => {
    throw new UnrecoverableError('render-template-thumbnail: the source image is missing');
  });
  const fromFrame = template.frameUrl === sourceUrl;
  let data: Buffer;
  try {
    if (fromFrame) {
      const canvas =
        template.canvasWidth && template.canvasHeight
          ? { width: template.canvasWidth, height: template.canvasHeight }
          : await imageDimensions(source);
      data = (
        await renderTemplatePreview(source, canvas, template.layoutPositions, {
          width: THUMBNAIL_WIDTH,
        })
      ).data;
    } else {
      data = (await makeThumbnail(source, { width: THUMBNAIL_WIDTH, format: 'webp' })).data;
    }
  } catch (error) {
    // Stored images were checked on upload; one that still cannot be decoded will never succeed.
    throw new UnrecoverableError(
      `render-template-thumbnail: ${error instanceof Error ? error.message : 'render failed'}`,
    );
  }
  const saved = await storage.save('templates', 'webp', data);
  const thumbnail = storage.publicUrl(saved.key);
  const result = await TemplateModel.updateOne(
    { _id: templateId, thumbnail: sourceUrl },
    { $set: { thumbnail } },
  );
  if (result.modifiedCount === 0) {
    await storage.remove(saved.key);
    return { skipped: 'template changed meanwhile' };
  }
  if (!fromFrame) await storage.remove(sourceKey);
  context.logger.debug({ templateId, thumbnail }, 'template thumbnail rendered');
  return { thumbnail };
}
