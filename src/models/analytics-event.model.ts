import mongoose, { Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';
import { ANALYTICS_FIELD_MAX_LENGTH, ANALYTICS_TTL_SECONDS } from './enums';
import { jsonWithout } from './schema-helpers';

/** Event types are open-ended (custom events allowed); ANALYTICS_EVENT_TYPES lists the known ones. */
const analyticsEventSchema = new Schema(
  {
    eventType: { type: String, required: true, trim: true, maxlength: ANALYTICS_FIELD_MAX_LENGTH },
    eventCategory: {
      type: String,
      required: true,
      trim: true,
      maxlength: ANALYTICS_FIELD_MAX_LENGTH,
    },
    // Optional: anonymous events carry no user.
    userId: { type: String, trim: true, maxlength: 100 },
    sessionId: { type: String, trim: true, maxlength: 100 },
    templateId: { type: String, trim: true, maxlength: 200 },
    metadata: { type: Schema.Types.Mixed },
    deviceInfo: { type: Schema.Types.Mixed },
    ipAddress: { type: String, trim: true, maxlength: 64 },
    referrer: { type: String, trim: true, maxlength: 2048 },
    timestamp: { type: Date, required: true, default: Date.now },
  },
  { timestamps: true, strict: true, toJSON: jsonWithout() },
);

// Retention: MongoDB deletes an event 90 days after its timestamp.
analyticsEventSchema.index({ timestamp: 1 }, { expireAfterSeconds: ANALYTICS_TTL_SECONDS });
// Dashboard: events by type over a time range.
analyticsEventSchema.index({ eventType: 1, timestamp: 1 });
// Dashboard: events by category over a time range.
analyticsEventSchema.index({ eventCategory: 1, timestamp: 1 });
// Template popularity over a time range.
analyticsEventSchema.index({ templateId: 1, timestamp: 1 });
// A user's activity (/users/:id/activities) and unique users over a range.
analyticsEventSchema.index({ userId: 1, timestamp: 1 });
// Funnel: did the client report a download of a session's composite?
analyticsEventSchema.index({ sessionId: 1, eventType: 1 });

export type AnalyticsEvent = InferSchemaType<typeof analyticsEventSchema>;
export type AnalyticsEventDocument = HydratedDocument<AnalyticsEvent>;
export const AnalyticsEventModel = mongoose.model('AnalyticsEvent', analyticsEventSchema);
