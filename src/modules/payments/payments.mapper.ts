import { Types } from 'mongoose';
import type { FileStorage } from '../../lib/storage';

/** The stored payment fields the mappers read (lean documents). */
export interface PaymentRecord {
  _id: Types.ObjectId | string;
  userId: Types.ObjectId | string | PopulatedUser | null;
  packageName: string;
  packageType: string;
  amount: number;
  durationMonths: number;
  bankName?: string | null;
  bankAccountNumber?: string | null;
  bankAccountName?: string | null;
  paymentProofKey?: string | null;
  paymentProofUrl?: string | null;
  paymentProofUploadedAt?: Date | null;
  status: string;
  method?: string | null;
  gateway?: GatewayRecord | null;
  rejectionReason?: string | null;
  adminNotes?: string | null;
  approvedBy?: Types.ObjectId | string | PopulatedUser | null;
  approvedAt?: Date | null;
  rejectedBy?: Types.ObjectId | string | PopulatedUser | null;
  rejectedAt?: Date | null;
  expiresAt?: Date | null;
  expiredAt?: Date | null;
  createdAt?: Date | null;
  updatedAt?: Date | null;
}

interface GatewayRecord {
  provider?: string | null;
  orderId?: string | null;
  channel?: string | null;
  transactionStatus?: string | null;
  qrString?: string | null;
  qrImageUrl?: string | null;
  bank?: string | null;
  vaNumber?: string | null;
  expiresAt?: Date | null;
}

interface PopulatedUser {
  _id: Types.ObjectId | string;
  name?: string | null;
  email?: string | null;
}

export interface PaymentGatewayDto {
  provider: string;
  orderId: string;
  channel: string;
  transactionStatus: string | null;
  qrString: string | null;
  qrImageUrl: string | null;
  bank: string | null;
  vaNumber: string | null;
  expiresAt: Date | null;
}

export interface PaymentDto {
  _id: string;
  id: string;
  userId: string;
  packageName: string;
  packageType: string;
  amount: number;
  durationMonths: number;
  bankName: string | null;
  bankAccountNumber: string | null;
  bankAccountName: string | null;
  /** A signed, expiring URL (the proof is private); null before an upload. */
  paymentProofUrl: string | null;
  paymentProofUploadedAt: Date | null;
  status: string;
  method: string;
  gateway: PaymentGatewayDto | null;
  rejectionReason: string | null;
  adminNotes: string | null;
  approvedAt: Date | null;
  rejectedAt: Date | null;
  /** The deadline of a payment waiting for its transfer. */
  expiresAt: Date | null;
  expiredAt: Date | null;
  createdAt: Date | null;
  updatedAt: Date | null;
}

export interface PaymentUserRef {
  _id: string;
  id: string;
  name: string | null;
  /** The admin pages of the client read `username` in places (CONTRACT §19.6). */
  username: string | null;
  email: string | null;
}

export interface AdminPaymentDto extends Omit<PaymentDto, 'userId'> {
  userId: PaymentUserRef | null;
  approvedBy: PaymentUserRef | null;
  rejectedBy: PaymentUserRef | null;
}

function isPopulated(value: PaymentRecord['userId']): value is PopulatedUser {
  return typeof value === 'object' && value !== null && !(value instanceof Types.ObjectId);
}

function idOf(value: PaymentRecord['userId']): string {
  if (isPopulated(value)) return String(value._id);
  return value ? String(value) : '';
}

function userRef(value: PaymentRecord['approvedBy']): PaymentUserRef | null {
  if (!value) return null;
  if (isPopulated(value)) {
    const id = String(value._id);
    const name = value.name ?? null;
    return { _id: id, id, name, username: name, email: value.email ?? null };
  }
  const id = String(value);
  return { _id: id, id, name: null, username: null, email: null };
}

function proofUrl(payment: PaymentRecord, storage: FileStorage): string | null {
  const key =
    payment.paymentProofKey ??
    (payment.paymentProofUrl ? storage.keyFromUrl(payment.paymentProofUrl) : undefined);
  return key ? storage.signedUrl(key) : null;
}

function gatewayDto(gateway: GatewayRecord | null | undefined): PaymentGatewayDto | null {
  if (!gateway?.provider || !gateway.orderId) return null;
  return {
    provider: gateway.provider,
    orderId: gateway.orderId,
    channel: gateway.channel ?? '',
    transactionStatus: gateway.transactionStatus ?? null,
    qrString: gateway.qrString ?? null,
    qrImageUrl: gateway.qrImageUrl ?? null,
    bank: gateway.bank ?? null,
    vaNumber: gateway.vaNumber ?? null,
    expiresAt: gateway.expiresAt ?? null,
  };
}

/** The payer's view (CONTRACT #32–#35): every field the Upgrade page reads. */
export function toPaymentDto(payment: PaymentRecord, storage: FileStorage): PaymentDto {
  const id = String(payment._id);
  return {
    _id: id,
    id,
    userId: idOf(payment.userId),
    packageName: payment.packageName,
    packageType: payment.packageType,
    amount: payment.amount,
    durationMonths: payment.durationMonths,
    bankName: payment.bankName ?? null,
    bankAccountNumber: payment.bankAccountNumber ?? null,
    bankAccountName: payment.bankAccountName ?? null,
    paymentProofUrl: proofUrl(payment, storage),
    paymentProofUploadedAt: payment.paymentProofUploadedAt ?? null,
    status: payment.status,
    method: payment.method ?? 'bank_transfer',
    gateway: gatewayDto(payment.gateway),
    rejectionReason: payment.rejectionReason ?? null,
    adminNotes: payment.adminNotes ?? null,
    approvedAt: payment.approvedAt ?? null,
    rejectedAt: payment.rejectedAt ?? null,
    expiresAt: payment.expiresAt ?? null,
    expiredAt: payment.expiredAt ?? null,
    createdAt: payment.createdAt ?? null,
    updatedAt: payment.updatedAt ?? null,
  };
}

/** The review queue's view (CONTRACT #36): the payer and the deciding admins populated. */
export function toAdminPaymentDto(payment: PaymentRecord, storage: FileStorage): AdminPaymentDto {
  return {
    ...toPaymentDto(payment, storage),
    userId: userRef(payment.userId),
    approvedBy: userRef(payment.approvedBy),
    rejectedBy: userRef(payment.rejectedBy),
  };
}
