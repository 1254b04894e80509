import mongoose, { Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';
import { FRAME_COUNT_RANGES, FRAME_LAYOUTS, SUBMISSION_STATUSES } from './enums';
import {
  addSlotCountRule,
  frameSlotPaths,
  jsonWithout,
  layoutPositionSchema,
} from './schema-helpers';

const slotPaths = frameSlotPaths(FRAME_COUNT_RANGES.userSubmittedFrame);

function unlessProcessing(this: { processing?: boolean }): boolean {
  return this.processing !== true;
}

/** A frame a user submits for moderation; approval creates a Template (Template.sourceSubmissionId). */
const userSubmittedFrameSchema = new Schema(
  {
    // A string (CONTRACT §17) that still populates from User for the moderation queue.
    userId: { type: String, required: true, trim: true, ref: 'User' },
    name: { type: String, required: true, trim: true, maxlength: 100 },
    description: { type: String, trim: true, maxlength: 1000 },
    // Files are private until approval (folder 'submissions'): the keys are what the API signs;
    // the URLs are their addresses.
    frameUrl: { type: String, required: true, trim: true },
    thumbnail: { type: String, required: true, trim: true },
    frameKey: { type: String, trim: true },
    thumbnailKey: { type: String, trim: true },
    // The frame rendered with sample photos in its slots (a job makes it; admins see it).
    previewKey: { type: String, trim: true },
    // Until the normalize-submission-frame job has run: the original may sit in `incoming/`, and
    // the slots may be unknown yet (found in the frame's transparency by the job).
    processing: { type: Boolean },
    ...slotPaths,
    frameCount: { ...slotPaths.frameCount, required: unlessProcessing },
    layout: { type: String, enum: FRAME_LAYOUTS, required: unlessProcessing },
    frameSpec: { type: Schema.Types.Mixed, required: true },
    // Photo holes found in the frame's alpha channel when they differ from layoutPositions.
    suggestedLayoutPositions: { type: [layoutPositionSchema], default: undefined },
    status: { type: String, enum: SUBMISSION_STATUSES, required: true, default: 'pending' },
    isPremium: { type: Boolean, default: false },
    rejectionReason: { type: String, trim: true, maxlength: 1000 },
    approvedAt: { type: Date },
    approvedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    rejectedAt: { type: Date },
    rejectedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    // The Template created on approval.
    templateId: { type: Schema.Types.ObjectId, ref: 'Template' },
  },
  { timestamps: true, strict: true, toJSON: jsonWithout() },
);

addSlotCountRule(userSubmittedFrameSchema);

// Admin moderation queue (GET /admin/frame-submissions?status=pending), newest first.
userSubmittedFrameSchema.index({ status: 1, createdAt: -1 });
// A user's submissions (GET /user-submissions/frames), newest first.
userSubmittedFrameSchema.index({ userId: 1, createdAt: -1 });

export type UserSubmittedFrame = InferSchemaType<typeof userSubmittedFrameSchema>;
export type UserSubmittedFrameDocument = HydratedDocument<UserSubmittedFrame>;
export const UserSubmittedFrameModel = mongoose.model(
  'UserSubmittedFrame',
  userSubmittedFrameSchema,
);
