import { Types } from 'mongoose';
import type { PaymentStatus } from '../../src/models/enums';
import { PaymentModel } from '../../src/models/payment.model';

type PaymentOverrides = Record<string, unknown> & { status?: PaymentStatus };

/** A stored payment of `userId` (default: awaiting verification, as after a proof upload). */
export async function seedPayment(userId: unknown, overrides: PaymentOverrides = {}) {
  const status: PaymentStatus = overrides.status ?? 'pending_verification';
  return PaymentModel.create({
    userId: new Types.ObjectId(String(userId)),
    amount: 150000,
    durationMonths: 1,
    isOpen: status === 'pending_payment' || status === 'pending_verification',
    method: 'bank_transfer',
    paymentProofUploadedAt: status === 'pending_verification' ? new Date() : null,
    ...overrides,
    status,
  });
}
