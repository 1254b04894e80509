import mongoose from 'mongoose';
import type { AuthUser } from '../../lib/auth-user';
import { isDuplicateKey } from '../../lib/error-mapping';
import { AppError } from '../../lib/errors';
import { UserGeneratedFrameModel } from '../../models';
import { toUserFrameDto, type UserFrameDto, type UserFrameRecord } from './user-frames.mapper';

/** A library is shown whole (CONTRACT #42: newest first, at most 100). */
export const FRAME_LIBRARY_LIMIT = 100;

/** The caller's active frames, newest first (#42, #44). */
export async function listUserFrames(actor: AuthUser): Promise<UserFrameDto[]> {
  const frames = await UserGeneratedFrameModel.find({ userId: actor.id, isActive: true })
    .sort({ createdAt: -1, _id: -1 })
    .limit(FRAME_LIBRARY_LIMIT)
    .lean<UserFrameRecord[]>();
  return frames.map(toUserFrameDto);
}

/** One of the caller's own frames (#45); anyone else's, or a deleted one, is not found. */
export async function getUserFrame(actor: AuthUser, id: string): Promise<UserFrameDto> {
  const frame = await UserGeneratedFrameModel.findOne({
    _id: id,
    userId: actor.id,
    isActive: true,
  }).lean<UserFrameRecord>();
  if (!frame) throw AppError.notFound('Frame not found');
  return toUserFrameDto(frame);
}

export interface UserFrameChanges {
  name?: string;
  description?: string;
  isFavorite?: boolean;
}

/** Renames, describes or (un)favourites one of the caller's frames. */
export async function updateUserFrame(
  actor: AuthUser,
  id: string,
  changes: UserFrameChanges,
): Promise<UserFrameDto> {
  try {
    const frame = await UserGeneratedFrameModel.findOneAndUpdate(
      { _id: id, userId: actor.id, isActive: true },
      { $set: changes },
      { returnDocument: 'after', runValidators: true },
    ).lean<UserFrameRecord>();
    if (!frame) throw AppError.notFound('Frame not found');
    return toUserFrameDto(frame);
  } catch (error) {
    if (isDuplicateKey(error)) throw AppError.conflict('You already have a frame with this name');
    throw error;
  }
}

/**
 * Soft delete (#43): the frame leaves the library, its file stays for the sessions and composites
 * made with it. Someone else's frame is not found.
 */
export async function deactivateUserFrame(actor: AuthUser, id: string): Promise<void> {
  const result = await UserGeneratedFrameModel.updateOne(
    { _id: id, userId: actor.id, isActive: true },
    { $set: { isActive: false } },
  );
  if (result.matchedCount === 0) throw AppError.notFound('Frame not found');
}

/** Counts a session made with one of the user's frames (one atomic increment). */
export async function recordUserFrameUse(userId: string, frameId: string): Promise<void> {
  if (!mongoose.isValidObjectId(frameId)) return;
  await UserGeneratedFrameModel.updateOne({ _id: frameId, userId }, { $inc: { usageCount: 1 } });
}
