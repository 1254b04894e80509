import mongoose, { Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';
import { CAPTURE_SOURCES } from './enums';
import { jsonWithout, wholeNumber } from './schema-helpers';

const capturedPhotoMetadataSchema = new Schema(
  {
    width: { type: Number, min: 1, validate: wholeNumber },
    height: { type: Number, min: 1, validate: wholeNumber },
    fileSize: { type: Number, min: 0, validate: wholeNumber },
    format: { type: String, trim: true, lowercase: true, maxlength: 20 },
    capturedAt: { type: Date },
    uploadedAt: { type: Date },
    // The slot the client meant; more reliable than `order` (CONTRACT §7.1).
    photoNumber: { type: Number, min: 1, validate: wholeNumber },
    isRetake: { type: Boolean, default: false },
    source: { type: String, enum: CAPTURE_SOURCES, default: 'camera' },
  },
  { _id: false, strict: true },
);

const focusPointSchema = new Schema(
  {
    x: { type: Number, min: 0, max: 1, required: true },
    y: { type: Number, min: 0, max: 1, required: true },
  },
  { _id: false, strict: true },
);

const capturedPhotoSchema = new Schema(
  {
    sessionId: { type: String, required: true, trim: true },
    userId: { type: String, required: true, trim: true },
    photoUrl: { type: String, required: true, trim: true },
    thumbnailUrl: { type: String, trim: true, default: null },
    // Storage keys (not URLs): what the render and thumbnail jobs read and what deletion removes.
    photoKey: { type: String, trim: true },
    thumbnailKey: { type: String, trim: true },
    // True while photoKey is the checked original in the private `incoming` folder, until the
    // normalize-capture job swaps in the upright, metadata-free JPEG.
    processing: { type: Boolean },
    // As sent by the client; may repeat (1, 1, 2), so it is never unique.
    order: { type: Number, required: true, min: 1, validate: wholeNumber },
    // The frame slot this photo fills (metadata.photoNumber when present, else order).
    slot: { type: Number, min: 1, validate: wholeNumber },
    metadata: { type: capturedPhotoMetadataSchema, default: () => ({}) },
    // Where the subject is (fractions of the upright photo), found once by the normalise job;
    // renders crop around it instead of the centre. Null until then (centre crop).
    focus: { type: focusPointSchema, default: null },
  },
  { timestamps: true, strict: true, toJSON: jsonWithout() },
);

// A session's photos in order (render, session delete, retake lookup).
capturedPhotoSchema.index({ sessionId: 1, order: 1 });
// One photo per slot: concurrent uploads for the same slot cannot both take it (the loser moves on).
capturedPhotoSchema.index(
  { sessionId: 1, slot: 1 },
  { unique: true, partialFilterExpression: { slot: { $type: 'number' } } },
);

export type CapturedPhoto = InferSchemaType<typeof capturedPhotoSchema>;
export type CapturedPhotoDocument = HydratedDocument<CapturedPhoto>;
export const CapturedPhotoModel = mongoose.model('CapturedPhoto', capturedPhotoSchema);
