import mongoose, { Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';
import { DAILY_LIMITS, PACKAGE_TYPES, USAGE_DATE_PATTERN } from './enums';
import { jsonWithout, wholeNumber } from './schema-helpers';

// Limits are a non-negative whole number or null (UNLIMITED, see enums.ts); min/validators skip null.
const usageLimitSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    // The Asia/Jakarta calendar day, YYYY-MM-DD.
    date: {
      type: String,
      required: true,
      validate: { validator: isCalendarDate, message: 'date must be a calendar day as YYYY-MM-DD' },
    },
    aiGenerationCount: { type: Number, default: 0, min: 0, validate: wholeNumber },
    aiGenerationLimit: {
      type: Number,
      default: DAILY_LIMITS.free.aiGenerationLimit,
      min: 0,
      validate: wholeNumber,
    },
    frameUploadCount: { type: Number, default: 0, min: 0, validate: wholeNumber },
    frameUploadLimit: {
      type: Number,
      default: DAILY_LIMITS.free.frameUploadLimit,
      min: 0,
      validate: wholeNumber,
    },
    packageType: { type: String, enum: PACKAGE_TYPES, required: true, default: 'free' },
  },
  { timestamps: true, strict: true, toJSON: jsonWithout() },
);

function isCalendarDate(value: string): boolean {
  if (!USAGE_DATE_PATTERN.test(value)) return false;
  return new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
}

// Today's counter for a user (upserted); one document per user per day.
usageLimitSchema.index({ userId: 1, date: 1 }, { unique: true });

export type UsageLimit = InferSchemaType<typeof usageLimitSchema>;
export type UsageLimitDocument = HydratedDocument<UsageLimit>;
export const UsageLimitModel = mongoose.model('UsageLimit', usageLimitSchema);
