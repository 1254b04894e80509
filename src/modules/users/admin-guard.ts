import mongoose, { type ClientSession, type Types, type UpdateQuery } from 'mongoose';
import { AppError } from '../../lib/errors';
import { UserModel, type User } from '../../models/user.model';

type LeanUser = User & { _id: Types.ObjectId };

export type AdminRemoval = 'demote' | 'block' | 'delete' | 'deactivate';

const VERB: Record<AdminRemoval, string> = {
  demote: 'demote',
  block: 'block',
  delete: 'delete',
  deactivate: 'deactivate',
};

/**
 * Applies `update` to an account in a transaction that keeps at least one active admin. When the
 * change takes an admin away, the transaction also writes every other active admin: two admins
 * demoting each other at once then touch the same documents, MongoDB reports a write conflict,
 * the loser retries, sees that it would remove the last admin and is refused (no write skew).
 * `actorId` is refused as target for admin actions: an admin cannot demote, block or delete themself.
 */
export async function updateKeepingAnAdmin(
  targetId: string,
  update: UpdateQuery<User>,
  options: {
    removal: AdminRemoval;
    removesAdmin: (target: { role?: string | null; isActive?: boolean | null }) => boolean;
    actorId?: string;
    filter?: Record<string, unknown>;
    /** Runs in the same transaction after the update (e.g. the audit entry of an admin decision). */
    onApplied?: (
      change: { before: LeanUser; after: LeanUser },
      session: ClientSession,
    ) => Promise<void>;
  },
) {
  return mongoose.connection.transaction(async (session: ClientSession) => {
    const target = await UserModel.findOne({ _id: targetId, isDeleted: false, ...options.filter })
      .session(session)
      .lean();
    if (!target) throw AppError.notFound('User not found');
    if (target.role === 'admin' && options.removesAdmin(target)) {
      if (options.actorId === String(target._id))
        throw AppError.badRequest(`You cannot ${VERB[options.removal]} your own account`);
      await touchOtherAdmins(target._id, session, options.removal);
    }
    const updated = await UserModel.findOneAndUpdate(
      { _id: target._id, isDeleted: false },
      update,
      { returnDocument: 'after', session },
    ).lean();
    if (!updated) throw AppError.notFound('User not found');
    await options.onApplied?.({ before: target, after: updated }, session);
    return updated;
  });
}

async function touchOtherAdmins(
  targetId: Types.ObjectId,
  session: ClientSession,
  removal: AdminRemoval,
): Promise<void> {
  const others = await UserModel.find({
    role: 'admin',
    isActive: true,
    isDeleted: false,
    _id: mongoose.trusted({ $ne: targetId }),
  })
    .select('_id')
    .session(session)
    .lean();
  if (others.length === 0) throw AppError.conflict(`Cannot ${VERB[removal]} the last admin`);
  const touched = await UserModel.updateMany(
    {
      _id: mongoose.trusted({ $in: others.map((o) => o._id) }),
      role: 'admin',
      isActive: true,
      isDeleted: false,
    },
    { $set: { updatedAt: new Date() } },
    { session, timestamps: false },
  );
  if (touched.matchedCount !== others.length)
    throw AppError.conflict('Admin accounts changed meanwhile, try again');
}
