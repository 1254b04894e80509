import Joi from 'joi';
import { jsonText, layoutSlot, objectId } from '../../lib/schemas';
import {
  FRAME_COUNT_RANGES,
  FRAME_LAYOUTS,
  SUBMISSION_STATUSES,
  TEMPLATE_CATEGORIES,
  type FrameLayout,
  type SubmissionStatus,
  type TemplateCategory,
} from '../../models/enums';
import type { LayoutSlot } from '../../models/schema-helpers';

const { min: MIN_SLOTS, max: MAX_SLOTS } = FRAME_COUNT_RANGES.userSubmittedFrame;

export type SlotInput = LayoutSlot;

export interface SubmitFrameBody {
  name: string;
  description?: string;
  /** A data URL of the frame (or a multipart file `frame`). */
  frameUrl?: string;
  thumbnail?: string;
  frameCount?: number;
  layout?: FrameLayout;
  frameSpec: Record<string, string | number | boolean>;
  /** Absent: the photo holes are found in the frame's transparency. */
  layoutPositions?: SlotInput[];
}

const image = Joi.string()
  .trim()
  .max(40 * 1024 * 1024);

export const submitFrameBody = Joi.object<SubmitFrameBody, true>({
  name: Joi.string().trim().min(3).max(100).required(),
  description: Joi.string().trim().allow('').max(1000),
  frameUrl: image,
  thumbnail: image.allow(''),
  frameCount: Joi.number().integer().min(MIN_SLOTS).max(MAX_SLOTS),
  layout: Joi.string().valid(...FRAME_LAYOUTS),
  // The client sends {category, userId}; only plain values under plain names are kept.
  frameSpec: jsonText
    .object()
    .pattern(
      /^[A-Za-z][\w-]{0,39}$/,
      Joi.alternatives(Joi.string().max(200), Joi.number(), Joi.boolean()),
    )
    .max(20)
    .keys({ userId: Joi.any().strip() })
    .default({}),
  layoutPositions: jsonText
    .array()
    .items(layoutSlot)
    .min(MIN_SLOTS)
    .max(MAX_SLOTS)
    .when('frameCount', {
      is: Joi.exist(),
      then: Joi.array()
        .length(Joi.ref('frameCount'))
        .messages({ 'array.length': 'layoutPositions must have exactly frameCount entries' }),
    }),
})
  .with('layoutPositions', 'frameCount')
  .messages({ 'object.with': 'frameCount is required with layoutPositions' });

export type StatusFilter = SubmissionStatus | 'all';

export interface ListOwnSubmissionsQuery {
  status: StatusFilter;
  limit: number;
  skip: number;
}

const statusFilter = Joi.string().valid(...SUBMISSION_STATUSES, 'all');

export const listOwnSubmissionsQuery = Joi.object<ListOwnSubmissionsQuery, true>({
  status: statusFilter.default('all'),
  limit: Joi.number().integer().min(1).max(100).default(20),
  skip: Joi.number().integer().min(0).max(100_000).default(0),
});

export interface ModerationQueueQuery {
  status: StatusFilter;
  limit: number;
  skip: number;
  userId?: string;
  q?: string;
  layout?: FrameLayout;
  sort: 'newest' | 'oldest';
}

export const moderationQueueQuery = Joi.object<ModerationQueueQuery, true>({
  status: statusFilter.default('pending'),
  limit: Joi.number().integer().min(1).max(100).default(50),
  skip: Joi.number().integer().min(0).max(100_000).default(0),
  userId: objectId,
  q: Joi.string().trim().max(100).allow(''),
  layout: Joi.string().valid(...FRAME_LAYOUTS),
  sort: Joi.string().valid('newest', 'oldest').default('newest'),
});

export interface ApproveSubmissionBody {
  isPremium: boolean;
  category?: TemplateCategory;
  name?: string;
}

export const approveSubmissionBody = Joi.object<ApproveSubmissionBody, true>({
  isPremium: Joi.boolean().default(false),
  category: Joi.string().valid(...TEMPLATE_CATEGORIES),
  name: Joi.string().trim().min(1).max(100),
});

export interface RejectSubmissionBody {
  rejectionReason: string;
}

export const rejectSubmissionBody = Joi.object<RejectSubmissionBody, true>({
  rejectionReason: Joi.string().trim().min(1).max(1000).required().messages({
    'any.required': 'A rejection reason is required',
    'string.empty': 'A rejection reason is required',
  }),
});
