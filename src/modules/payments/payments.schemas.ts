import Joi from 'joi';
import { GATEWAY_METHODS, type GatewayMethod } from '../../config';
import { objectId, pageFields } from '../../lib/schemas';
import { PAYMENT_STATUSES, type PaymentStatus } from '../../models/enums';

/**
 * The client sends the whole package (#33); only the type is checked, because the server decides
 * name, amount and duration from configuration (the client's `amount` and `durationMonths` are
 * dropped with every other unknown key). `bankName` picks a destination account.
 */
export interface CreatePaymentInput {
  packageType: 'pro';
  packageName?: string;
  bankName?: string;
}

export const createPaymentBody = Joi.object<CreatePaymentInput, true>({
  packageType: Joi.string().valid('pro').required().messages({
    'any.required': 'packageType is required',
    'any.only': 'Only the "pro" package can be bought',
  }),
  packageName: Joi.string().valid('KaryaKlik Pro').messages({
    'any.only': 'Unknown package; the package is "KaryaKlik Pro"',
  }),
  bankName: Joi.string().trim().min(1).max(100),
});

export interface UploadProofInput {
  paymentId: string;
}

export const uploadProofBody = Joi.object<UploadProofInput, true>({
  paymentId: objectId.required().messages({ 'any.required': 'paymentId is required' }),
});

export interface GatewayPaymentInput {
  method: GatewayMethod;
}

export const gatewayPaymentBody = Joi.object<GatewayPaymentInput, true>({
  method: Joi.string()
    .valid(...GATEWAY_METHODS)
    .required(),
});

/** Midtrans posts more fields; these are the ones the signature and the decision use. */
export interface NotificationInput {
  order_id: string;
  status_code: string;
  gross_amount: string;
  signature_key: string;
  transaction_status: string;
  fraud_status?: string;
}

export const notificationBody = Joi.object<NotificationInput, true>({
  order_id: Joi.string().max(100).required(),
  status_code: Joi.string().max(10).required(),
  gross_amount: Joi.string().max(30).required(),
  signature_key: Joi.string().hex().max(256).required(),
  transaction_status: Joi.string().max(50).required(),
  fraud_status: Joi.string().max(50),
});

export interface AdminPaymentsQuery {
  status?: PaymentStatus;
  page: number;
  limit: number;
}

export const adminPaymentsQuery = Joi.object<AdminPaymentsQuery, true>({
  // The client's "all" tab sends no status; an empty value or "all" means the same.
  status: Joi.string()
    .valid(...PAYMENT_STATUSES)
    .empty(Joi.valid('', 'all')),
  ...pageFields(20),
});

export interface ApproveInput {
  adminNotes?: string;
}

export const approveBody = Joi.object<ApproveInput, true>({
  adminNotes: Joi.string().trim().max(2000).allow(''),
});

export interface RejectInput {
  rejectionReason: string;
  adminNotes?: string;
}

export const rejectBody = Joi.object<RejectInput, true>({
  rejectionReason: Joi.string().trim().min(1).max(1000).required().messages({
    'any.required': 'Rejection reason is required',
    'string.empty': 'Rejection reason is required',
  }),
  adminNotes: Joi.string().trim().max(2000).allow(''),
});
