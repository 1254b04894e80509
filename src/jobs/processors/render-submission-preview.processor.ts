import { UnrecoverableError } from 'bullmq';
import { renderTemplatePreview } from '../../imaging/template-images';
import { FileStorage } from '../../lib/storage';
import { UserSubmittedFrameModel } from '../../models';
import type { JobContext } from '../job-context';
import type { JobPayloads } from '../queues';

/** Wide enough to judge a frame, small enough to load fast in the moderation queue. */
const PREVIEW_WIDTH = 900;

/**
 * What the admin sees before approving (issue: every submission gets a preview): the submitted
 * frame rendered with sample photos in its slots, stored privately next to it. The key is derived
 * from the submission and its frame file, so a repeated delivery rewrites the same file; the
 * document is updated only while it still has that frame.
 */
export async function renderSubmissionPreview(
  payload: JobPayloads['render-submission-preview'],
  context: JobContext,
): Promise<{ previewKey?: string; skipped?: string }> {
  const { submissionId } = payload;
  if (!/^[0-9a-f]{24}$/i.test(submissionId ?? '')) {
    throw new UnrecoverableError('render-submission-preview: bad payload');
  }
  const { storage } = context;
  const submission = await UserSubmittedFrameModel.findById(submissionId).lean();
  if (!submission) return { skipped: 'submission gone' };
  const { frameKey, canvasWidth, canvasHeight } = submission;
  if (!frameKey || !FileStorage.isValidKey(frameKey) || !canvasWidth || !canvasHeight) {
    throw new UnrecoverableError('render-submission-preview: the submission has no stored frame');
  }
  const previewKey = storage.derivedKey(
    'submissions',
    `preview:${submissionId}:${frameKey}`,
    'webp',
  );
  if (submission.previewKey === previewKey) return { skipped: 'preview already made' };
  const frame = await storage.read(frameKey).catch(() => {
    throw new UnrecoverableError('render-submission-preview: the frame file is missing');
  });
  let data: Buffer;
  try {
    data = (
      await renderTemplatePreview(
        frame,
        { width: canvasWidth, height: canvasHeight },
        submission.layoutPositions,
        { width: PREVIEW_WIDTH, quality: 85 },
      )
    ).data;
  } catch (error) {
    throw new UnrecoverableError(
      `render-submission-preview: ${error instanceof Error ? error.message : 'render failed'}`,
    );
  }
  await storage.saveAt(previewKey, data);
  const result = await UserSubmittedFrameModel.updateOne(
    { _id: submissionId, frameKey },
    { $set: { previewKey } },
  );
  if (result.matchedCount === 0) {
    await storage.remove(previewKey);
    return { skipped: 'submission changed or deleted meanwhile' };
  }
  return { previewKey };
}
