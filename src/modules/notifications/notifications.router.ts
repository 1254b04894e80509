import type { AppContext } from '../../context';
import { envelopeA, type AReply } from '../../lib/envelope';
import { AppError } from '../../lib/errors';
import { ApiRouter } from '../../middleware/api-router';
import {
  listNotificationsSchema,
  notificationPageReply,
  markReadSchema,
  notificationIdSchema,
} from './notifications.schemas';
import {
  deleteNotification,
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
} from './notifications.service';

/** CONTRACT §13 (#52–#55), envelope A. */
export function notificationsRouter(ctx: AppContext): ApiRouter<AReply> {
  const r = new ApiRouter('/notifications', envelopeA, ctx.resolveAccount);

  r.get(
    '/',
    { auth: 'user', ...listNotificationsSchema, reply: { data: notificationPageReply } },
    async ({ user, query }) => ({
      data: await listNotifications(user, query),
    }),
  );

  // The user bell posts, the admin header patches; both reach one handler (#53, #54).
  for (const method of ['post', 'patch'] as const) {
    r[method]('/mark-read', { auth: 'user', ...markReadSchema }, async ({ user, body }) => {
      if (body.markAllAsRead === true || body.markAll === true) {
        const updated = await markAllNotificationsRead(user);
        return { message: 'All notifications marked as read', data: { updated } };
      }
      if (!body.notificationId)
        throw AppError.badRequest('notificationId or markAllAsRead is required');
      return {
        message: 'Notification marked as read',
        data: await markNotificationRead(user, body.notificationId),
      };
    });
  }

  r.delete('/:id', { auth: 'user', ...notificationIdSchema }, async ({ user, params }) => {
    await deleteNotification(user, params.id);
    return { message: 'Notification deleted' };
  });

  return r;
}
