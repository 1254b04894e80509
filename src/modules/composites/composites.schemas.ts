import Joi from 'joi';
import { objectId, pageQuery } from '../../lib/schemas';

export { idParams } from '../../lib/schemas';

export interface UploadCompositeBody {
  sessionId: string;
  templateId?: string;
}

export const uploadCompositeBody = Joi.object<UploadCompositeBody, true>({
  sessionId: objectId.required().messages({ 'any.required': 'sessionId is required' }),
  // Free-form like a session's (CONTRACT §2); an empty field means "the session's template".
  templateId: Joi.string().trim().max(200).allow(''),
});

export const listCompositesQuery = pageQuery(20);

export interface UpdateCompositeBody {
  isPublic?: boolean;
  shareEnabled?: boolean;
}

export const updateCompositeBody = Joi.object<UpdateCompositeBody, true>({
  isPublic: Joi.boolean(),
  shareEnabled: Joi.boolean(),
})
  .or('isPublic', 'shareEnabled')
  .messages({ 'object.missing': 'Send isPublic and/or shareEnabled' });
