import mongoose from 'mongoose';
import type { Config } from '../../config';
import { EXTENSION_OF, decodeDataUrl, probeImage, type RasterFormat } from '../../imaging/probe';
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

/**
 * The first step of an upload into a session (a capture or a client-rendered composite): the
 * actor's own open session (another user's answers 404, like a missing one: ids of others are not
 * confirmed), the image checked from its header bytes, the original stored privately in
 * `incoming/` for a job to normalise.
 */
export async function acceptSessionUpload(
  actor: AuthUser,
  sessionId: string,
  upload: { image: Buffer; formats: readonly RasterFormat[]; select: string },
  deps: Pick<CaptureDeps, 'config' | 'storage'>,
) {
  const session = await PhotoSessionModel.findOne({ _id: sessionId, userId: actor.id })
    .select(upload.select)
    .lean();
  if (!session) throw AppError.notFound('Session not found');
  if (session.status === 'cancelled') throw AppError.conflict('This session was cancelled');

  const { maxUploadBytes, maxImagePixels } = deps.config.files;
  const info = await probeImage(upload.image, {
    maxBytes: maxUploadBytes,
    maxPixels: maxImagePixels,
    formats: upload.formats,
  });
  const stored = await deps.storage.save('incoming', EXTENSION_OF[info.format], upload.image);
  return { session, info, stored };
}
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
 * The request checks the image from its header bytes only and stores the original privately; the
 * `normalize-capture` job turns it into the upright JPEG without metadata and makes the thumbnail.
 * Until then only the owner (signed URLs) can reach the file.
 */
export async function uploadCapture(
  actor: AuthUser,
  input: CaptureInput,
  deps: CaptureDeps,
): Promise<CaptureDto> {
  const { info, stored } = await acceptSessionUpload(
    actor,
    input.sessionId,
    { image: input.image, formats: CAPTURE_FORMATS, select: 'status' },
    deps,
  );

  const wanted = input.metadata.photoNumber ?? input.order;
  const fields = {
    photoUrl: deps.storage.publicUrl(stored.key),
    photoKey: stored.key,
    thumbnailUrl: null,
    processing: true,
    order: input.order,
    metadata: {
      // As uploaded (upright size); the job records the stored JPEG's figures.
      width: info.orientedWidth,
      height: info.orientedHeight,
      fileSize: stored.size,
      format: info.format,
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

  try {
    await deps.jobs.enqueue(
      'normalize-capture',
      { captureId: String(capture._id), photoKey: stored.key },
      { jobId: `capture-${String(capture._id)}-${stored.key.slice(-36, -4)}` },
    );
  } catch (error) {
    // Without its job the original would stay as it came (with its metadata): take it back.
    await removeCapture(String(capture._id), stored.key, deps.storage);
    throw error;
  }
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

/**
 * Takes back a capture that is still the given upload (not retaken meanwhile): the document, its
 * place in the session and its files. Used when the upload cannot be queued or cannot be decoded.
 */
export async function removeCapture(
  captureId: string,
  photoKey: string,
  storage: FileStorage,
): Promise<boolean> {
  const removed = await CapturedPhotoModel.findOneAndDelete({ _id: captureId, photoKey }).lean();
  if (!removed) return false;
  await PhotoSessionModel.updateOne(
    { _id: removed.sessionId, capturedPhotos: captureId },
    { $pull: { capturedPhotos: captureId }, $inc: { 'metadata.totalPhotos': -1 } },
  );
  await storage.remove(photoKey, removed.thumbnailKey, captureThumbnailKey(storage, photoKey));
  return true;
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
