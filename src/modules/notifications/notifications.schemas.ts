import Joi from 'joi';

export const listNotificationsSchema = {
  query: Joi.object({
    limit: Joi.number().integer().min(1).max(100).default(20),
    skip: Joi.number().integer().min(0).max(100_000).default(0),
    unreadOnly: Joi.boolean().default(false),
  }),
};

/** `{notificationId}` for one, `{markAllAsRead:true}` (or the older `markAll`) for all. */
export const markReadSchema = {
  body: Joi.object({
    notificationId: Joi.string().trim().max(64),
    markAllAsRead: Joi.boolean(),
    markAll: Joi.boolean(),
  }),
};

export const notificationIdSchema = {
  params: Joi.object({ id: Joi.string().trim().max(64).required() }),
};
