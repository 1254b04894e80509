import mongoose, { type ClientSession } from 'mongoose';
import type { NotificationType } from '../../models/enums';
import { NotificationModel } from '../../models/notification.model';
import { UserModel } from '../../models/user.model';
import { AppError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import type { AuthUser } from '../../lib/auth-user';
import { toNotificationDto, type NotificationDto } from './notifications.mapper';
import type { ListNotificationsQuery } from './notifications.schemas';

export interface NewNotification {
  title: string;
  message: string;
  type: NotificationType;
  actionUrl?: string;
  data?: Record<string, unknown>;
}

/** Pass `session` to create it in the transaction of the decision it announces (exactly once). */
export async function notifyUser(
  userId: string,
  notification: NewNotification,
  session?: ClientSession,
): Promise<void> {
  await NotificationModel.create([{ userId, ...notification }], { session });
}

/**
 * Notifies every active admin. A notification is a side effect of the action that caused it, so
 * a failure is logged and never fails that action.
 */
export async function notifyAdmins(
  notification: NewNotification,
  logger: Logger,
  exceptUserId?: string,
): Promise<void> {
  try {
    const admins = await UserModel.find({ role: 'admin', isActive: true, isDeleted: false })
      .select('_id')
      .lean();
    const docs = admins
      .map((admin) => String(admin._id))
      .filter((id) => id !== exceptUserId)
      .map((userId) => ({ userId, ...notification }));
    if (docs.length > 0) await NotificationModel.insertMany(docs);
  } catch (error) {
    logger.error({ err: error }, 'could not notify admins');
  }
}

export interface NotificationPage {
  notifications: NotificationDto[];
  unreadCount: number;
  total: number;
  limit: number;
  skip: number;
}

export async function listNotifications(
  user: AuthUser,
  options: ListNotificationsQuery,
): Promise<NotificationPage> {
  const filter = options.unreadOnly ? { userId: user.id, isRead: false } : { userId: user.id };
  const unread = NotificationModel.countDocuments({ userId: user.id, isRead: false }).exec();
  const [docs, unreadCount, total] = await Promise.all([
    NotificationModel.find(filter)
      .sort({ createdAt: -1, _id: -1 })
      .skip(options.skip)
      .limit(options.limit)
      .lean(),
    unread,
    // Unread only: the total is the unread count, not a second identical query.
    options.unreadOnly ? unread : NotificationModel.countDocuments(filter),
  ]);
  return {
    notifications: docs.map(toNotificationDto),
    unreadCount,
    total,
    limit: options.limit,
    skip: options.skip,
  };
}

export async function markNotificationRead(
  user: AuthUser,
  notificationId: string,
): Promise<NotificationDto> {
  if (!mongoose.isValidObjectId(notificationId))
    throw AppError.badRequest('Invalid notification id');
  const doc = await NotificationModel.findOneAndUpdate(
    { _id: notificationId, userId: user.id },
    { $set: { isRead: true, readAt: new Date() } },
    { returnDocument: 'after' },
  ).lean();
  if (!doc) throw AppError.notFound('Notification not found');
  return toNotificationDto(doc);
}

export async function markAllNotificationsRead(user: AuthUser): Promise<number> {
  const result = await NotificationModel.updateMany(
    { userId: user.id, isRead: false },
    { $set: { isRead: true, readAt: new Date() } },
  );
  return result.modifiedCount;
}

export async function deleteNotification(user: AuthUser, notificationId: string): Promise<void> {
  if (!mongoose.isValidObjectId(notificationId))
    throw AppError.badRequest('Invalid notification id');
  const result = await NotificationModel.deleteOne({ _id: notificationId, userId: user.id });
  if (result.deletedCount === 0) throw AppError.notFound('Notification not found');
}
