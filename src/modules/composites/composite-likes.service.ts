import mongoose from 'mongoose';
import { AppError } from '../../lib/errors';
import type { AuthUser } from '../../lib/auth-user';
import { FinalCompositeModel } from '../../models';
import { CompositeLikeModel } from '../../models/composite-like.model';
import { isDuplicateKey } from '../photos/photos.service';

/** A composite the actor may see: own, public, or shared by link. Others' private ones are 404. */
async function findVisible(actor: AuthUser, compositeId: string): Promise<{ likes: number }> {
  const composite = await FinalCompositeModel.findOne({
    _id: compositeId,
    $or: [{ userId: actor.id }, { isPublic: true }, { shareEnabled: true }],
  })
    .select('likes')
    .lean();
  if (!composite) throw AppError.notFound('Composite not found');
  return { likes: composite.likes ?? 0 };
}

/**
 * Likes once per user. The unique (compositeId, userId) index decides which of concurrent likes
 * by one user counts; only the insert that won bumps the count, atomically.
 */
export async function likeComposite(
  actor: AuthUser,
  compositeId: string,
): Promise<{ likes: number; liked: true }> {
  const visible = await findVisible(actor, compositeId);
  try {
    await CompositeLikeModel.create({ compositeId, userId: actor.id });
  } catch (error) {
    if (isDuplicateKey(error)) return { likes: visible.likes, liked: true };
    throw error;
  }
  const updated = await FinalCompositeModel.findOneAndUpdate(
    { _id: compositeId },
    { $inc: { likes: 1 } },
    { returnDocument: 'after' },
  )
    .select('likes')
    .lean();
  if (!updated) {
    // Deleted meanwhile: the like has nothing to count on.
    await CompositeLikeModel.deleteOne({ compositeId, userId: actor.id });
    throw AppError.notFound('Composite not found');
  }
  return { likes: updated.likes ?? 0, liked: true };
}

export async function unlikeComposite(
  actor: AuthUser,
  compositeId: string,
): Promise<{ likes: number; liked: false }> {
  const visible = await findVisible(actor, compositeId);
  const removed = await CompositeLikeModel.deleteOne({ compositeId, userId: actor.id });
  if (removed.deletedCount === 0) return { likes: visible.likes, liked: false };
  const updated = await FinalCompositeModel.findOneAndUpdate(
    { _id: compositeId, likes: mongoose.trusted({ $gt: 0 }) },
    { $inc: { likes: -1 } },
    { returnDocument: 'after' },
  )
    .select('likes')
    .lean();
  return { likes: updated?.likes ?? 0, liked: false };
}

/** Whether the actor likes each of the given composites (Explore's `likedByMe`). */
export async function likedByActor(
  actor: AuthUser | undefined,
  compositeIds: string[],
): Promise<Set<string>> {
  if (!actor || compositeIds.length === 0) return new Set();
  const likes = await CompositeLikeModel.find({
    userId: actor.id,
    compositeId: mongoose.trusted({ $in: compositeIds }),
  })
    .select('compositeId')
    .lean();
  return new Set(likes.map((like) => like.compositeId));
}
