import Joi from 'joi';

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
