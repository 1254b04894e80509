import Joi from 'joi';
import type { UserFrameChanges } from './user-frames.service';

export const updateUserFrameBody = Joi.object<UserFrameChanges, true>({
  name: Joi.string().trim().min(3).max(100),
  description: Joi.string().trim().allow('').max(1000),
  isFavorite: Joi.boolean(),
})
  .min(1)
  .messages({ 'object.min': 'Nothing to update' });
