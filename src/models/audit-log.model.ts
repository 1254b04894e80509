import mongoose, { Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';
import { jsonWithout } from './schema-helpers';

/** Every decision an admin (or the payment gateway acting for one) takes. */
export const AUDIT_ACTIONS = [
  'payment.approve',
  'payment.reject',
  'user.premium.grant',
  'user.premium.revoke',
  'user.role',
  'user.block',
  'user.unblock',
  'user.delete',
  'submission.approve',
  'submission.reject',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_TARGET_TYPES = ['payment', 'user', 'submission'] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

/** Who decided: an admin account, or the system (the gateway's verified notification). */
export const AUDIT_ACTOR_KINDS = ['admin', 'system'] as const;

const auditLogSchema = new Schema(
  {
    actorKind: { type: String, enum: AUDIT_ACTOR_KINDS, required: true },
    actorId: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    // Kept as it was at the time: the account may be renamed or deleted later.
    actorName: { type: String, required: true, trim: true, maxlength: 100 },
    action: { type: String, enum: AUDIT_ACTIONS, required: true },
    targetType: { type: String, enum: AUDIT_TARGET_TYPES, required: true },
    targetId: { type: Schema.Types.ObjectId, required: true },
    // The user the decision is about (the payer of a payment, the account itself for user actions).
    subjectUserId: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    before: { type: Schema.Types.Mixed, default: {} },
    after: { type: Schema.Types.Mixed, default: {} },
    note: { type: String, trim: true, maxlength: 2000 },
  },
  { timestamps: { createdAt: true, updatedAt: false }, strict: true, toJSON: jsonWithout() },
);

// The admin list (GET /admin/audit), newest first, optionally by action.
auditLogSchema.index({ createdAt: -1, _id: -1 });
auditLogSchema.index({ action: 1, createdAt: -1 });
// The history of one payment or one account.
auditLogSchema.index({ targetType: 1, targetId: 1, createdAt: -1 });
auditLogSchema.index({ subjectUserId: 1, createdAt: -1 });
// What one admin did.
auditLogSchema.index({ actorId: 1, createdAt: -1 });

export type AuditLog = InferSchemaType<typeof auditLogSchema>;
export type AuditLogDocument = HydratedDocument<AuditLog>;
export const AuditLogModel = mongoose.model('AuditLog', auditLogSchema);
