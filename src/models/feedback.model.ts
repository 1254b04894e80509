import mongoose, { Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';
import { FEEDBACK_STATUSES } from './enums';
import { emailPath, jsonWithout } from './schema-helpers';

/** The public contact form; no account needed to send. */
const feedbackSchema = new Schema(
  {
    name: { type: String, required: true, trim: true, maxlength: 100 },
    email: emailPath,
    message: { type: String, required: true, trim: true, maxlength: 5000 },
    status: { type: String, enum: FEEDBACK_STATUSES, required: true, default: 'unread' },
    replyMessage: { type: String, trim: true, maxlength: 5000 },
    repliedAt: { type: Date },
    repliedBy: { type: Schema.Types.ObjectId, ref: 'User' },
  },
  { timestamps: true, strict: true, toJSON: jsonWithout() },
);

// Admin feedback list, optionally by status, newest first.
feedbackSchema.index({ status: 1, createdAt: -1 });
// Admin feedback list without a status filter, newest first.
feedbackSchema.index({ createdAt: -1 });

export type Feedback = InferSchemaType<typeof feedbackSchema>;
export type FeedbackDocument = HydratedDocument<Feedback>;
export const FeedbackModel = mongoose.model('Feedback', feedbackSchema);
