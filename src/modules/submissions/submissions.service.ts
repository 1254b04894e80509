import type { Config } from '../../config';
import type { Slot } from '../../imaging/compose';
import { detectSlots, slotsMatchHoles } from '../../imaging/slot-detect';
import type { JobQueue } from '../../jobs/job-queue';
import type { AuthUser } from '../../lib/auth-user';
import { AppError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import type { FileStorage } from '../../lib/storage';
import { FRAME_COUNT_RANGES, UserSubmittedFrameModel, type FrameLayout } from '../../models';
import { notifyAdmins } from '../notifications/notifications.service';
import {
  assertSlotsInside,
  checkTemplateImage,
  incomingImage,
  type CheckedImage,
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
 * allowance). The frame is checked and sanitised as template frames are; its photo holes are found
 * in its transparency and used when no slots were sent, or offered back as
 * `suggestedLayoutPositions` when the sent slots miss them. Files stay private until approval.
 * A refused upload leaves nothing behind: no file, no document, no unit used.
 */
export async function submitFrame(
  actor: AuthUser,
  input: SubmitFrameBody,
  uploads: SubmissionUploads,
  deps: SubmissionDeps,
): Promise<{ submission: SubmissionDto; corrected: boolean }> {
  const { config } = deps;
  const frameBytes = incomingImage('frameUrl', uploads.frame, input.frameUrl, config);
  if (!frameBytes) {
    throw AppError.badRequest('Missing required fields: the frame image', [
      { field: 'frameUrl', message: 'a data URL or a multipart file "frame" is required' },
    ]);
  }
  const thumbBytes = incomingImage('thumbnail', uploads.thumbnail, input.thumbnail, config);
  const usage = await consumeUsage(actor, 'frameUpload', deps);
  const stored: string[] = [];
  try {
    const frame = await checkTemplateImage('frameUrl', frameBytes, config);
    const thumb = thumbBytes
      ? await checkTemplateImage('thumbnail', thumbBytes, config)
      : undefined;
    const holes = (await detectSlots(frame.data, config.files.maxImagePixels)).slots;
    const slots = chooseSlots(input, holes, frame);
    const suggestion =
      input.layoutPositions && holes.length >= MIN_SLOTS && holes.length <= MAX_SLOTS
        ? slotsMatchHoles(input.layoutPositions, holes)
          ? undefined
          : holes
        : undefined;

    const frameKey = await save(deps.storage, frame, stored);
    const thumbnailKey = thumb ? await save(deps.storage, thumb, stored) : frameKey;
    const created = await UserSubmittedFrameModel.create({
      userId: actor.id,
      name: input.name,
      description: input.description,
      frameUrl: deps.storage.publicUrl(frameKey),
      thumbnail: deps.storage.publicUrl(thumbnailKey),
      frameKey,
      thumbnailKey,
      frameCount: slots.length,
      layout: input.layout ?? layoutOf(slots),
      frameSpec: input.frameSpec,
      layoutPositions: slots,
      suggestedLayoutPositions: suggestion?.map(plainSlot),
      canvasWidth: frame.width,
      canvasHeight: frame.height,
      status: 'pending',
    });
    const submissionId = String(created._id);
    try {
      await deps.jobs.enqueue(
        'render-submission-preview',
        { submissionId },
        { jobId: `submission-preview-${submissionId}` },
      );
    } catch (error) {
      await UserSubmittedFrameModel.deleteOne({ _id: created._id });
      throw error;
    }
    await notifyAdmins(
      {
        title: 'New frame submission',
        message: `${actor.name} submitted "${input.name}" (${slots.length} photos) for review`,
        type: 'template',
        actionUrl: '/admin/frame-approvals',
        data: { submissionId },
      },
      deps.logger,
    );
    return {
      submission: toSubmissionDto(created.toObject<SubmissionRecord>(), deps.storage),
      corrected: suggestion !== undefined,
    };
  } catch (error) {
    await deps.storage.remove(...stored);
    await releaseUsage(actor, 'frameUpload', usage.date).catch((releaseError: unknown) =>
      deps.logger.error({ err: releaseError }, 'frame-upload unit not given back'),
    );
    throw error;
  }
}

async function save(storage: FileStorage, image: CheckedImage, stored: string[]): Promise<string> {
  const { key } = await storage.save('submissions', image.extension, image.data);
  stored.push(key);
  return key;
}

/** The sent slots (which must lie inside the frame), else the holes found in it. */
function chooseSlots(
  input: SubmitFrameBody,
  holes: ReadonlyArray<Required<Slot>>,
  canvas: { width: number; height: number },
): SlotInput[] {
  if (input.layoutPositions) {
    assertSlotsInside(input.layoutPositions, canvas);
    return input.layoutPositions;
  }
  if (holes.length < MIN_SLOTS || holes.length > MAX_SLOTS) {
    throw AppError.badRequest(
      holes.length === 0
        ? 'Send layoutPositions: the frame has no transparent photo holes to find them from'
        : `The frame has ${holes.length} transparent holes; a frame has ${MIN_SLOTS} to ${MAX_SLOTS} photos`,
      [{ field: 'layoutPositions', message: 'required for this frame' }],
    );
  }
  if (input.frameCount !== undefined && input.frameCount !== holes.length) {
    throw AppError.badRequest(
      `frameCount is ${input.frameCount} but the frame has ${holes.length} transparent photo holes`,
      [{ field: 'frameCount', message: `the frame has ${holes.length} holes` }],
    );
  }
  return holes.map(plainSlot);
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
