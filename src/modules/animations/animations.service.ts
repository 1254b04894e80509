import mongoose from 'mongoose';
import type { Config } from '../../config';
import { findVideoEncoder } from '../../imaging/video';
import type { JobQueue } from '../../jobs/job-queue';
import type { AuthUser } from '../../lib/auth-user';
import { AppError } from '../../lib/errors';
import type { FileStorage } from '../../lib/storage';
import {
  CapturedPhotoModel,
  FinalCompositeModel,
  SessionAnimationModel,
  type AnimationFormat,
  type AnimationKind,
} from '../../models';
import { isDuplicateKey } from '../photos/photos.service';
import { resolveFrameSource } from '../compositing/frame-source';
import { findOwnSession } from '../sessions/sessions.service';
import { toAnimationDto, type AnimationDto, type AnimationRecord } from './animations.mapper';

export interface AnimationDeps {
  config: Readonly<Config>;
  jobs: JobQueue;
  storage: FileStorage;
}

export interface AnimationSpec {
  kind: AnimationKind;
  format: AnimationFormat;
}

/**
 * Asks for an animation of the session's captures. Idempotent per session, kind and format: the
 * unique index lets concurrent requests create one document (one job); a finished animation is
 * answered as it is; a failed one is retried under the next job id, claimed conditionally.
 */
export async function requestAnimation(
  actor: AuthUser,
  sessionId: string,
  spec: AnimationSpec,
  deps: AnimationDeps,
): Promise<{ accepted: boolean; animation: AnimationDto }> {
  const session = await findOwnSession(actor, sessionId);
  if (session.status === 'cancelled') throw AppError.conflict('This session was cancelled');
  if (spec.format === 'mp4' && !findVideoEncoder(deps.config.animation.ffmpegPath)) {
    throw new AppError(
      422,
      'FORMAT_UNAVAILABLE',
      'MP4 is not available on this server (no video encoder is installed); ask for webp or gif',
    );
  }
  const open = await compositeIsOpen(sessionId);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const existing = (await SessionAnimationModel.findOne({
      sessionId,
      kind: spec.kind,
      format: spec.format,
    }).lean()) as AnimationRecord | null;
    if (existing?.status === 'completed') {
      return { accepted: false, animation: toAnimationDto(existing, deps.storage, open) };
    }
    if (existing && (existing.status === 'queued' || existing.status === 'active')) {
      const refreshed = await settleLostJob(existing, deps.jobs);
      if (refreshed.status !== 'failed') {
        return { accepted: true, animation: toAnimationDto(refreshed, deps.storage, open) };
      }
      continue;
    }
    if (!existing) await assertRenderable(session.userId, session.templateId, sessionId);

    const base = `animation-${sessionId}-${spec.kind}-${spec.format}`;
    let claimed: AnimationRecord | null;
    if (!existing) {
      try {
        const created = await SessionAnimationModel.create({
          sessionId,
          userId: actor.id,
          kind: spec.kind,
          format: spec.format,
          jobId: base,
          attempt: 1,
        });
        claimed = created.toObject() as AnimationRecord;
      } catch (error) {
        if (isDuplicateKey(error)) continue;
        throw error;
      }
    } else {
      const next = (existing.attempt ?? 1) + 1;
      claimed = (await SessionAnimationModel.findOneAndUpdate(
        { _id: existing._id, status: 'failed', jobId: existing.jobId },
        {
          $set: {
            status: 'queued',
            progress: 0,
            error: null,
            attempt: next,
            jobId: `${base}-${next}`,
          },
        },
        { returnDocument: 'after' },
      ).lean()) as AnimationRecord | null;
      if (!claimed) continue;
    }
    try {
      await deps.jobs.enqueue(
        'render-animation',
        { animationId: String(claimed._id) },
        { jobId: claimed.jobId },
      );
    } catch (error) {
      await SessionAnimationModel.updateOne(
        { _id: claimed._id, jobId: claimed.jobId },
        { $set: { status: 'failed', error: 'The animation could not be queued; try again' } },
      );
      throw error;
    }
    return { accepted: true, animation: toAnimationDto(claimed, deps.storage, open) };
  }
  throw AppError.conflict('The animation is being requested concurrently; try again');
}

