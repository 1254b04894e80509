import mongoose from 'mongoose';
import type { JobQueue } from '../../jobs/job-queue';
import { AppError } from '../../lib/errors';
import type { FileStorage } from '../../lib/storage';
import { ImagingError } from '../../imaging/imaging-errors';
import { EXTENSION_OF, probeImage } from '../../imaging/probe';
import type { AuthUser } from '../../lib/auth-user';
import { UserModel } from '../../models/user.model';

export const PROFILE_PICTURE_MAX_BYTES = 5 * 1024 * 1024;
const FORMATS = ['jpeg', 'png', 'webp', 'gif'] as const;

export interface PictureDeps {
  storage: FileStorage;
  jobs: JobQueue;
  maxImagePixels: number;
}

/**
 * The client shows the returned URL at once, so the checked original is kept privately (it may
 * still carry EXIF/GPS) and answered as a signed, expiring URL; the `process-profile-picture` job
 * replaces it with the public 400×400 JPEG without metadata and removes the original and the
 * previous picture. The request path only validates; no resizing runs here.
 */
export async function uploadProfilePicture(
  actor: AuthUser,
  file: Buffer | undefined,
  deps: PictureDeps,
): Promise<string> {
  if (!file)
    throw AppError.badRequest('No file uploaded. Send the image in the "profilePicture" field');
  const info = await probeImage(file, {
    maxBytes: PROFILE_PICTURE_MAX_BYTES,
    maxPixels: deps.maxImagePixels,
    formats: FORMATS,
  }).catch((error: unknown) => {
    // CONTRACT #10: a file that is not an image (or not an accepted type) is a 400.
    if (error instanceof ImagingError && error.fault === 'unsupported')
      throw AppError.badRequest(error.message);
    throw error;
  });
  const stored = await deps.storage.save('incoming', EXTENSION_OF[info.format], file);
  const url = deps.storage.signedUrl(stored.key);
  const before = await UserModel.findOneAndUpdate(
    { _id: actor.id, isDeleted: false },
    { $set: { profilePicture: url } },
    { returnDocument: 'before' },
  ).lean();
  if (!before) {
    await deps.storage.remove(stored.key);
    throw AppError.notFound('User not found');
  }
  const previousKey = before.profilePicture
    ? deps.storage.keyFromUrl(before.profilePicture)
    : undefined;
  try {
    await deps.jobs.enqueue('process-profile-picture', {
      userId: actor.id,
      sourceKey: stored.key,
      ...(previousKey ? { previousKey } : {}),
    });
  } catch (error) {
    // Without the job the picture would stay unprocessed: undo, so the request leaves nothing behind.
    await UserModel.updateOne(
      { _id: actor.id, profilePicture: url },
      { $set: { profilePicture: before.profilePicture ?? '' } },
    );
    await deps.storage.remove(stored.key);
    throw error;
  }
  return url;
}

export async function deleteProfilePicture(actor: AuthUser, deps: PictureDeps): Promise<void> {
  const before = await UserModel.findOneAndUpdate(
    { _id: actor.id, isDeleted: false, profilePicture: mongoose.trusted({ $nin: [null, ''] }) },
    { $set: { profilePicture: '' } },
    { returnDocument: 'before' },
  ).lean();
  if (!before) {
    if (await UserModel.exists({ _id: actor.id, isDeleted: false }))
      throw AppError.badRequest('No profile picture to delete');
    throw AppError.notFound('User not found');
  }
  const key = before.profilePicture ? deps.storage.keyFromUrl(before.profilePicture) : undefined;
  if (key) await deps.jobs.enqueue('remove-files', { keys: [key] });
}
