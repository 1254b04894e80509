import mongoose, { Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';
import { NOTIFICATION_TYPES } from './enums';
import { jsonWithout } from './schema-helpers';

const notificationSchema = new Schema(
  {
    userId: { type: String, required: true, trim: true },
    title: { type: String, required: true, trim: true, maxlength: 200 },
    message: { type: String, required: true, trim: true, maxlength: 2000 },
    type: { type: String, enum: NOTIFICATION_TYPES, required: true, default: 'system' },
    isRead: { type: Boolean, default: false },
    readAt: { type: Date, default: null },
    data: { type: Schema.Types.Mixed },
    // A client route to open, e.g. /my-account.
    actionUrl: { type: String, trim: true, maxlength: 2048 },
    // A rolling summary (sign-ins, sign-ups): `<kind>:<window start>`, one per admin and window.
    summaryKey: { type: String, trim: true, maxlength: 100 },
    // The announcement this notification delivers (one per user and announcement).
    announcementId: { type: String, trim: true, maxlength: 24 },
  },
  { timestamps: true, strict: true, toJSON: jsonWithout() },
);

// The bell (GET /notifications), the unread count and mark-all-read: a user's, by read state, newest first.
notificationSchema.index({ userId: 1, isRead: 1, createdAt: -1 });
// One summary notification per admin and window, whatever the concurrency.
notificationSchema.index(
  { userId: 1, summaryKey: 1 },
  { unique: true, partialFilterExpression: { summaryKey: { $type: 'string' } } },
);

// An announcement reaches each user once, whatever the retries or concurrent deliveries; also
// counts an announcement's deliveries. Partial: only notifications that deliver one are indexed.
notificationSchema.index(
  { announcementId: 1, userId: 1 },
  { unique: true, partialFilterExpression: { announcementId: { $type: 'string' } } },
);

export type Notification = InferSchemaType<typeof notificationSchema>;
export type NotificationDocument = HydratedDocument<Notification>;
export const NotificationModel = mongoose.model('Notification', notificationSchema);
