import { UnrecoverableError } from 'bullmq';
import { ImagingError } from '../../imaging/imaging-errors';
import { detectSlots } from '../../imaging/slot-detect';
import { AppError } from '../../lib/errors';
import { FileStorage } from '../../lib/storage';
import { UserSubmittedFrameModel } from '../../models';
import { notifyUser } from '../notifications/notifications.service';
import { layoutOf, settleSlots } from './submissions.service';
import { businessDay, releaseUsageOf } from '../usage/usage.service';
import type { JobContext } from '../../jobs/job-context';
import type { JobPayloads } from '../../jobs/queues';
import { finalFrame, type FinalFrame } from '../../lib/stored-images';
import { renderSubmissionPreview } from '../../jobs/processors/render-submission-preview.processor';

type Result = { frameKey: string; frameCount: number } | { skipped: string } | { refused: string };

/**
 * Makes a submitted frame reviewable: a raster original in `incoming/` is re-encoded (upright, no
 * metadata, alpha kept) into the private submissions folder, as is an uploaded raster thumbnail;
 * the photo holes are found in the frame's transparency (the slots when none were sent, else a
 * suggestion when the sent ones miss them); the submission leaves `processing` and its preview is
 * rendered. The swap is conditional on the submission still holding this upload. A frame that
 * does not decode, or has no usable holes and no sent slots, is taken back whole (document,
 * files, the day's upload unit) and the submitter is told why.
 */
export async function normalizeSubmissionFrameJob(
  payload: JobPayloads['normalize-submission-frame'],
  context: JobContext,
): Promise<Result> {
  const { submissionId, frameKey: sourceKey } = payload;
  if (!/^[0-9a-f]{24}$/i.test(submissionId ?? '') || !FileStorage.isValidKey(sourceKey ?? '')) {
    throw new UnrecoverableError('normalize-submission-frame: bad payload');
  }
  const { storage, config } = context;
  const maxPixels = config.files.maxImagePixels;
  const submission = await UserSubmittedFrameModel.findOne({
    _id: submissionId,
    frameKey: sourceKey,
    processing: true,
  }).lean();
  if (!submission) return { skipped: 'submission gone or already processed' };
  const thumbSource =
    submission.thumbnailKey && submission.thumbnailKey !== sourceKey
      ? submission.thumbnailKey
      : undefined;

  const written: FinalFrame[] = [];
  let frame: FinalFrame;
  let thumb: FinalFrame | undefined;
  let settled: ReturnType<typeof settleSlots>;
  try {
    frame = await finalFrame(storage, sourceKey, 'submissions', maxPixels);
    written.push(frame);
    if (thumbSource) {
      thumb = await finalFrame(storage, thumbSource, 'submissions', maxPixels);
      written.push(thumb);
    }
    const holes = (await detectSlots(frame.data, maxPixels)).slots;
    settled = settleSlots(submission.layoutPositions, submission.frameCount ?? undefined, holes);
  } catch (error) {
    if (!(error instanceof ImagingError) && !(error instanceof AppError)) throw error;
    await storage.remove(...written.filter((f) => f.written).map((f) => f.key));
    await takeBack(submissionId, error.message, context);
    if (error instanceof ImagingError)
      throw new UnrecoverableError(`normalize-submission-frame: ${error.message}`);
    return { refused: error.message };
  }

  const frameKey = frame.key;
  const thumbnailKey = thumb?.key ?? frameKey;
  const result = await UserSubmittedFrameModel.updateOne(
    { _id: submissionId, frameKey: sourceKey, processing: true },
    {
      $set: {
        frameKey,
        frameUrl: storage.publicUrl(frameKey),
        thumbnailKey,
        thumbnail: storage.publicUrl(thumbnailKey),
        canvasWidth: frame.width,
        canvasHeight: frame.height,
        frameCount: settled.slots.length,
        layoutPositions: settled.slots,
        layout: submission.layout ?? layoutOf(settled.slots),
        ...(settled.suggestion ? { suggestedLayoutPositions: settled.suggestion } : {}),
      },
      $unset: { processing: 1 },
    },
  );
  if (result.matchedCount === 0) {
    await storage.remove(...written.filter((f) => f.written).map((f) => f.key));
    return { skipped: 'submission changed meanwhile' };
  }
  await storage.remove(
    ...[sourceKey, thumbSource].filter(
      (key): key is string => !!key && FileStorage.folderOf(key) === 'incoming',
    ),
  );
  await renderSubmissionPreview({ submissionId }, context);
  return { frameKey, frameCount: settled.slots.length };
}

/** The upload cannot become a submission: nothing of it stays, and its unit is given back. */
async function takeBack(submissionId: string, reason: string, context: JobContext): Promise<void> {
  const removed = await UserSubmittedFrameModel.findOneAndDelete({
    _id: submissionId,
    processing: true,
  }).lean();
  if (!removed) return;
  await context.storage.remove(
    ...[removed.frameKey, removed.thumbnailKey].filter((key): key is string => !!key),
  );
  await releaseUsageOf(removed.userId, 'frameUpload', businessDay(removed.createdAt ?? new Date()));
  await notifyUser(removed.userId, {
    title: 'Your frame could not be submitted',
    message: `"${removed.name}" was not submitted: ${reason}`,
    type: 'template',
    actionUrl: '/user/frame-submission',
    data: { reason },
  });
}
