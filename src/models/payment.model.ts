import mongoose, { Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';
import {
  PAYMENT_BANK_DEFAULTS,
  PAYMENT_DURATION_MONTHS,
  PAYMENT_METHODS,
  PAYMENT_PACKAGE_NAMES,
  PAYMENT_PACKAGE_TYPES,
  PAYMENT_STATUSES,
} from './enums';
import { jsonWithout, wholeNumber } from './schema-helpers';

/** What the gateway answered when the payment was charged, and what the payer needs. */
const gatewaySchema = new Schema(
  {
    provider: { type: String, enum: ['midtrans'], required: true },
    orderId: { type: String, required: true, trim: true },
    // qris, bca_va, …
    channel: { type: String, required: true, trim: true },
    transactionId: { type: String, trim: true },
    transactionStatus: { type: String, trim: true },
    qrString: { type: String },
    qrImageUrl: { type: String, trim: true },
    bank: { type: String, trim: true },
    vaNumber: { type: String, trim: true },
    expiresAt: { type: Date },
  },
  { _id: false, strict: true },
);

const paymentSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    packageName: {
      type: String,
      enum: PAYMENT_PACKAGE_NAMES,
      required: true,
      default: 'KaryaKlik Pro',
    },
    packageType: { type: String, enum: PAYMENT_PACKAGE_TYPES, required: true, default: 'pro' },
    // Whole rupiah (IDR has no minor unit in practice).
    amount: { type: Number, required: true, min: 1, validate: wholeNumber },
    durationMonths: {
      type: Number,
      required: true,
      default: 1,
      min: PAYMENT_DURATION_MONTHS.min,
      max: PAYMENT_DURATION_MONTHS.max,
      validate: wholeNumber,
    },
    bankName: { type: String, trim: true, default: PAYMENT_BANK_DEFAULTS.bankName },
    bankAccountNumber: {
      type: String,
      trim: true,
      default: PAYMENT_BANK_DEFAULTS.bankAccountNumber,
    },
    bankAccountName: { type: String, trim: true, default: PAYMENT_BANK_DEFAULTS.bankAccountName },
    paymentProofUrl: { type: String, trim: true, default: null },
    paymentProofKey: { type: String, trim: true },
    paymentProofUploadedAt: { type: Date, default: null },
    status: { type: String, enum: PAYMENT_STATUSES, required: true, default: 'pending_payment' },
    // true exactly while the status is open (pending_payment, pending_verification); a unique
    // partial index on it keeps one open payment per user whatever the concurrency.
    isOpen: { type: Boolean, default: true },
    method: { type: String, enum: PAYMENT_METHODS, required: true, default: 'bank_transfer' },
    gateway: { type: gatewaySchema, default: undefined },
    // The deadline of pending_payment; the sweep expires the payment after it.
    expiresAt: { type: Date, default: null },
    expiredAt: { type: Date, default: null },
    rejectionReason: { type: String, trim: true, maxlength: 1000 },
    adminNotes: { type: String, trim: true, maxlength: 2000 },
    approvedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    approvedAt: { type: Date },
    rejectedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    rejectedAt: { type: Date },
    // Set by the conditional update that applies an approval to the user; null means not yet
    // applied, so a retried or concurrent approval applies the effect exactly once.
    appliedAt: { type: Date, default: null },
  },
  { timestamps: true, strict: true, toJSON: jsonWithout() },
);

// A user's payments (GET /payments) and the "already have a pending payment" check.
paymentSchema.index({ userId: 1, status: 1, createdAt: -1 });
// One open payment per user (CONTRACT #33): the database refuses a second one.
paymentSchema.index(
  { userId: 1 },
  { unique: true, partialFilterExpression: { isOpen: true }, name: 'one_open_payment_per_user' },
);
// The gateway's notifications name the payment by its order id.
paymentSchema.index(
  { 'gateway.orderId': 1 },
  { unique: true, partialFilterExpression: { 'gateway.orderId': { $type: 'string' } } },
);
// The expiry sweep: open payments past their deadline.
paymentSchema.index({ status: 1, expiresAt: 1 });
// Admin review queue (GET /admin/payments?status=…), newest first.
paymentSchema.index({ status: 1, createdAt: -1 });
// Revenue by day and the funnel's Pro step: payments approved in a date range.
paymentSchema.index({ status: 1, approvedAt: 1 });

export type Payment = InferSchemaType<typeof paymentSchema>;
export type PaymentDocument = HydratedDocument<Payment>;
export const PaymentModel = mongoose.model('Payment', paymentSchema);
