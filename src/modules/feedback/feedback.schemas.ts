import Joi from 'joi';
import { EMAIL_MAX_LENGTH, FEEDBACK_STATUSES, type FeedbackStatus } from '../../models/enums';
import { pageFields } from '../../lib/schemas';

export const FEEDBACK_LIMITS = {
  name: { min: 2, max: 100 },
  message: { min: 5, max: 5000 },
  reply: { min: 1, max: 5000 },
} as const;

export interface CreateFeedbackBody {
  name: string;
  email: string;
  message: string;
  /** A field the contact form hides from people; bots fill it in (any value). */
  website?: string | number | boolean | null;
}

export const createFeedbackBody = Joi.object<CreateFeedbackBody, true>({
  name: Joi.string().trim().min(FEEDBACK_LIMITS.name.min).max(FEEDBACK_LIMITS.name.max).required(),
  email: Joi.string()
    .trim()
    .lowercase()
    .max(EMAIL_MAX_LENGTH)
    .email({ tlds: { allow: false } })
    .required(),
  message: Joi.string()
    .trim()
    .min(FEEDBACK_LIMITS.message.min)
    .max(FEEDBACK_LIMITS.message.max)
    .required(),
  // Any value is accepted here (a bot must not learn it was spotted); the service drops it.
  website: Joi.alternatives(Joi.string().allow(''), Joi.number(), Joi.boolean()).allow(null),
});

export interface ListFeedbackQuery {
  status?: FeedbackStatus;
  page: number;
  limit: number;
}

export const listFeedbackQuery = Joi.object<ListFeedbackQuery, true>({
  status: Joi.string().valid(...FEEDBACK_STATUSES),
  ...pageFields(50),
});

export interface UpdateFeedbackBody {
  status: FeedbackStatus;
}

export const updateFeedbackBody = Joi.object<UpdateFeedbackBody, true>({
  status: Joi.string()
    .valid(...FEEDBACK_STATUSES)
    .required(),
});

export interface ReplyFeedbackBody {
  message: string;
  subject?: string;
}

export const replyFeedbackBody = Joi.object<ReplyFeedbackBody, true>({
  message: Joi.string()
    .trim()
    .min(FEEDBACK_LIMITS.reply.min)
    .max(FEEDBACK_LIMITS.reply.max)
    .required(),
  subject: Joi.string().trim().max(200),
});
