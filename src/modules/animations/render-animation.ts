import { UnrecoverableError } from 'bullmq';
import mongoose from 'mongoose';
import {
  AnimationTooLargeError,
  encodeAnimation,
  playOrder,
  type AnimationResult,
} from '../../imaging/animate';
import { renderCanvas, type RawCanvas, type Slot } from '../../imaging/compose';
import { encodeMp4, findVideoEncoder } from '../../imaging/video';
import type { JobContext } from '../../jobs/job-context';
import { DEFAULT_JOB_OPTIONS } from '../../jobs/queues';
import { ImagingError } from '../../imaging/imaging-errors';
import { AppError } from '../../lib/errors';
import { CapturedPhotoModel, PhotoSessionModel, SessionAnimationModel } from '../../models';
import { withSlotDefaults } from '../../models/schema-helpers';
import { FrameUnavailableError, scaledFrameFor } from '../compositing/frame-files';
import { resolveFrameSource } from '../compositing/frame-source';
import { animationFileKey } from './animations.mapper';

/** How long each capture shows: a GIF lets people look, a boomerang bounces. */
export const FRAME_DELAY_MS = { gif: 500, boomerang: 200 } as const;

type Result = { animationId: string; fileKey: string } | { skipped: string };

/**
 * Renders a session's captures in its frame, one animation frame per capture (every slot shows
 * that capture), at most `ANIMATION_MAX_SIDE` on the long side, in play order, and encodes them
 * within `ANIMATION_MAX_BYTES`. Each capture is composited once even when a boomerang shows it
 * twice. The file key derives from the job id, so a retry rewrites it instead of orphaning it.
 */
export async function renderAnimationJob(
  payload: { animationId: string },
  context: JobContext,
): Promise<Result> {
  if (!mongoose.isValidObjectId(payload.animationId)) {
    throw new UnrecoverableError('render-animation: animationId is required');
  }
  const animation = await SessionAnimationModel.findById(payload.animationId).lean();
  if (!animation) throw new UnrecoverableError('The animation no longer exists');
  if (animation.jobId !== context.jobId) return { skipped: 'a newer attempt was requested' };
  if (animation.status === 'completed' && animation.fileKey) {
    return { animationId: payload.animationId, fileKey: animation.fileKey };
  }
  const { storage, config } = context;
  const format = animation.format;
  const fileKey = animationFileKey(storage, context.jobId, format);
  const setState = (state: Record<string, unknown>) =>
    SessionAnimationModel.updateOne(
      { _id: payload.animationId, jobId: context.jobId },
      { $set: state },
    );
  try {
    await setState({ status: 'active', progress: 5, error: null });
    await context.reportProgress(5);
    const session = await PhotoSessionModel.findOne({
      _id: animation.sessionId,
      userId: animation.userId,
    }).lean();
    if (!session) throw new UnrecoverableError('The session no longer exists');
    const source = await resolveFrameSource(session.userId, session.templateId);
    if (!source) throw new UnrecoverableError('The session has no frame this server can render');
    const captures = await CapturedPhotoModel.find({
      sessionId: animation.sessionId,
      photoKey: mongoose.trusted({ $type: 'string' }),
    })
      .sort({ slot: 1, order: 1, _id: 1 })
      .select('photoKey focus')
      .lean();
    if (captures.length === 0) throw new UnrecoverableError('The session has no photos to animate');

    const { frame, scale } = await scaledFrameFor(
      source,
      storage,
      config,
      config.animation.maxSide,
    );
    const slots = source.layoutPositions.map(withSlotDefaults).map((s) => scaleSlot(s, scale));
    const canvases: RawCanvas[] = [];
    for (const [index, capture] of captures.entries()) {
      const photo = await storage.read(capture.photoKey as string);
      canvases.push(
        await renderCanvas({
          frame,
          slots,
          photos: slots.map(() => photo),
          focus: slots.map(() => capture.focus),
        }),
      );
      const progress = 10 + Math.round((60 * (index + 1)) / captures.length);
      await setState({ progress });
      await context.reportProgress(progress);
    }
    const frames = playOrder(canvases.length, animation.kind).map((i) => canvases[i]!);
    const delayMs = FRAME_DELAY_MS[animation.kind];
    const encoded = await encode(format, frames, delayMs, context);
    await context.reportProgress(90);
    await storage.saveAt(fileKey, encoded.data);

    const done = await setState({
      status: 'completed',
      progress: 100,
      error: null,
      fileKey,
      width: encoded.width,
      height: encoded.height,
      fileSize: encoded.data.length,
      frameCount: encoded.frames,
      frameDelayMs: delayMs,
    });
    if (done.matchedCount === 0) {
      await storage.remove(fileKey);
      return { skipped: 'the animation was removed or re-requested meanwhile' };
    }
    await context.reportProgress(100);
    return { animationId: payload.animationId, fileKey };
  } catch (error) {
    const failure = asJobFailure(error);
    const final =
      failure instanceof UnrecoverableError ||
      context.attemptsMade + 1 >= DEFAULT_JOB_OPTIONS.attempts;
    if (final) {
      await storage.remove(fileKey);
      await setState({
        status: 'failed',
        error:
          failure instanceof UnrecoverableError
            ? failure.message.slice(0, 500)
            : 'The animation could not be rendered; try again',
      });
    }
    throw failure;
  }
}

async function encode(
  format: 'webp' | 'gif' | 'mp4',
  frames: RawCanvas[],
  delayMs: number,
  context: JobContext,
): Promise<AnimationResult> {
  const maxBytes = context.config.animation.maxBytes;
  if (format !== 'mp4') return encodeAnimation({ frames, delayMs, format, maxBytes });
  const ffmpeg = findVideoEncoder(context.config.animation.ffmpegPath);
  if (!ffmpeg) throw new UnrecoverableError('MP4 is not available on this server');
  const video = await encodeMp4(ffmpeg, frames, delayMs);
  if (video.data.length > maxBytes) {
    throw new UnrecoverableError('The video does not fit in the size limit');
  }
  return { ...video, frames: frames.length };
}

function scaleSlot(slot: Slot, scale: number): Slot {
  if (scale === 1) return slot;
  return {
    x: slot.x * scale,
    y: slot.y * scale,
    width: slot.width * scale,
    height: slot.height * scale,
    rotation: slot.rotation,
    borderRadius: slot.borderRadius === undefined ? undefined : slot.borderRadius * scale,
  };
}

function asJobFailure(error: unknown): Error {
  if (error instanceof UnrecoverableError) return error;
  if (error instanceof FrameUnavailableError || error instanceof AnimationTooLargeError) {
    return new UnrecoverableError(error.message);
  }
  if (error instanceof ImagingError || (error instanceof AppError && error.status < 500))
    return new UnrecoverableError(error.message);
  return error instanceof Error ? error : new Error(String(error));
}
