import mongoose, { Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';
import { jsonWithout, wholeNumber } from './schema-helpers';

export const ANNOUNCEMENT_AUDIENCES = ['all', 'pro'] as const;
export type AnnouncementAudience = (typeof ANNOUNCEMENT_AUDIENCES)[number];
export const ANNOUNCEMENT_STATUSES = ['queued', 'sending', 'completed', 'failed'] as const;
export type AnnouncementStatus = (typeof ANNOUNCEMENT_STATUSES)[number];

/**
 * A system notification an admin sends to every user or to Pro users, delivered by a job in
 * batches of users ordered by `_id`. `lastId` is the last user whose batch was written: a retried
 * or crashed job resumes after it, and the unique (announcementId, userId) index on notifications
 * makes a re-sent batch a no-op.
 */
const announcementSchema = new Schema(
  {
    title: { type: String, required: true, trim: true, maxlength: 200 },
    message: { type: String, required: true, trim: true, maxlength: 2000 },
    // A client route or URL the notification opens.
    link: { type: String, trim: true, maxlength: 2048 },
    audience: { type: String, enum: ANNOUNCEMENT_AUDIENCES, required: true },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    status: { type: String, enum: ANNOUNCEMENT_STATUSES, default: 'queued', required: true },
    // Pro means Pro at this instant, on every attempt, so a retry reaches the same audience.
    audienceAsOf: { type: Date, required: true },
    delivered: { type: Number, min: 0, default: 0, validate: wholeNumber },
    lastId: { type: Schema.Types.ObjectId, default: null },
    jobId: { type: String, trim: true },
    startedAt: { type: Date, default: null },
    completedAt: { type: Date, default: null },
    error: { type: String, maxlength: 1000, default: null },
  },
  { timestamps: true, strict: true, toJSON: jsonWithout() },
);

// The admin list, newest first.
announcementSchema.index({ createdAt: -1 });

export type Announcement = InferSchemaType<typeof announcementSchema>;
export type AnnouncementDocument = HydratedDocument<Announcement>;
export const AnnouncementModel = mongoose.model('Announcement', announcementSchema);