export async function getAnimation(
  actor: AuthUser,
  sessionId: string,
  spec: AnimationSpec,
  deps: Pick<AnimationDeps, 'jobs' | 'storage'>,
): Promise<AnimationDto> {
  await findOwnSession(actor, sessionId);
  const animation = (await SessionAnimationModel.findOne({
    sessionId,
    userId: actor.id,
    kind: spec.kind,
    format: spec.format,
  }).lean()) as AnimationRecord | null;
  if (!animation) throw AppError.notFound('No animation of this kind was requested');
  const current =
    animation.status === 'queued' || animation.status === 'active'
      ? await settleLostJob(animation, deps.jobs)
      : animation;
  return toAnimationDto(current, deps.storage, await compositeIsOpen(sessionId));
}

/** A job that BullMQ failed on its own (stalled too often) or lost never reached our handler. */
async function settleLostJob(animation: AnimationRecord, jobs: JobQueue): Promise<AnimationRecord> {
  const state = (await jobs.status('render-animation', animation.jobId))?.state;
  if (state !== undefined && state !== 'failed') return animation;
  const error = 'The animation could not be rendered; try again';
  await SessionAnimationModel.updateOne(
    { _id: animation._id, jobId: animation.jobId, status: animation.status },
    { $set: { status: 'failed', error } },
  );
  return { ...animation, status: 'failed', error };
}

async function assertRenderable(
  userId: string,
  templateId: string,
  sessionId: string,
): Promise<void> {
  if (
    !(await CapturedPhotoModel.exists({
      sessionId,
      photoKey: mongoose.trusted({ $type: 'string' }),
    }))
  ) {
    throw AppError.badRequest('The session has no photos to animate yet');
  }
  if (!(await resolveFrameSource(userId, templateId))) {
    throw AppError.badRequest('The session has no frame this server can render');
  }
}

async function compositeIsOpen(sessionId: string): Promise<boolean> {
  return (
    (await FinalCompositeModel.exists({
      sessionId,
      $or: [{ isPublic: true }, { shareEnabled: true }],
    })) !== null
  );
}

/**
 * The finished animations of these sessions, grouped by session, for gallery pages and share
 * views (one query per page). `openSessions` get plain URLs, the rest signed ones.
 */
export async function animationsBySession(
  sessionIds: string[],
  openSessions: ReadonlySet<string>,
  storage: FileStorage,
): Promise<Map<string, AnimationDto[]>> {
  const grouped = new Map<string, AnimationDto[]>();
  if (sessionIds.length === 0) return grouped;
  const rows = (await SessionAnimationModel.find({
    sessionId: mongoose.trusted({ $in: sessionIds }),
    status: 'completed',
  })
    .sort({ createdAt: 1, _id: 1 })
    .lean()) as AnimationRecord[];
  for (const row of rows) {
    const list = grouped.get(row.sessionId) ?? [];
    list.push(toAnimationDto(row, storage, openSessions.has(row.sessionId)));
    grouped.set(row.sessionId, list);
  }
  return grouped;
}

/** Removes a session's animations and their files (the composite they belong to was deleted). */
export async function removeSessionAnimations(
  sessionId: string,
  userId: string,
  storage: FileStorage,
): Promise<void> {
  const rows = await SessionAnimationModel.find({ sessionId, userId }).select('fileKey').lean();
  if (rows.length === 0) return;
  await SessionAnimationModel.deleteMany({
    _id: mongoose.trusted({ $in: rows.map((r) => r._id) }),
  });
  await storage.remove(...rows.map((r) => r.fileKey));
}

/** FileAccess rule: an animation is served from its plain URL while its composite is open. */
export async function isOpenAnimationFile(key: string): Promise<boolean> {
  const animation = await SessionAnimationModel.findOne({ fileKey: key, status: 'completed' })
    .select('sessionId')
    .lean();
  return animation ? compositeIsOpen(animation.sessionId) : false;
}
