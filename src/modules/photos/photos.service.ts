import mongoose from 'mongoose';
import type { Config } from '../../config';
import { decodeDataUrl, inspectImage } from '../../imaging/probe';
import { normalizeCapture } from '../../imaging/capture';
import type { JobQueue } from '../../jobs/job-queue';
import { AppError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import type { FileStorage } from '../../lib/storage';
import type { AuthUser } from '../../lib/auth-user';
import { CapturedPhotoModel, PhotoSessionModel } from '../../models';
import {
  captureThumbnailKey,
  toCaptureDto,
  type CaptureDto,
  type CaptureRecord,
} from './photos.mapper';
import type { CaptureMetadataInput } from './photos.schemas';

export interface CaptureDeps {
  config: Readonly<Config>;
  storage: FileStorage;
  jobs: JobQueue;
  logger: Logger;
}

export interface CaptureInput {
  sessionId: string;
  image: Buffer;
  order: number;
  metadata: CaptureMetadataInput;
}

const CAPTURE_FORMATS = ['jpeg', 'png', 'webp'] as const;
const MAX_SLOT_ATTEMPTS = 20;

export async function uploadCaptureDataUrl(
  actor: AuthUser,
  input: Omit<CaptureInput, 'image'> & { photoUrl: string },
  deps: CaptureDeps,
): Promise<CaptureDto> {
  const image = decodeDataUrl(input.photoUrl, deps.config.files.maxUploadBytes);
  return uploadCapture(
    actor,
    { sessionId: input.sessionId, image, order: input.order, metadata: input.metadata },
    deps,
  );
}

/**
 * Stores one capture in its slot. The slot is `metadata.photoNumber`, else `order`; an earlier
 * photo in that slot is replaced only on `isRetake`. Otherwise a taken slot is never an error: the
 * photo takes the next free slot after it, so the client's repeated orders (1, 1, 2) end up as 1, 2, 3.
 * The image is checked and normalised before anything is written.
 */
export async function uploadCapture(
  actor: AuthUser,
  input: CaptureInput,
  deps: CaptureDeps,
): Promise<CaptureDto> {
  const session = await PhotoSessionModel.findOne({ _id: input.sessionId, userId: actor.id })
    .select('status')
    .lean();
  if (!session) throw AppError.notFound('Session not found');
  if (session.status === 'cancelled') throw AppError.conflict('This session was cancelled');

  const { maxUploadBytes, maxImagePixels } = deps.config.files;
  await inspectImage(input.image, {
    maxBytes: maxUploadBytes,
    maxPixels: maxImagePixels,
    formats: CAPTURE_FORMATS,
  });
  const normalized = await normalizeCapture(input.image, { maxPixels: maxImagePixels });
  const stored = await deps.storage.save('captures', 'jpg', normalized.data);

  const wanted = input.metadata.photoNumber ?? input.order;
  const fields = {
    photoUrl: deps.storage.publicUrl(stored.key),
    photoKey: stored.key,
    thumbnailUrl: null,
    order: input.order,
    metadata: {
      width: normalized.width,
      height: normalized.height,
      fileSize: stored.size,
      format: 'jpeg',
      capturedAt: input.metadata.capturedAt ?? new Date(),
      uploadedAt: input.metadata.uploadedAt,
      photoNumber: input.metadata.photoNumber,
      isRetake: input.metadata.isRetake === true,
      source: input.metadata.source ?? 'camera',
    },
  };

  let capture: CaptureRecord;
  try {
    const replaced = input.metadata.isRetake
      ? await replaceSlot(input.sessionId, wanted, fields, deps.storage)
      : null;
    capture =
      replaced ?? (await insertIntoFreeSlot(actor, input.sessionId, wanted, fields, deps.storage));
  } catch (error) {
    await deps.storage.remove(stored.key);
    throw error;
  }

  const thumbnailJobId = `capture-thumb-${String(capture._id)}-${stored.key.slice(-36, -4)}`;
  await deps.jobs
    .enqueue(
      'make-capture-thumbnail',
      { captureId: String(capture._id), photoKey: stored.key },
      { jobId: thumbnailJobId },
    )
    .catch((error: unknown) =>
      deps.logger.warn(
        { err: error, captureId: String(capture._id) },
        'capture thumbnail not enqueued',
      ),
    );
  return toCaptureDto(capture, deps.storage);
}

type CaptureFields = Record<string, unknown> & { photoKey: string };

async function replaceSlot(
  sessionId: string,
  slot: number,
  fields: CaptureFields,
  storage: FileStorage,
): Promise<CaptureRecord | null> {
  const previous = await CapturedPhotoModel.findOneAndUpdate(
    { sessionId, slot },
    { $set: fields, $unset: { thumbnailKey: 1 } },
    { returnDocument: 'before' },
  ).lean();
  if (!previous) return null;
  await storage.remove(
    previous.photoKey,
    previous.thumbnailKey,
    previous.photoKey ? captureThumbnailKey(storage, previous.photoKey) : undefined,
  );
  return CapturedPhotoModel.findById(previous._id).lean();
}

async function insertIntoFreeSlot(
  actor: AuthUser,
  sessionId: string,
  wanted: number,
  fields: CaptureFields,
  storage: FileStorage,
): Promise<CaptureRecord> {
  let slot = wanted;
  for (let attempt = 0; attempt < MAX_SLOT_ATTEMPTS; attempt += 1) {
    try {
      const created = await CapturedPhotoModel.create({
        ...fields,
        sessionId,
        userId: actor.id,
        slot,
      });
      const capture = created.toObject() as CaptureRecord;
      await linkToSession(sessionId, capture, storage);
      return capture;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      slot = await nextFreeSlot(sessionId, slot);
    }
  }
  throw AppError.conflict('Too many concurrent uploads for this session, try again');
}

async function linkToSession(
  sessionId: string,
  capture: CaptureRecord,
  storage: FileStorage,
): Promise<void> {
  const id = String(capture._id);
  const result = await PhotoSessionModel.updateOne(
    { _id: sessionId, capturedPhotos: mongoose.trusted({ $ne: id }) },
    { $push: { capturedPhotos: id }, $inc: { 'metadata.totalPhotos': 1 } },
  );
  if (result.matchedCount === 0 && !(await PhotoSessionModel.exists({ _id: sessionId }))) {
    // The session was deleted while this photo was being stored: leave nothing behind.
    await CapturedPhotoModel.deleteOne({ _id: capture._id });
    await storage.remove(capture.photoKey);
    throw AppError.notFound('Session not found');
  }
}

async function nextFreeSlot(sessionId: string, after: number): Promise<number> {
  const taken = await CapturedPhotoModel.find({ sessionId }).select('slot').lean();
  const used = new Set(taken.map((c) => c.slot));
  let slot = after + 1;
  while (used.has(slot)) slot += 1;
  return slot;
}

export function isDuplicateKey(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000
  );
}

/** Removes a session's captures and their files (session delete). */
export async function removeSessionCaptures(
  sessionId: string,
  storage: FileStorage,
): Promise<number> {
  const captures = await CapturedPhotoModel.find({ sessionId })
    .select('photoKey thumbnailKey')
    .lean();
  await CapturedPhotoModel.deleteMany({ sessionId });
  await storage.remove(
    ...captures.flatMap((c) => [
      c.photoKey,
      c.thumbnailKey,
      c.photoKey ? captureThumbnailKey(storage, c.photoKey) : undefined,
    ]),
  );
  return captures.length;
}
