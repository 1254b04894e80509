import mongoose, { Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';
import { jsonWithout } from './schema-helpers';

/**
 * One opaque refresh token (only its sha256 is stored). Tokens of one sign-in form a family:
 * each use rotates the token (replacedBy points at the successor), and presenting a token that
 * was already rotated revokes the whole family, since one of the two holders is a thief.
 */
const refreshTokenSchema = new Schema(
  {
    tokenHash: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    familyId: { type: String, required: true },
    parentId: { type: Schema.Types.ObjectId, default: null },
    // The account's tokenVersion at issue; a bump (password change, logout everywhere) kills it.
    tokenVersion: { type: Number, required: true, min: 0 },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
    replacedBy: { type: Schema.Types.ObjectId, default: null },
    revokedAt: { type: Date, default: null },
    userAgent: { type: String, maxlength: 512 },
    ipAddress: { type: String, maxlength: 64 },
  },
  { timestamps: true, strict: true, toJSON: jsonWithout(['tokenHash']) },
);

// Rotation and reuse detection: find by hash.
refreshTokenSchema.index({ tokenHash: 1 }, { unique: true });
// Reuse detection and logout revoke a whole family.
refreshTokenSchema.index({ familyId: 1 });
// Password change and "logout everywhere" revoke every token of a user.
refreshTokenSchema.index({ userId: 1 });
// Expired tokens are removed by MongoDB.
refreshTokenSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type RefreshToken = InferSchemaType<typeof refreshTokenSchema>;
export type RefreshTokenDocument = HydratedDocument<RefreshToken>;
export const RefreshTokenModel = mongoose.model('RefreshToken', refreshTokenSchema);
