import Joi from 'joi';

export type ExploreSort = 'recent' | 'popular';

export interface ExploreQuery {
  sort: ExploreSort;
  cursor?: string;
  limit: number;
}

export const exploreQuery = Joi.object<ExploreQuery, true>({
  sort: Joi.string().valid('recent', 'popular').default('recent'),
  cursor: Joi.string()
    .max(200)
    .pattern(/^[A-Za-z0-9_-]+$/),
  limit: Joi.number().integer().min(1).max(50).default(20),
});
