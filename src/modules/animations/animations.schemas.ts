import Joi from 'joi';
import {
  ANIMATION_FORMATS,
  ANIMATION_KINDS,
  type AnimationFormat,
  type AnimationKind,
} from '../../models/enums';

export interface AnimationSpecInput {
  kind: AnimationKind;
  format: AnimationFormat;
}

const spec = {
  kind: Joi.string()
    .valid(...ANIMATION_KINDS)
    .required(),
  format: Joi.string()
    .valid(...ANIMATION_FORMATS)
    .default('webp'),
};

export const animationBody = Joi.object<AnimationSpecInput, true>(spec);
export const animationQuery = Joi.object<AnimationSpecInput, true>(spec);
