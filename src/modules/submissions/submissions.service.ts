import type { Config } from '../../config';
import type { Slot } from '../../imaging/compose';
import { slotsMatchHoles } from '../../imaging/slot-detect';
import type { JobQueue } from '../../jobs/job-queue';
import type { AuthUser } from '../../lib/auth-user';
import { AppError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import type { FileStorage } from '../../lib/storage';
import { FRAME_COUNT_RANGES, UserSubmittedFrameModel, type FrameLayout } from '../../models';
import { notifyAdmins } from '../notifications/notifications.service';
import {
  acceptFrameImage,
  assertSlotsInside,
  incomingImage,
  saveAll,
} from '../templates/template-files';
import { consumeUsage, releaseUsage } from '../usage/usage.service';
import { toSubmissionDto, type SubmissionDto, type SubmissionRecord } from './submissions.mapper';
import type { ListOwnSubmissionsQuery, SlotInput, SubmitFrameBody } from './submissions.schemas';

export interface SubmissionDeps {
  config: Readonly<Config>;
  storage: FileStorage;
  jobs: JobQueue;
  logger: Logger;
}

export interface SubmissionUploads {
  frame?: Buffer;
  thumbnail?: Buffer;
}

const { min: MIN_SLOTS, max: MAX_SLOTS } = FRAME_COUNT_RANGES.userSubmittedFrame;

/**
 * Submit a frame for the public library (CONTRACT #46; Pro: one unit of today's frame-upload
 * allowance). The frame is checked as template frames are (an SVG sanitised, a raster image from
 * its header only) and stored privately; the submission stays `processing` until the
 * normalize-submission-frame job has re-encoded a raster frame and found the photo holes in its
 * transparency (the slots when none were sent, else offered back as `suggestedLayoutPositions`
 * when the sent ones miss them). A refused upload leaves nothing behind: no file, no document,
 * no unit used.
 */
export async function submitFrame(
  actor: AuthUser,
  input: SubmitFrameBody,
  uploads: SubmissionUploads,
  deps: SubmissionDeps,
): Promise<SubmissionDto> {
  const { config } = deps;
  const frameBytes = incomingImage('frameUrl', uploads.frame, input.frameUrl, config);
  if (!frameBytes) {
    throw AppError.badRequest('Missing required fields: the frame image', [
      { field: 'frameUrl', message: 'a data URL or a multipart file "frame" is required' },
    ]);
  }
  const thumbBytes = incomingImage('thumbnail', uploads.thumbnail, input.thumbnail, config);
  const frame = await acceptFrameImage('frameUrl', frameBytes, config);
  const thumb = thumbBytes ? await acceptFrameImage('thumbnail', thumbBytes, config) : undefined;
  if (input.layoutPositions) assertSlotsInside(input.layoutPositions, frame);

  const usage = await consumeUsage(actor, 'frameUpload', deps);
  const stored: string[] = [];
  try {
    stored.push(...(await saveAll(deps.storage, thumb ? [frame, thumb] : [frame], 'submissions')));
    const [frameKey, thumbKey] = stored;
    const thumbnailKey = thumbKey ?? frameKey!;
    const slots = input.layoutPositions;
    const created = await UserSubmittedFrameModel.create({
      userId: actor.id,
      name: input.name,
      description: input.description,
      frameUrl: deps.storage.publicUrl(frameKey!),
      thumbnail: deps.storage.publicUrl(thumbnailKey),
      frameKey,
      thumbnailKey,
      // Without slots the job finds them; a frameCount sent with them is what it must find.
      frameCount: input.frameCount,
      layout: input.layout ?? (slots ? layoutOf(slots) : undefined),
      frameSpec: input.frameSpec,
      layoutPositions: slots ?? [],
      canvasWidth: frame.width,
      canvasHeight: frame.height,
      status: 'pending',
      processing: true,
    });
    const submissionId = String(created._id);
    try {
      await deps.jobs.enqueue(
        'normalize-submission-frame',
        { submissionId, frameKey: frameKey! },
        { jobId: `submission-frame-${submissionId}` },
      );
    } catch (error) {
      await UserSubmittedFrameModel.deleteOne({ _id: created._id });
      throw error;
    }
    await notifyAdmins(
      {
        title: 'New frame submission',
        message: `${actor.name} submitted "${input.name}" for review`,
        type: 'template',
        actionUrl: '/admin/frame-approvals',
        data: { submissionId },
      },
      deps.logger,
    );
    return toSubmissionDto(created.toObject<SubmissionRecord>(), deps.storage);
  } catch (error) {
    await deps.storage.remove(...stored);
    await releaseUsage(actor, 'frameUpload', usage.date).catch((releaseError: unknown) =>
      deps.logger.error({ err: releaseError }, 'frame-upload unit not given back'),
    );
    throw error;
  }
}

/**
 * The slots a processed frame gets: the sent ones (kept, with the holes offered back when they
 * miss them), else the holes found in its transparency. A frame without sent slots whose holes
 * cannot be the slots is refused with the reason (AppError 400).
 */
export function settleSlots(
  sent: readonly SlotInput[],
  expectedCount: number | undefined,
  holes: ReadonlyArray<Required<Slot>>,
): { slots: SlotInput[]; suggestion?: SlotInput[] } {
  if (sent.length > 0) {
    const suggestion =
      holes.length >= MIN_SLOTS && holes.length <= MAX_SLOTS && !slotsMatchHoles(sent, holes)
        ? holes.map(plainSlot)
        : undefined;
    return { slots: [...sent], suggestion };
  }
  if (holes.length < MIN_SLOTS || holes.length > MAX_SLOTS) {
    throw AppError.badRequest(
      holes.length === 0
        ? 'Send layoutPositions: the frame has no transparent photo holes to find them from'
        : `The frame has ${holes.length} transparent holes; a frame has ${MIN_SLOTS} to ${MAX_SLOTS} photos`,
      [{ field: 'layoutPositions', message: 'required for this frame' }],
    );
  }
  if (expectedCount !== undefined && expectedCount !== holes.length) {
    throw AppError.badRequest(
      `frameCount is ${expectedCount} but the frame has ${holes.length} transparent photo holes`,
      [{ field: 'frameCount', message: `the frame has ${holes.length} holes` }],
    );
  }
  return { slots: holes.map(plainSlot) };
}

function plainSlot(slot: Required<Slot>): SlotInput {
  return {
    x: slot.x,
    y: slot.y,
    width: slot.width,
    height: slot.height,
    borderRadius: slot.borderRadius,
    rotation: slot.rotation,
  };
}

/** One column → vertical, one row → horizontal, else grid (slots within a few pixels align). */
export function layoutOf(slots: readonly SlotInput[]): FrameLayout {
  if (slots.length <= 1) return 'vertical';
  const near = (values: number[]) => Math.max(...values) - Math.min(...values) <= 4;
  if (near(slots.map((s) => s.x + s.width / 2))) return 'vertical';
  if (near(slots.map((s) => s.y + s.height / 2))) return 'horizontal';
  return 'grid';
}

export interface SubmissionPage {
  data: SubmissionDto[];
  count: number;
  total: number;
  hasMore: boolean;
}

/** The caller's submissions, newest first (CONTRACT #47), with `hasMore` for the next page. */
export async function listOwnSubmissions(
  actor: AuthUser,
  query: ListOwnSubmissionsQuery,
  storage: FileStorage,
): Promise<SubmissionPage> {
  const filter =
    query.status === 'all' ? { userId: actor.id } : { userId: actor.id, status: query.status };
  const [rows, total] = await Promise.all([
    UserSubmittedFrameModel.find(filter)
      .sort({ createdAt: -1, _id: -1 })
      .skip(query.skip)
      .limit(query.limit)
      .lean<SubmissionRecord[]>(),
    UserSubmittedFrameModel.countDocuments(filter),
  ]);
  return {
    data: rows.map((row) => toSubmissionDto(row, storage)),
    count: rows.length,
    total,
    hasMore: query.skip + rows.length < total,
  };
}

/**
 * Withdraws a pending submission (CONTRACT #48) and its files. The delete is conditional on
 * `pending`, so it cannot race an approval: whichever comes first wins.
 */
export async function deleteOwnSubmission(
  actor: AuthUser,
  id: string,
  storage: FileStorage,
): Promise<void> {
  const deleted = await UserSubmittedFrameModel.findOneAndDelete({
    _id: id,
    userId: actor.id,
    status: 'pending',
  }).lean<SubmissionRecord>();
  if (!deleted) {
    const existing = await UserSubmittedFrameModel.findOne({ _id: id, userId: actor.id })
      .select('status')
      .lean();
    if (!existing) throw AppError.notFound('Submission not found');
    throw AppError.badRequest(`Cannot delete ${existing.status} submissions`);
  }
  await storage.remove(deleted.frameKey, deleted.thumbnailKey, deleted.previewKey);
}
