import { UnrecoverableError } from 'bullmq';
import mongoose from 'mongoose';
import { makeAvatar } from '../../imaging/avatar';
import { FileStorage } from '../../lib/storage';
import { UserModel } from '../../models/user.model';
import type { JobContext } from '../job-context';
import type { JobPayloads } from '../queues';

/**
 * Replaces a freshly uploaded profile picture by its 400×400 JPEG. The swap is conditional (the
 * user still shows this upload), so a newer upload or a delete in the meantime wins, and a second
 * delivery finds nothing to do. The original and the previous picture are removed either way.
 */
export async function processProfilePicture(
  payload: JobPayloads['process-profile-picture'],
  context: JobContext,
): Promise<{ profilePicture?: string; skipped?: string }> {
  const { userId, sourceKey, previousKey } = payload;
  if (
    !mongoose.isValidObjectId(userId) ||
    !FileStorage.isValidKey(sourceKey) ||
    (previousKey !== undefined && !FileStorage.isValidKey(previousKey))
  ) {
    throw new UnrecoverableError('process-profile-picture: invalid payload');
  }
  const { storage } = context;
  // The user shows the upload through a signed URL whose expiry may differ from one we would
  // build now, so the upload is recognised by its key.
  const user = await UserModel.findById(userId).select('profilePicture').lean();
  const sourceUrl = user?.profilePicture ?? '';
  if (!user || storage.keyFromUrl(sourceUrl) !== sourceKey) {
    await storage.remove(sourceKey, previousKey);
    return { skipped: 'the upload is no longer the profile picture' };
  }

  let avatar: Buffer;
  try {
    avatar = await makeAvatar(await storage.read(sourceKey), {
      maxInputPixels: context.config.files.maxImagePixels,
    });
  } catch (error) {
    // The upload was checked on arrival; if it cannot be decoded now, retrying will not help.
    throw new UnrecoverableError(
      `process-profile-picture: cannot decode the upload (${error instanceof Error ? error.message : 'unknown'})`,
    );
  }
  const saved = await storage.save('profiles', 'jpg', avatar);
  const profilePicture = storage.publicUrl(saved.key);
  const swapped = await UserModel.updateOne(
    { _id: userId, profilePicture: sourceUrl },
    { $set: { profilePicture } },
  );
  if (swapped.modifiedCount === 0) {
    await storage.remove(saved.key, sourceKey, previousKey);
    return { skipped: 'superseded while processing' };
  }
  await storage.remove(sourceKey, previousKey);
  return { profilePicture };
}
