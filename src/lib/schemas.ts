import Joi from 'joi';

/** Shared request schemas; a domain's own schemas live in its `<domain>.schemas.ts`. */
export const objectId = Joi.string().hex().length(24);

export interface IdParams {
  id: string;
}

export const idParams = Joi.object<IdParams, true>({ id: objectId.required() });
