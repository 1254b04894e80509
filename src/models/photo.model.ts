import mongoose, { Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';
import { jsonWithout, wholeNumber } from './schema-helpers';

/**
 * Deprecated: the gallery before PhotoSession/FinalComposite. Read by the legacy gallery
 * endpoints and moved to FinalComposite by a migration (FinalComposite.legacyPhotoId); nothing new
 * should be written here.
 */
const photoSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    title: { type: String, trim: true, maxlength: 100 },
    description: { type: String, trim: true, maxlength: 1000 },
    imageUrl: { type: String, required: true, trim: true },
    thumbnailUrl: { type: String, trim: true, default: null },
    isPublic: { type: Boolean, default: false },
    templateId: { type: String, trim: true, maxlength: 200 },
    views: { type: Number, default: 0, min: 0, validate: wholeNumber },
    likes: { type: Number, default: 0, min: 0, validate: wholeNumber },
  },
  { timestamps: true, strict: true, toJSON: jsonWithout() },
);

// Legacy "my photos": a user's photos, newest first (also the migration's scan order per user).
photoSchema.index({ userId: 1, createdAt: -1 });
// Legacy public gallery, newest first.
photoSchema.index({ isPublic: 1, createdAt: -1 });

export type Photo = InferSchemaType<typeof photoSchema>;
export type PhotoDocument = HydratedDocument<Photo>;
export const PhotoModel = mongoose.model('Photo', photoSchema);
