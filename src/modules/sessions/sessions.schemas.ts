import Joi from 'joi';
import { SESSION_STATUSES, type SessionStatus } from '../../models/enums';
import { pageFields } from '../../lib/schemas';

// The client merges its own keys (photoCount, templateName, startedAt, deviceInfo, …); names that
// could become operators or paths ($set, a.b) are refused, and the server-owned count is dropped.
const metadata = Joi.object<Record<string, unknown>>()
  .pattern(/^[A-Za-z][\w-]{0,49}$/, Joi.any())
  .max(30)
  .keys({ totalPhotos: Joi.any().strip() });

export interface CreateSessionInput {
  sessionName: string;
  templateId: string;
  metadata: Record<string, unknown>;
}

export const createSessionBody = Joi.object<CreateSessionInput, true>({
  sessionName: Joi.string()
    .trim()
    .min(1)
    .max(100)
    .required()
    .messages({ 'any.required': 'Session name is required' }),
  templateId: Joi.string().trim().min(1).max(200).required(),
  metadata: metadata.default({}),
});

export interface UpdateSessionInput {
  sessionName?: string;
  metadata?: Record<string, unknown>;
}

export const updateSessionBody = Joi.object<UpdateSessionInput, true>({
  sessionName: Joi.string().trim().min(1).max(100),
  metadata,
})
  .min(1)
  .messages({ 'object.min': 'Nothing to update' });

export interface ListSessionsQuery {
  status?: SessionStatus;
  page: number;
  limit: number;
}

export const listSessionsQuery = Joi.object<ListSessionsQuery, true>({
  status: Joi.string().valid(...SESSION_STATUSES),
  ...pageFields(20),
});
