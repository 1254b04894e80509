import mongoose, { Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';
import { FRAME_COUNT_RANGES, TEMPLATE_CATEGORIES, TEMPLATE_VISIBILITIES } from './enums';
import { addSlotCountRule, frameSlotPaths, jsonWithout, wholeNumber } from './schema-helpers';

const templateSchema = new Schema(
  {
    name: { type: String, required: true, trim: true, maxlength: 100 },
    category: { type: String, enum: TEMPLATE_CATEGORIES, required: true, default: 'General' },
    description: { type: String, trim: true, maxlength: 1000 },
    tags: { type: [{ type: String, trim: true, maxlength: 50 }], default: [] },
    thumbnail: { type: String, required: true, trim: true },
    frameUrl: { type: String, required: true, trim: true },
    isPremium: { type: Boolean, default: false },
    ...frameSlotPaths(FRAME_COUNT_RANGES.template),
    isActive: { type: Boolean, default: true },
    // An uploaded raster frame waits (private, in `incoming/`) for the normalize-template-frame
    // job: until then only admins see the template and no session can use it.
    processing: { type: Boolean },
    // Why that job could not make the frame usable (a file damaged inside); admins see it.
    processingError: { type: String, trim: true, maxlength: 500 },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User' },
    visibility: { type: String, enum: TEMPLATE_VISIBILITIES, default: 'public' },
    isAIGenerated: { type: Boolean, default: false },
    aiFrameSpec: { type: Schema.Types.Mixed },
    usageCount: { type: Number, default: 0, min: 0, validate: wholeNumber },
    // The approved submission this template came from; unique so a repeated approval creates nothing.
    sourceSubmissionId: { type: Schema.Types.ObjectId, ref: 'UserSubmittedFrame' },
    // Stable key of a starter template made by `npm run seed`; re-running the seed skips it.
    seedKey: { type: String, trim: true, maxlength: 100 },
  },
  { timestamps: true, strict: true, toJSON: jsonWithout() },
);

addSlotCountRule(templateSchema);

// Public gallery (GET /templates): active, visible, optional category, newest first.
templateSchema.index({ isActive: 1, visibility: 1, category: 1, createdAt: -1 });
// Admin dashboard: gallery templates added since a date, and the newest ones.
templateSchema.index({ isActive: 1, visibility: 1, createdAt: -1 });
// A creator's own templates and AI frames (/ai/my-frames, private visibility check), newest first.
templateSchema.index({ createdBy: 1, isAIGenerated: 1, createdAt: -1 });
// Submission approval: find the template already made from a submission.
templateSchema.index(
  { sourceSubmissionId: 1 },
  { unique: true, partialFilterExpression: { sourceSubmissionId: { $type: 'objectId' } } },
);

// Seed idempotency: one template per seed key, also under concurrent seed runs.
templateSchema.index(
  { seedKey: 1 },
  { unique: true, partialFilterExpression: { seedKey: { $type: 'string' } } },
);

export type Template = InferSchemaType<typeof templateSchema>;
export type TemplateDocument = HydratedDocument<Template>;
export const TemplateModel = mongoose.model('Template', templateSchema);
