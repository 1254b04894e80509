import Joi from 'joi';
import { pageQuery as pageQueryOf } from '../../lib/schemas';

export { idParams } from '../../lib/schemas';

export type { PageQuery } from '../../lib/pagination';

export const pageQuery = pageQueryOf(20);

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
