import { Router, type RequestHandler } from 'express';
import type { Config } from '../../config';
import { sendData, sendMessage } from '../../middleware/legacy-routing';
import { AppError } from '../../lib/errors';
import { authenticate, currentUser } from '../../middleware/legacy-routing';
import { validate, validInput } from '../../middleware/legacy-routing';
import {
  listNotificationsSchema,
  markReadSchema,
  notificationIdSchema,
} from './notifications.schemas';
import {
  deleteNotification,
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
} from './notifications.service';

interface MarkReadBody {
  notificationId?: string;
  markAllAsRead?: boolean;
  markAll?: boolean;
}

/** CONTRACT §13 (#52–#55), envelope A. */
export function notificationsRouter(config: Readonly<Config>): Router {
  const router = Router();
  router.use(authenticate(config));

  router.get('/', validate(listNotificationsSchema), async (req, res) => {
    const { query } = validInput<unknown, { limit: number; skip: number; unreadOnly: boolean }>(
      res.locals,
    );
    sendData(res, await listNotifications(currentUser(req), query));
  });

  // The user bell posts, the admin header patches; both reach one handler (#53, #54).
  const markRead: RequestHandler = async (req, res) => {
    const { body } = validInput<MarkReadBody>(res.locals);
    const user = currentUser(req);
    if (body.markAllAsRead === true || body.markAll === true) {
      const updated = await markAllNotificationsRead(user);
      sendData(res, { updated }, { message: 'All notifications marked as read' });
      return;
    }
    if (!body.notificationId)
      throw AppError.badRequest('notificationId or markAllAsRead is required');
    sendData(res, await markNotificationRead(user, body.notificationId), {
      message: 'Notification marked as read',
    });
  };
  router.post('/mark-read', validate(markReadSchema), markRead);
  router.patch('/mark-read', validate(markReadSchema), markRead);

  router.delete('/:id', validate(notificationIdSchema), async (req, res) => {
    const { params } = validInput<unknown, unknown, { id: string }>(res.locals);
    await deleteNotification(currentUser(req), params.id);
    sendMessage(res, 'Notification deleted');
  });

  return router;
}
