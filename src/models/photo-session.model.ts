import mongoose, { Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';
import { RENDER_STATUSES, SESSION_STATUSES } from './enums';
import { jsonWithout, wholeNumber } from './schema-helpers';

// The client merges its own keys into metadata (photoCount, templateName, startedAt, …) and reads
// them back, so unknown keys are kept here; the known ones are typed and validated.
const sessionMetadataSchema = new Schema(
  {
    totalPhotos: { type: Number, default: 0, min: 0, validate: wholeNumber },
    photoCount: { type: Number, min: 0, validate: wholeNumber },
    templateName: { type: String, trim: true, maxlength: 200 },
    deviceInfo: { type: Schema.Types.Mixed },
    location: { type: Schema.Types.Mixed },
    // Seconds from start to completion.
    duration: { type: Number, min: 0 },
  },
  { _id: false, strict: false },
);

const photoSessionSchema = new Schema(
  {
    // Plain strings (CONTRACT §2): templateId may be free-form, e.g. `ai-generated-<ts>` or a user-frame id.
    userId: { type: String, required: true, trim: true },
    templateId: { type: String, required: true, trim: true, maxlength: 200 },
    sessionName: { type: String, required: true, trim: true, maxlength: 100 },
    status: { type: String, enum: SESSION_STATUSES, default: 'active', required: true },
    capturedPhotos: { type: [String], default: [] },
    finalComposite: { type: String, default: null },
    metadata: { type: sessionMetadataSchema, default: () => ({}) },
    startedAt: { type: Date, default: Date.now },
    completedAt: { type: Date, default: null },
    renderStatus: { type: String, enum: [...RENDER_STATUSES, null], default: null },
    renderProgress: { type: Number, min: 0, max: 100, default: 0 },
    renderError: { type: String, maxlength: 1000, default: null },
    renderJobId: { type: String, default: null },
  },
  { timestamps: true, strict: true, toJSON: jsonWithout() },
);

// A user's sessions (GET /sessions?status=…), newest first.
photoSessionSchema.index({ userId: 1, status: 1, createdAt: -1 });
// Funnel: sessions started in a date range, overall and of one template.
photoSessionSchema.index({ createdAt: -1 });
photoSessionSchema.index({ templateId: 1, createdAt: -1 });

export type PhotoSession = InferSchemaType<typeof photoSessionSchema>;
export type PhotoSessionDocument = HydratedDocument<PhotoSession>;
export const PhotoSessionModel = mongoose.model('PhotoSession', photoSessionSchema);
