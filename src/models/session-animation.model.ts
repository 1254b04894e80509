import mongoose, { Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';
import { ANIMATION_FORMATS, ANIMATION_KINDS, RENDER_STATUSES } from './enums';
import { jsonWithout, wholeNumber } from './schema-helpers';

/**
 * An animation of a session's captures in its frame (GIF-style or boomerang), rendered by a job.
 * One document per session, kind and format: a second request answers the same one, and a new
 * attempt after a failure reuses it with the next job id.
 */
const sessionAnimationSchema = new Schema(
  {
    sessionId: { type: String, required: true, trim: true },
    userId: { type: String, required: true, trim: true },
    kind: { type: String, enum: ANIMATION_KINDS, required: true },
    format: { type: String, enum: ANIMATION_FORMATS, required: true },
    status: { type: String, enum: RENDER_STATUSES, default: 'queued', required: true },
    progress: { type: Number, min: 0, max: 100, default: 0 },
    error: { type: String, maxlength: 1000, default: null },
    jobId: { type: String, required: true, trim: true },
    attempt: { type: Number, min: 1, default: 1, validate: wholeNumber },
    fileKey: { type: String, trim: true, default: null },
    width: { type: Number, min: 1, validate: wholeNumber },
    height: { type: Number, min: 1, validate: wholeNumber },
    fileSize: { type: Number, min: 0, validate: wholeNumber },
    frameCount: { type: Number, min: 1, validate: wholeNumber },
    frameDelayMs: { type: Number, min: 1, validate: wholeNumber },
  },
  { timestamps: true, strict: true, toJSON: jsonWithout() },
);

// One animation per session, kind and format; concurrent requests cannot create two.
sessionAnimationSchema.index({ sessionId: 1, kind: 1, format: 1 }, { unique: true });
// The job finds its document; one document per job.
sessionAnimationSchema.index({ jobId: 1 }, { unique: true });
// Gallery pages attach the animations of their sessions; exports walk a user's animations.
sessionAnimationSchema.index({ userId: 1, sessionId: 1 });
// File access: is this animation file part of an open composite's session?
sessionAnimationSchema.index({ fileKey: 1 });

export type SessionAnimation = InferSchemaType<typeof sessionAnimationSchema>;
export type SessionAnimationDocument = HydratedDocument<SessionAnimation>;
export const SessionAnimationModel = mongoose.model('SessionAnimation', sessionAnimationSchema);
