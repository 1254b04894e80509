import Joi from 'joi';

export { idParams } from '../../lib/schemas';

export interface PageQuery {
  page: number;
  limit: number;
}

export const pageQuery = Joi.object<PageQuery, true>({
  page: Joi.number().integer().min(1).max(10_000).default(1),
  limit: Joi.number().integer().min(1).max(100).default(20),
});

export interface UpdatePhotoBody {
  title?: string;
  description?: string;
  isPublic?: boolean;
  templateId?: string;
}

export const updatePhotoBody = Joi.object<UpdatePhotoBody, true>({
  title: Joi.string().trim().max(100).allow(''),
  description: Joi.string().trim().max(1000).allow(''),
  isPublic: Joi.boolean(),
  templateId: Joi.string().trim().max(200),
})
  .min(1)
  .messages({ 'object.min': 'Nothing to update' });
