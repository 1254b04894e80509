import Joi from 'joi';

export const exploreQuery = Joi.object({
  sort: Joi.string().valid('recent', 'popular').default('recent'),
  cursor: Joi.string()
    .max(200)
    .pattern(/^[A-Za-z0-9_-]+$/),
  limit: Joi.number().integer().min(1).max(50).default(20),
});
