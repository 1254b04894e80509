import mongoose, { Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';
import { jsonWithout } from './schema-helpers';

/** One user's like of a FinalComposite; FinalComposite.likes is the maintained count. */
const compositeLikeSchema = new Schema(
  {
    compositeId: { type: String, required: true, trim: true },
    userId: { type: String, required: true, trim: true },
  },
  { timestamps: true, strict: true, toJSON: jsonWithout() },
);

// A like counts once per user: the second insert of the same pair fails, so the count is not
// bumped. Its compositeId prefix also serves removing a deleted composite's likes.
compositeLikeSchema.index({ compositeId: 1, userId: 1 }, { unique: true });

export type CompositeLike = InferSchemaType<typeof compositeLikeSchema>;
export type CompositeLikeDocument = HydratedDocument<CompositeLike>;
export const CompositeLikeModel = mongoose.model('CompositeLike', compositeLikeSchema);
