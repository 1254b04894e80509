import Joi from 'joi';
import { objectId, replyDate } from '../../lib/schemas';
import type { NotificationDto } from './notifications.mapper';

export interface ListNotificationsQuery {
  limit: number;
  skip: number;
  unreadOnly: boolean;
}

export const listNotificationsSchema = {
  query: Joi.object<ListNotificationsQuery, true>({
    limit: Joi.number().integer().min(1).max(100).default(20),
    skip: Joi.number().integer().min(0).max(100_000).default(0),
    unreadOnly: Joi.boolean().default(false),
  }),
};

export interface MarkReadBody {
  notificationId?: string;
  markAllAsRead?: boolean;
  markAll?: boolean;
}

/** `{notificationId}` for one, `{markAllAsRead:true}` (or the older `markAll`) for all. */
export const markReadSchema = {
  body: Joi.object<MarkReadBody, true>({
    notificationId: Joi.string().trim().max(64),
    markAllAsRead: Joi.boolean(),
    markAll: Joi.boolean(),
  }),
};

export const notificationIdSchema = {
  params: Joi.object<{ id: string }, true>({ id: Joi.string().trim().max(64).required() }),
};

/** `data` is whatever the notifying code attached (an object). */
export const notificationReply = Joi.object<
  Omit<NotificationDto, 'data'> & { data?: Record<string, unknown> },
  true
>({
  _id: objectId.required(),
  id: objectId.required(),
  userId: Joi.string().required(),
  title: Joi.string().required(),
  message: Joi.string().required(),
  type: Joi.string().required(),
  isRead: Joi.boolean().required(),
  readAt: replyDate.allow(null).required(),
  actionUrl: Joi.string(),
  data: Joi.object().unknown(true),
  createdAt: replyDate,
  updatedAt: replyDate,
});

export const notificationPageReply = Joi.object<
  {
    notifications: NotificationDto[];
    unreadCount: number;
    total: number;
    limit: number;
    skip: number;
  },
  true
>({
  notifications: Joi.array().items(notificationReply).required(),
  unreadCount: Joi.number().integer().required(),
  total: Joi.number().integer().required(),
  limit: Joi.number().integer().required(),
  skip: Joi.number().integer().required(),
});
