import Joi from 'joi';
import {
  jsonText,
  layoutSlot,
  objectId,
  pageFields,
  paginationReply,
  replyDate,
} from '../../lib/schemas';
import type { Pagination } from '../../lib/pagination';
import type { SlotDto, TemplateDto } from './templates.mapper';
import {
  FRAME_COUNT_RANGES,
  TEMPLATE_CATEGORIES,
  TEMPLATE_VISIBILITIES,
  type TemplateCategory,
} from '../../models/enums';

const { min: MIN_SLOTS, max: MAX_SLOTS } = FRAME_COUNT_RANGES.template;

export interface SlotInput {
  x: number;
  y: number;
  width: number;
  height: number;
  borderRadius?: number;
  rotation?: number;
}

export interface ListTemplatesQuery {
  category?: TemplateCategory | 'All';
  isPremium?: boolean;
  isActive: boolean;
  isAIGenerated?: boolean;
  page: number;
  limit: number;
}

export interface TemplateFields {
  name?: string;
  category?: TemplateCategory;
  description?: string;
  tags?: string[];
  isPremium?: boolean;
  isActive?: boolean;
  visibility?: 'public' | 'private';
  frameCount?: number;
  layoutPositions?: SlotInput[];
  /** A data URL with the frame image (or the template's current URL, which changes nothing). */
  frameUrl?: string;
  thumbnail?: string;
}

export type CreateTemplateBody = TemplateFields & {
  name: string;
  frameCount: number;
  layoutPositions: SlotInput[];
};

const frameCount = Joi.number().integer().min(MIN_SLOTS).max(MAX_SLOTS);
const layoutPositions = jsonText.array().items(layoutSlot).min(MIN_SLOTS).max(MAX_SLOTS);
const image = Joi.string()
  .trim()
  .max(40 * 1024 * 1024);

export const listTemplatesQuery = Joi.object<ListTemplatesQuery, true>({
  category: Joi.string().valid('All', ...TEMPLATE_CATEGORIES),
  isPremium: Joi.boolean(),
  isActive: Joi.boolean().default(true),
  isAIGenerated: Joi.boolean(),
  ...pageFields(20),
});

export const templateIdParams = Joi.object<{ id: string }, true>({
  id: Joi.string().trim().max(100).required(),
});

const fields = {
  name: Joi.string().trim().min(1).max(100),
  category: Joi.string().valid(...TEMPLATE_CATEGORIES),
  description: Joi.string().trim().allow('').max(1000),
  tags: jsonText.array().items(Joi.string().trim().max(50)).max(30),
  isPremium: Joi.boolean(),
  isActive: Joi.boolean(),
  visibility: Joi.string().valid(...TEMPLATE_VISIBILITIES),
  frameUrl: image,
  thumbnail: image.allow(''),
};

export const createTemplateBody = Joi.object<CreateTemplateBody, true>({
  ...fields,
  name: fields.name.required(),
  category: fields.category.default('General'),
  isPremium: fields.isPremium.default(false),
  isActive: fields.isActive.default(true),
  visibility: fields.visibility.default('public'),
  frameCount: frameCount.required(),
  layoutPositions: layoutPositions
    .required()
    .length(Joi.ref('frameCount'))
    .messages({ 'array.length': 'layoutPositions must have exactly frameCount entries' }),
});

export const updateTemplateBody = Joi.object<TemplateFields, true>({
  ...fields,
  frameCount,
  layoutPositions: layoutPositions.when('frameCount', {
    is: Joi.exist(),
    then: Joi.array()
      .required()
      .length(Joi.ref('frameCount'))
      .messages({ 'array.length': 'layoutPositions must have exactly frameCount entries' }),
  }),
})
  .with('layoutPositions', 'frameCount')
  .min(1)
  .messages({ 'object.min': 'Nothing to update' });

const slotReply = Joi.object<SlotDto, true>({
  x: Joi.number().required(),
  y: Joi.number().required(),
  width: Joi.number().required(),
  height: Joi.number().required(),
  borderRadius: Joi.number().required(),
  rotation: Joi.number().required(),
});

/** A template as the client reads it (TemplateDto). */
export const templateReply = Joi.object<TemplateDto, true>({
  _id: objectId.required(),
  name: Joi.string().required(),
  category: Joi.string().required(),
  description: Joi.string().allow('').required(),
  tags: Joi.array().items(Joi.string()).required(),
  thumbnail: Joi.string().required(),
  frameUrl: Joi.string().required(),
  isPremium: Joi.boolean().required(),
  frameCount: Joi.number().integer().required(),
  layoutPositions: Joi.array().items(slotReply).required(),
  canvasWidth: Joi.number().allow(null).required(),
  canvasHeight: Joi.number().allow(null).required(),
  isActive: Joi.boolean().required(),
  isAIGenerated: Joi.boolean().required(),
  createdBy: objectId.allow(null).required(),
  creatorName: Joi.string().required(),
  visibility: Joi.string().valid('public', 'private').required(),
  usageCount: Joi.number().integer().required(),
  processing: Joi.boolean().required(),
  processingError: Joi.string().allow(null).required(),
  createdAt: replyDate.allow(null).required(),
  updatedAt: replyDate.allow(null).required(),
});

export const templatePageReply = Joi.object<
  { templates: TemplateDto[]; pagination: Pagination },
  true
>({
  templates: Joi.array().items(templateReply).required(),
  pagination: paginationReply.required(),
});
