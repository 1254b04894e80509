import mongoose from 'mongoose';
import { AppError } from '../../lib/errors';
import type { FileStorage } from '../../lib/storage';
import type { AuthUser } from '../../lib/auth-user';
import { CompositeLikeModel } from '../../models/composite-like.model';
import { FinalCompositeModel, PhotoModel, PhotoSessionModel } from '../../models';
import type { AnimationDto } from '../animations/animations.mapper';
import { animationsBySession, removeSessionAnimations } from '../animations/animations.service';
import { acceptSessionUpload, type CaptureDeps } from '../photos/photos.service';
import {
  compositeFileKeys,
  isOpenComposite,
  toCompositeDto,
  type CompositeDto,
  type CompositeRecord,
} from './composites.mapper';
import { newestFirstPage, pagination, type Pagination } from '../../lib/pagination';

export type CompositeDeps = CaptureDeps;

export interface UploadCompositeInput {
  sessionId: string;
  templateId?: string;
  image: Buffer;
}

const COMPOSITE_FORMATS = ['png', 'jpeg', 'webp'] as const;

/**
 * The client-rendered composite (CONTRACT #27): checked from its header bytes and stored as it came,
 * privately (it may carry EXIF and GPS); the `normalize-composite` job writes the clean file anyone
 * may see and its thumbnail. It becomes the session's final composite and completes the session.
 */
export async function uploadComposite(
  actor: AuthUser,
  input: UploadCompositeInput,
  deps: CompositeDeps,
): Promise<CompositeDto> {
  const { session, info, stored } = await acceptSessionUpload(
    actor,
    input.sessionId,
    {
      image: input.image,
      formats: COMPOSITE_FORMATS,
      select: 'status templateId capturedPhotos metadata startedAt',
    },
    deps,
  );

  let composite: CompositeRecord;
  try {
    const created = await FinalCompositeModel.create({
      sessionId: input.sessionId,
      userId: actor.id,
      templateId: input.templateId ?? session.templateId,
      compositeUrl: deps.storage.publicUrl(stored.key),
      compositeKey: stored.key,
      processing: true,
      isPublic: false,
      source: 'client',
      metadata: {
        width: info.orientedWidth,
        height: info.orientedHeight,
        fileSize: stored.size,
        format: info.format,
        photosUsed: session.capturedPhotos?.length ?? 0,
        templateName: readTemplateName(session.metadata),
      },
    });
    composite = created.toObject() as CompositeRecord;
  } catch (error) {
    await deps.storage.remove(stored.key);
    throw error;
  }

  try {
    await deps.jobs.enqueue(
      'normalize-composite',
      { compositeId: String(composite._id), compositeKey: stored.key },
      { jobId: `composite-${String(composite._id)}` },
    );
  } catch (error) {
    // Without its job the original (with its metadata) would stay as it came: take it back.
    await FinalCompositeModel.deleteOne({ _id: composite._id });
    await deps.storage.remove(stored.key);
    throw error;
  }
  await completeSession(input.sessionId, String(composite._id), session.startedAt ?? undefined);
  return toCompositeDto(composite, deps.storage);
}

/** Marks the session completed with this composite; a cancelled session stays cancelled. */
export async function completeSession(
  sessionId: string,
  compositeId: string,
  startedAt?: Date,
): Promise<void> {
  const now = new Date();
  const duration = startedAt
    ? Math.max(0, Math.round((now.getTime() - startedAt.getTime()) / 1000))
    : undefined;
  await PhotoSessionModel.updateOne(
    { _id: sessionId, status: mongoose.trusted({ $ne: 'cancelled' }) },
    {
      $set: {
        status: 'completed',
        completedAt: now,
        finalComposite: compositeId,
        ...(duration === undefined ? {} : { 'metadata.duration': duration }),
      },
    },
  );
}

export function readTemplateName(metadata: unknown): string | undefined {
  const name = (metadata as { templateName?: unknown } | null | undefined)?.templateName;
  return typeof name === 'string' && name.length > 0 ? name.slice(0, 200) : undefined;
}

export async function listMyComposites(
  actor: AuthUser,
  query: { page: number; limit: number },
  storage: FileStorage,
): Promise<{
  composites: Array<CompositeDto & { animations: AnimationDto[] }>;
  pagination: Pagination;
}> {
  const filter = { userId: actor.id };
  const [rows, total] = await Promise.all([
    newestFirstPage(FinalCompositeModel.find(filter), query).lean(),
    FinalCompositeModel.countDocuments(filter),
  ]);
  return {
    composites: await withAnimations(rows as CompositeRecord[], storage),
    pagination: pagination(query, total),
  };
}

/** Composite DTOs with the finished animations of their sessions (one query for the page). */
export async function withAnimations(
  rows: CompositeRecord[],
  storage: FileStorage,
): Promise<Array<CompositeDto & { animations: AnimationDto[] }>> {
  const sessionIds = rows.map((row) => row.sessionId).filter((id): id is string => !!id);
  const open = new Set(
    rows.filter((row) => row.sessionId && isOpenComposite(row)).map((row) => row.sessionId!),
  );
  const animations = await animationsBySession(sessionIds, open, storage);
  return rows.map((row) => ({
    ...toCompositeDto(row, storage),
    animations: (row.sessionId && animations.get(row.sessionId)) || [],
  }));
}

/**
 * Deletes an own composite with everything that hangs on it: its files, its likes, the session's
 * link to it and the legacy Photo it was migrated from (so a re-run of the migration does not
 * bring it back).
 */
export async function deleteComposite(
  actor: AuthUser,
  compositeId: string,
  storage: FileStorage,
): Promise<void> {
  const composite = await FinalCompositeModel.findOneAndDelete({
    _id: compositeId,
    userId: actor.id,
  }).lean();
  if (!composite) throw AppError.notFound('Composite not found or unauthorized');
  await Promise.all([
    CompositeLikeModel.deleteMany({ compositeId }),
    composite.sessionId
      ? PhotoSessionModel.updateOne(
          { _id: composite.sessionId, finalComposite: compositeId },
          { $set: { finalComposite: null } },
        )
      : Promise.resolve(),
    composite.legacyPhotoId && mongoose.isValidObjectId(composite.legacyPhotoId)
      ? PhotoModel.deleteOne({ _id: composite.legacyPhotoId, userId: actor.id })
      : Promise.resolve(),
    composite.sessionId
      ? removeSessionAnimations(composite.sessionId, actor.id, storage)
      : Promise.resolve(),
  ]);
  await storage.remove(...compositeFileKeys(storage, composite));
}

export async function updateComposite(
  actor: AuthUser,
  compositeId: string,
  changes: { isPublic?: boolean; shareEnabled?: boolean },
  storage: FileStorage,
): Promise<CompositeDto> {
  const updated = await FinalCompositeModel.findOneAndUpdate(
    { _id: compositeId, userId: actor.id },
    { $set: changes },
    { returnDocument: 'after' },
  ).lean();
  if (!updated) throw AppError.notFound('Composite not found or unauthorized');
  return toCompositeDto(updated as CompositeRecord, storage);
}

/** Is this stored composite file reachable from its plain URL right now? (FileAccess rule) */
export async function isOpenCompositeFile(key: string): Promise<boolean> {
  const found = await FinalCompositeModel.exists({
    $and: [
      { $or: [{ compositeKey: key }, { thumbnailKey: key }] },
      { $or: [{ isPublic: true }, { shareEnabled: true }] },
    ],
  });
  return found !== null;
}
