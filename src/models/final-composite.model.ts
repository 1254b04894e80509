import mongoose, { Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';
import { COMPOSITE_SOURCES } from './enums';
import { jsonWithout, wholeNumber } from './schema-helpers';

const compositeMetadataSchema = new Schema(
  {
    width: { type: Number, min: 1, validate: wholeNumber },
    height: { type: Number, min: 1, validate: wholeNumber },
    fileSize: { type: Number, min: 0, validate: wholeNumber },
    format: { type: String, trim: true, lowercase: true, maxlength: 20 },
    photosUsed: { type: Number, min: 0, validate: wholeNumber },
    templateName: { type: String, trim: true, maxlength: 200 },
  },
  { _id: false, strict: true },
);

const finalCompositeSchema = new Schema(
  {
    // Plain strings (CONTRACT §2). A migrated legacy Photo has no session.
    sessionId: { type: String, trim: true },
    userId: { type: String, required: true, trim: true },
    templateId: { type: String, trim: true, maxlength: 200 },
    compositeUrl: { type: String, required: true, trim: true },
    thumbnailUrl: { type: String, trim: true, default: null },
    compositeKey: { type: String, trim: true },
    thumbnailKey: { type: String, trim: true },
    // True while an uploaded composite's compositeKey is the original (private `incoming` folder,
    // may carry EXIF/GPS), until the normalize-composite job swaps in the clean file. Public
    // listings and share links skip it meanwhile.
    processing: { type: Boolean },
    isPublic: { type: Boolean, default: false },
    // Unlisted link sharing (CONTRACT §19.8): reachable by link, absent from Explore.
    shareEnabled: { type: Boolean, default: false },
    // Maintained count of CompositeLike documents (one per user).
    likes: { type: Number, default: 0, min: 0, validate: wholeNumber },
    views: { type: Number, default: 0, min: 0, validate: wholeNumber },
    metadata: { type: compositeMetadataSchema, default: () => ({}) },
    // The render job that produced it; unique so a retried job cannot create a second composite.
    renderJobId: { type: String, trim: true },
    source: { type: String, enum: COMPOSITE_SOURCES, default: 'client', required: true },
    // The Photo it was migrated from; unique so re-running the migration creates nothing.
    legacyPhotoId: { type: String, trim: true },
  },
  { timestamps: true, strict: true, toJSON: jsonWithout() },
);

finalCompositeSchema.pre<FinalCompositeDocument>('validate', function () {
  if (this.source !== 'legacy' && !this.sessionId) {
    this.invalidate(
      'sessionId',
      'sessionId is required unless the composite was migrated from a Photo',
    );
  }
});

// My Gallery (GET /composites): own composites, newest first.
finalCompositeSchema.index({ userId: 1, createdAt: -1 });
// Explore sort=recent: public composites, newest first.
finalCompositeSchema.index({ isPublic: 1, createdAt: -1 });
// Explore sort=popular with a (likes, _id) cursor.
finalCompositeSchema.index({ isPublic: 1, likes: -1, _id: -1 });
// A session's composite (GET /sessions/:id/composite, session delete).
finalCompositeSchema.index({ sessionId: 1 });
// Template usage statistics and the admin dashboard's per-template counts.
finalCompositeSchema.index({ templateId: 1, createdAt: -1 });
// Admin dashboard: composites since a date (today, this week) and the newest ones.
finalCompositeSchema.index({ createdAt: -1 });
// File access: is the stored file behind a plain /uploads URL part of a public composite?
finalCompositeSchema.index({ compositeKey: 1 });
finalCompositeSchema.index({ thumbnailKey: 1 });
// Idempotent server render: one composite per render job.
finalCompositeSchema.index(
  { renderJobId: 1 },
  { unique: true, partialFilterExpression: { renderJobId: { $type: 'string' } } },
);
// Idempotent Photo migration: one composite per legacy photo.
finalCompositeSchema.index(
  { legacyPhotoId: 1 },
  { unique: true, partialFilterExpression: { legacyPhotoId: { $type: 'string' } } },
);

export type FinalComposite = InferSchemaType<typeof finalCompositeSchema>;
export type FinalCompositeDocument = HydratedDocument<FinalComposite>;
export const FinalCompositeModel = mongoose.model('FinalComposite', finalCompositeSchema);
