import mongoose, { Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';
import { FRAME_COUNT_RANGES, TEMPLATE_CATEGORIES } from './enums';
import { addSlotCountRule, frameSlotPaths, jsonWithout, wholeNumber } from './schema-helpers';

/** A Pro user's private AI frame (CONTRACT §19.19). */
const userGeneratedFrameSchema = new Schema(
  {
    userId: { type: String, required: true, trim: true, ref: 'User' },
    name: { type: String, required: true, trim: true, minlength: 3, maxlength: 100 },
    description: { type: String, trim: true, maxlength: 1000 },
    category: { type: String, enum: TEMPLATE_CATEGORIES, default: 'AI Generated' },
    tags: { type: [{ type: String, trim: true, maxlength: 50 }], default: [] },
    thumbnail: { type: String, trim: true },
    frameUrl: { type: String, required: true, trim: true },
    ...frameSlotPaths(FRAME_COUNT_RANGES.userGeneratedFrame),
    // Generator input (layout, colours, gradient, border); validated by the AI service's joi schema.
    frameSpec: { type: Schema.Types.Mixed },
    isActive: { type: Boolean, default: true },
    isFavorite: { type: Boolean, default: false },
    usageCount: { type: Number, default: 0, min: 0, validate: wholeNumber },
  },
  { timestamps: true, strict: true, toJSON: jsonWithout() },
);

addSlotCountRule(userGeneratedFrameSchema);

// A user's frame library (/ai/my-frames, /user-frames): active ones, newest first.
userGeneratedFrameSchema.index({ userId: 1, isActive: 1, createdAt: -1 });
// Save-frame answers 409 on a duplicate name per user. Only live frames count, so the name of a
// deleted (deactivated) frame can be used again.
userGeneratedFrameSchema.index(
  { userId: 1, name: 1 },
  { unique: true, partialFilterExpression: { isActive: true } },
);

export type UserGeneratedFrame = InferSchemaType<typeof userGeneratedFrameSchema>;
export type UserGeneratedFrameDocument = HydratedDocument<UserGeneratedFrame>;
export const UserGeneratedFrameModel = mongoose.model(
  'UserGeneratedFrame',
  userGeneratedFrameSchema,
);
