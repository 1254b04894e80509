import Joi from 'joi';
import { SESSION_STATUSES } from '../../models/enums';

export const objectId = Joi.string().hex().length(24);

export const idParams = Joi.object({ id: objectId.required() });

// The client merges its own keys (photoCount, templateName, startedAt, deviceInfo, …); names that
// could become operators or paths ($set, a.b) are refused, and the server-owned count is dropped.
const metadata = Joi.object()
  .pattern(/^[A-Za-z][\w-]{0,49}$/, Joi.any())
  .max(30)
  .keys({ totalPhotos: Joi.any().strip() });

export const createSessionBody = Joi.object({
  sessionName: Joi.string()
    .trim()
    .min(1)
    .max(100)
    .required()
    .messages({ 'any.required': 'Session name is required' }),
  templateId: Joi.string().trim().min(1).max(200).required(),
  metadata: metadata.default({}),
});

export const updateSessionBody = Joi.object({
  sessionName: Joi.string().trim().min(1).max(100),
  metadata,
})
  .min(1)
  .messages({ 'object.min': 'Nothing to update' });

export const listSessionsQuery = Joi.object({
  status: Joi.string().valid(...SESSION_STATUSES),
  page: Joi.number().integer().min(1).max(10_000).default(1),
  limit: Joi.number().integer().min(1).max(100).default(20),
});

export interface CreateSessionInput {
  sessionName: string;
  templateId: string;
  metadata: Record<string, unknown>;
}

export interface UpdateSessionInput {
  sessionName?: string;
  metadata?: Record<string, unknown>;
}

export interface ListSessionsQuery {
  status?: (typeof SESSION_STATUSES)[number];
  page: number;
  limit: number;
}
