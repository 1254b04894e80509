import mongoose, { Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';
import { LANGUAGES, LOGIN_HISTORY_LIMIT, LOGIN_METHODS, THEMES, USER_ROLES } from './enums';
import { emailPath, jsonWithout } from './schema-helpers';

/** Never serialized, whatever the projection. */
export const USER_SECRET_PATHS = [
  'password',
  'isDeleted',
  'loginHistory',
  'passwordChangedAt',
  'tokenVersion',
  'emailVerificationTokenHash',
  'emailVerificationExpiresAt',
  'passwordResetTokenHash',
  'passwordResetExpiresAt',
] as const;

const loginEntrySchema = new Schema(
  {
    loginAt: { type: Date, required: true, default: Date.now },
    ipAddress: { type: String, maxlength: 64 },
    userAgent: { type: String, maxlength: 512 },
    method: { type: String, enum: LOGIN_METHODS },
  },
  { _id: false, strict: true },
);

const userSchema = new Schema(
  {
    name: { type: String, required: true, trim: true, maxlength: 50 },
    email: emailPath,
    // argon2id hash; absent for Google-only accounts (required rule below).
    password: { type: String, select: false },
    googleId: { type: String, trim: true },
    phone: { type: String, trim: true, maxlength: 20 },
    profilePicture: { type: String, trim: true },
    role: { type: String, enum: USER_ROLES, default: 'user', required: true },
    isEmailVerified: { type: Boolean, default: false },
    isActive: { type: Boolean, default: true },
    isDeleted: { type: Boolean, default: false, select: false },
    deletedAt: { type: Date, default: null },
    isPremium: { type: Boolean, default: false },
    premiumExpiresAt: { type: Date, default: null },
    lastLogin: { type: Date, default: null },
    loginHistory: {
      type: [loginEntrySchema],
      default: [],
      select: false,
      validate: {
        validator: (entries: unknown[]) => entries.length <= LOGIN_HISTORY_LIMIT,
        message: `loginHistory keeps at most ${LOGIN_HISTORY_LIMIT} entries`,
      },
    },
    settings: {
      notifications: {
        emailNotifications: { type: Boolean, default: true },
        templateAlerts: { type: Boolean, default: true },
        weeklyReports: { type: Boolean, default: false },
      },
      theme: {
        theme: { type: String, enum: THEMES, default: 'dark' },
        language: { type: String, enum: LANGUAGES, default: 'en' },
      },
    },
    // Tokens issued before this instant are rejected (CONTRACT §19.18).
    passwordChangedAt: { type: Date, select: false },
    // Incremented to revoke every token of the account at once.
    tokenVersion: { type: Number, default: 0, min: 0, select: false },
    // Only sha256 hashes are stored, so a database leak does not yield usable links.
    emailVerificationTokenHash: { type: String, select: false },
    emailVerificationExpiresAt: { type: Date, select: false },
    passwordResetTokenHash: { type: String, select: false },
    passwordResetExpiresAt: { type: Date, select: false },
  },
  { timestamps: true, strict: true, toJSON: jsonWithout(USER_SECRET_PATHS) },
);

// Checked only for new accounts: an existing user loaded without the (unselected) hash must stay savable.
userSchema.pre<UserDocument>('validate', function () {
  if (this.isNew && !this.googleId && !this.password) {
    this.invalidate('password', 'password is required unless the account signs in with Google');
  }
});

// Login and registration: find by e-mail; one account per address.
userSchema.index({ email: 1 }, { unique: true });
// Google sign-in: find by googleId; unique only among accounts that have one.
userSchema.index(
  { googleId: 1 },
  { unique: true, partialFilterExpression: { googleId: { $type: 'string' } } },
);
// Admin user list (/users/all): not deleted, newest first.
userSchema.index({ isDeleted: 1, createdAt: -1 });
// Admin dashboard: accounts that signed in recently.
userSchema.index({ isDeleted: 1, lastLogin: -1 });
// Announcements to Pro users: Pro accounts not deleted, walked in _id order (equality, then the
// sort), so a delivery reads the Pro accounts only, not every account.
userSchema.index({ isPremium: 1, isDeleted: 1, _id: 1 });

export type User = InferSchemaType<typeof userSchema>;
export type UserDocument = HydratedDocument<User>;
export const UserModel = mongoose.model('User', userSchema);
