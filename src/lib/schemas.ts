import Joi from 'joi';
import type { LayoutSlot } from '../models/schema-helpers';
import type { PageQuery, Pagination } from './pagination';

/** Shared request schemas; a domain's own schemas live in its `<domain>.schemas.ts`. */
export const objectId = Joi.string().hex().length(24);

export interface IdParams {
  id: string;
}

export const idParams = Joi.object<IdParams, true>({ id: objectId.required() });

/**
 * `page` and `limit` of a paged list (lib/pagination): pages from 1, at most 100 rows a page,
 * `defaultLimit` when the client names none.
 */
export function pageFields(defaultLimit: number) {
  return {
    page: Joi.number().integer().min(1).max(10_000).default(1),
    limit: Joi.number().integer().min(1).max(100).default(defaultLimit),
  };
}

/** A query of `page` and `limit` only (pageFields). */
export function pageQuery(defaultLimit: number) {
  return Joi.object<PageQuery, true>(pageFields(defaultLimit));
}

/** One photo slot of a frame in frame pixels (templates, submissions). */
export const layoutSlot = Joi.object<LayoutSlot, true>({
  x: Joi.number().min(0).required(),
  y: Joi.number().min(0).required(),
  width: Joi.number().greater(0).required(),
  height: Joi.number().greater(0).required(),
  borderRadius: Joi.number().min(0).default(0),
  rotation: Joi.number().min(-360).max(360).default(0),
});

/**
 * Joi that also reads arrays and objects sent as JSON text (multipart bodies carry every field
 * as a string): `jsonText.array()`, `jsonText.object()`.
 */
export const jsonText: Joi.Root = Joi.extend(
  (joi) => ({
    type: 'array',
    base: joi.array(),
    coerce: { from: 'string', method: (value: string) => ({ value: parseJson(value) }) },
  }),
  (joi) => ({
    type: 'object',
    base: joi.object(),
    coerce: { from: 'string', method: (value: string) => ({ value: parseJson(value) }) },
  }),
);

function parseJson(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/**
 * Reply schemas: the `data` of a route's success envelope, for the API document (joi-to-swagger,
 * like the request schemas). Tests validate real replies against them, so they stay true.
 */
export const replyDate = Joi.date().iso();

export const paginationReply = Joi.object<Pagination, true>({
  page: Joi.number().integer().required(),
  limit: Joi.number().integer().required(),
  total: Joi.number().integer().required(),
  pages: Joi.number().integer().required(),
});
