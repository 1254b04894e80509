import mongoose, { type ClientSession } from 'mongoose';
import { AppError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import type { FileStorage } from '../../lib/storage';
import type { AuthUser } from '../../lib/auth-user';
import { AnalyticsEventModel } from '../../models/analytics-event.model';
import { FinalCompositeModel } from '../../models/final-composite.model';
import { PhotoSessionModel } from '../../models/photo-session.model';
import { UserModel } from '../../models/user.model';
import { recordAudit } from '../audit/audit.service';
import { revokeAllRefreshTokens } from '../auth/refresh-tokens.service';
import { notifyUser } from '../notifications/notifications.service';
import { softDeleteUser } from './account.service';
import { updateKeepingAnAdmin } from './admin-guard';
import { extendPremium } from './profile.service';
import { applyFreeToUsage, applyProToUsage, type UsageDeps } from '../usage/usage.service';
import { toUserDto, type UserDto } from './users.mapper';
import type { UserListQuery } from './users.schemas';

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Admin list (#66): not deleted, newest first, searchable by name or e-mail. */
export async function listUsers(query: UserListQuery) {
  const skip = query.skip ?? (query.page ? (query.page - 1) * query.limit : 0);
  const and: Record<string, unknown>[] = [{ isDeleted: false }];
  if (query.search) {
    // The search text is matched literally: regex metacharacters are escaped.
    const pattern = mongoose.trusted({ $regex: escapeRegex(query.search), $options: 'i' });
    and.push({ $or: [{ name: pattern }, { email: pattern }] });
  }
  if (query.role) and.push({ role: query.role });
  if (query.isActive !== undefined) and.push({ isActive: query.isActive });
  if (query.isPremium !== undefined) {
    // Premium means an unexpired Pro (CONTRACT §19.14), whatever the stored flag says.
    const active = {
      isPremium: true,
      $or: [
        { premiumExpiresAt: null },
        { premiumExpiresAt: mongoose.trusted({ $gt: new Date() }) },
      ],
    };
    and.push(query.isPremium ? active : { $nor: [active] });
  }
  const filter = { $and: and };
  const [users, total] = await Promise.all([
    UserModel.find(filter).sort({ createdAt: -1, _id: -1 }).skip(skip).limit(query.limit).lean(),
    UserModel.countDocuments(filter),
  ]);
  return {
    users: users.map((user) => toUserDto(user)),
    total,
    limit: query.limit,
    skip,
    pagination: {
      total,
      limit: query.limit,
      skip,
      page: Math.floor(skip / query.limit) + 1,
      hasMore: skip + users.length < total,
    },
  };
}

async function findUser(userId: string) {
  const user = await UserModel.findOne({ _id: userId, isDeleted: false }).lean();
  if (!user) throw AppError.notFound('User not found');
  return user;
}

/** Private files (composites) are handed to admins as signed URLs. */
function viewableUrl(storage: FileStorage, url: string | null | undefined): string | null {
  if (!url) return null;
  const key = storage.keyFromUrl(url);
  return key ? storage.signedUrl(key) : url;
}

/** Detail (#67, §19.7): the user's fields at the top level and under `user`, for both readers. */
export async function getUserDetail(userId: string, storage: FileStorage) {
  const user = toUserDto(await findUser(userId));
  const [totalSessions, totalComposites, totals, totalEvents, sessions, composites] =
    await Promise.all([
      PhotoSessionModel.countDocuments({ userId }),
      FinalCompositeModel.countDocuments({ userId }),
      FinalCompositeModel.aggregate<{ views: number; likes: number }>([
        { $match: { userId } },
        { $group: { _id: null, views: { $sum: '$views' }, likes: { $sum: '$likes' } } },
      ]),
      AnalyticsEventModel.countDocuments({ userId }),
      PhotoSessionModel.find({ userId }).sort({ createdAt: -1 }).limit(5).lean(),
      FinalCompositeModel.find({ userId }).sort({ createdAt: -1 }).limit(5).lean(),
    ]);
  const statistics = {
    totalSessions,
    totalComposites,
    totalViews: totals[0]?.views ?? 0,
    totalLikes: totals[0]?.likes ?? 0,
    totalEvents,
  };
  const recentSessions = sessions.map((s) => ({
    _id: String(s._id),
    sessionName: s.sessionName,
    status: s.status,
    templateId: s.templateId,
    startedAt: s.startedAt ?? null,
    completedAt: s.completedAt ?? null,
  }));
  const recentComposites = composites.map((c) => ({
    _id: String(c._id),
    templateId: c.templateId,
    compositeUrl: viewableUrl(storage, c.compositeUrl),
    thumbnailUrl: viewableUrl(storage, c.thumbnailUrl),
    isPublic: Boolean(c.isPublic),
    likes: c.likes ?? 0,
    views: c.views ?? 0,
    createdAt: c.createdAt,
  }));
  return { ...user, user, statistics, recentSessions, recentComposites };
}

/** The audit entry of an account decision, written in the decision's own transaction. */
function auditUserChange(
  actor: AuthUser,
  action: 'user.role' | 'user.block' | 'user.unblock' | 'user.delete',
  pick: (user: {
    role?: string | null;
    isActive?: boolean | null;
    deletedAt?: Date | null;
  }) => Record<string, unknown>,
) {
  return async (
    change: {
      before: Parameters<typeof pick>[0] & { _id: unknown };
      after: Parameters<typeof pick>[0];
    },
    session: ClientSession,
  ) => {
    const userId = String(change.before._id);
    await recordAudit(
      actor,
      {
        action,
        targetType: 'user',
        targetId: userId,
        subjectUserId: userId,
        before: pick(change.before),
        after: pick(change.after),
      },
      session,
    );
  };
}

export async function changeUserRole(
  actor: AuthUser,
  userId: string,
  role: 'user' | 'admin',
): Promise<UserDto> {
  const user = await updateKeepingAnAdmin(
    userId,
    { $set: { role }, $inc: { tokenVersion: 1 } },
    {
      removal: 'demote',
      removesAdmin: () => role !== 'admin',
      actorId: actor.id,
      onApplied: auditUserChange(actor, 'user.role', (u) => ({ role: u.role })),
    },
  );
  return toUserDto(user);
}

export async function setUserActive(
  actor: AuthUser,
  userId: string,
  isActive: boolean,
): Promise<UserDto> {
  const update = isActive
    ? { $set: { isActive: true } }
    : { $set: { isActive: false }, $inc: { tokenVersion: 1 } };
  const user = await updateKeepingAnAdmin(userId, update, {
    removal: 'block',
    removesAdmin: (target) => !isActive && target.isActive !== false,
    actorId: actor.id,
    onApplied: auditUserChange(actor, isActive ? 'user.unblock' : 'user.block', (u) => ({
      isActive: u.isActive !== false,
    })),
  });
  if (!isActive) await revokeAllRefreshTokens(userId);
  return toUserDto(user);
}

export async function deleteUserByAdmin(actor: AuthUser, userId: string): Promise<void> {
  await softDeleteUser(userId, {
    removesAdmin: () => true,
    actorId: actor.id,
    // isDeleted is never selected; deletedAt says the same.
    onApplied: auditUserChange(actor, 'user.delete', (u) => ({
      isDeleted: Boolean(u.deletedAt),
      isActive: u.isActive !== false,
    })),
  });
}

function premiumState(user: { isPremium?: boolean | null; premiumExpiresAt?: Date | null }) {
  return { isPremium: Boolean(user.isPremium), premiumExpiresAt: user.premiumExpiresAt ?? null };
}

/**
 * #71: grant Pro for `days` (extending an unexpired Pro) or remove it. In one transaction with
 * today's usage (pro or free) and the audit entry; the user is notified of a grant.
 */
export async function setUserPremium(
  actor: AuthUser,
  userId: string,
  input: { isPremium: boolean; days: number },
  deps: { logger: Logger } & UsageDeps,
): Promise<UserDto> {
  const user = await mongoose.connection.transaction(async (session: ClientSession) => {
    const before = await UserModel.findOne({ _id: userId, isDeleted: false })
      .session(session)
      .lean();
    if (!before) throw AppError.notFound('User not found');
    let after: UserDto;
    if (input.isPremium) {
      after = await extendPremium(userId, input.days, session);
      await applyProToUsage(userId, deps, session);
    } else {
      const updated = await UserModel.findOneAndUpdate(
        { _id: userId, isDeleted: false },
        { $set: { isPremium: false, premiumExpiresAt: null } },
        { returnDocument: 'after', session },
      ).lean();
      if (!updated) throw AppError.notFound('User not found');
      after = toUserDto(updated);
      await applyFreeToUsage(userId, deps, session);
    }
    await recordAudit(
      actor,
      {
        action: input.isPremium ? 'user.premium.grant' : 'user.premium.revoke',
        targetType: 'user',
        targetId: userId,
        subjectUserId: userId,
        before: premiumState(before),
        after: premiumState(after),
        ...(input.isPremium ? { note: `${input.days} days` } : {}),
      },
      session,
    );
    return after;
  });
  if (input.isPremium) {
    await notifyUser(user.id, {
      title: 'KaryaKlik Pro activated',
      message: `An admin gave you KaryaKlik Pro until ${user.premiumExpiresAt?.toISOString().slice(0, 10)}. Enjoy the premium frames!`,
      type: 'system',
    }).catch((error: unknown) => deps.logger.error({ err: error }, 'could not notify the user'));
  }
  return user;
}

interface Activity {
  type: 'event' | 'session' | 'composite';
  action: string;
  description: string;
  timestamp: Date;
  metadata: Record<string, unknown>;
  category?: string;
}

const LISTED_ELSEWHERE = ['user_login', 'composite_created'];

/** #72: analytics events, logins, sessions and composites of one user, newest first. */
export async function getUserActivities(userId: string, options: { limit: number; skip: number }) {
  const user = await UserModel.findOne({ _id: userId, isDeleted: false })
    .select('+loginHistory')
    .lean();
  if (!user) throw AppError.notFound('User not found');
  // Each source contributes at most skip+limit items; merging those gives the right page.
  const take = options.skip + options.limit;
  // Sign-ins and composites are listed from their own records below; their server-side
  // analytics events would show each of them twice.
  const eventFilter = { userId, eventType: mongoose.trusted({ $nin: LISTED_ELSEWHERE }) };
  const [events, sessions, composites, eventCount, sessionCount, compositeCount] =
    await Promise.all([
      AnalyticsEventModel.find(eventFilter).sort({ timestamp: -1 }).limit(take).lean(),
      PhotoSessionModel.find({ userId }).sort({ createdAt: -1 }).limit(take).lean(),
      FinalCompositeModel.find({ userId }).sort({ createdAt: -1 }).limit(take).lean(),
      AnalyticsEventModel.countDocuments(eventFilter),
      PhotoSessionModel.countDocuments({ userId }),
      FinalCompositeModel.countDocuments({ userId }),
    ]);
  const logins = user.loginHistory ?? [];
  const activities: Activity[] = [
    ...events.map((e) => ({
      type: 'event' as const,
      action: e.eventType,
      description: `${e.eventType.replace(/_/g, ' ')} (${e.eventCategory})`,
      timestamp: e.timestamp,
      metadata: { ...(e.metadata ?? {}), ...(e.templateId ? { templateId: e.templateId } : {}) },
      category: e.eventCategory,
    })),
    ...logins.map((l) => ({
      type: 'event' as const,
      action: 'login',
      description: `Signed in${l.method === 'google' ? ' with Google' : ''}`,
      timestamp: l.loginAt,
      metadata: { ipAddress: l.ipAddress, userAgent: l.userAgent, method: l.method },
      category: 'authentication',
    })),
    ...sessions.map((s) => ({
      type: 'session' as const,
      action: `session_${s.status}`,
      description: `Photo session "${s.sessionName}" ${s.status}`,
      timestamp: s.startedAt ?? s.createdAt,
      metadata: { sessionId: String(s._id), templateId: s.templateId, status: s.status },
    })),
    ...composites.map((c) => ({
      type: 'composite' as const,
      action: 'composite_created',
      description: 'Created a photo composite',
      timestamp: c.createdAt,
      metadata: {
        compositeId: String(c._id),
        templateId: c.templateId,
        sessionId: c.sessionId,
        isPublic: Boolean(c.isPublic),
      },
    })),
  ];
  activities.sort((a, b) => new Date(b.timestamp).getTime() - new Date(a.timestamp).getTime());
  const total = eventCount + logins.length + sessionCount + compositeCount;
  return {
    user: { id: String(user._id), name: user.name, email: user.email },
    activities: activities.slice(options.skip, take),
    pagination: { total, limit: options.limit, skip: options.skip, hasMore: take < total },
  };
}
