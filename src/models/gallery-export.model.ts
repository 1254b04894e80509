import mongoose, { Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';
import { RENDER_STATUSES } from './enums';
import { jsonWithout, wholeNumber } from './schema-helpers';

/** A ZIP of a user's composites and animations, written by a job and fetched by signed link. */
const galleryExportSchema = new Schema(
  {
    userId: { type: String, required: true, trim: true },
    status: { type: String, enum: RENDER_STATUSES, default: 'queued', required: true },
    // Set while queued or active and removed when done: the unique partial index on it allows one
    // export in flight per user (a plain equality filter works on every MongoDB version).
    inFlight: { type: Boolean },
    jobId: { type: String, trim: true },
    progress: { type: Number, min: 0, max: 100, default: 0 },
    fileKey: { type: String, trim: true, default: null },
    fileSize: { type: Number, min: 0, validate: wholeNumber },
    itemCount: { type: Number, min: 0, validate: wholeNumber },
    expiresAt: { type: Date, default: null },
    error: { type: String, maxlength: 1000, default: null },
  },
  { timestamps: true, strict: true, toJSON: jsonWithout() },
);

// One export in flight per user.
galleryExportSchema.index(
  { userId: 1 },
  { unique: true, partialFilterExpression: { inFlight: true }, name: 'one_in_flight_per_user' },
);
// A user's exports, newest first.
galleryExportSchema.index({ userId: 1, createdAt: -1 });

export type GalleryExport = InferSchemaType<typeof galleryExportSchema>;
export type GalleryExportDocument = HydratedDocument<GalleryExport>;
export const GalleryExportModel = mongoose.model('GalleryExport', galleryExportSchema);
