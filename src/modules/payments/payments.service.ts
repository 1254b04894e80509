import mongoose, { Types } from 'mongoose';
import type { Config } from '../../config';
import { EXTENSION_OF, inspectImage } from '../../imaging/probe';
import type { AuthUser } from '../../lib/auth-user';
import { AppError } from '../../lib/errors';
import { isDuplicateKey } from '../../lib/error-mapping';
import type { Logger } from '../../lib/logger';
import type { FileStorage } from '../../lib/storage';
import { PaymentModel, type Payment } from '../../models/payment.model';
import { recordServerEvent } from '../analytics/server-events';
import { notifyAdmins } from '../notifications/notifications.service';
import { MidtransClient } from './midtrans/midtrans.client';
import { toPaymentDto, type PaymentDto, type PaymentRecord } from './payments.mapper';
import { formatRupiah } from './pro-term';

export interface PaymentDeps {
  config: Readonly<Config>;
  storage: FileStorage;
  logger: Logger;
}

const PROOF_FORMATS = ['jpeg', 'png'] as const;
const PROOF_STATUSES = ['pending_payment', 'rejected'] as const;

/** What is on sale, where to transfer, and whether the gateway is offered. */
export function listPackages(config: Readonly<Config>) {
  const { proPackage, bankAccounts, midtrans, deadlineHours } = config.payments;
  return {
    packages: [
      {
        packageName: proPackage.packageName,
        packageType: proPackage.packageType,
        amount: proPackage.price,
        currency: 'IDR',
        durationMonths: proPackage.durationMonths,
      },
    ],
    bankAccounts,
    paymentDeadlineHours: deadlineHours,
    gateway: { enabled: midtrans.enabled, methods: midtrans.enabled ? midtrans.methods : [] },
  };
}

/** #33: the open payment is answered with the duplicate, as the client expects. */
function alreadyOpen(existing: PaymentRecord, storage: FileStorage): AppError {
  return new AppError(400, 'CONFLICT', 'You already have a pending payment request', undefined, {
    payment: toPaymentDto(existing, storage),
  });
}

/**
 * Creates the user's one open payment. The unique partial index on open payments decides races:
 * the loser of two concurrent creations is answered with the winner's payment.
 */
export async function openPayment(
  actor: AuthUser,
  fields: Partial<Payment> & { _id?: Types.ObjectId },
  deps: PaymentDeps,
) {
  const existing = await PaymentModel.findOne({ userId: actor.id, isOpen: true }).lean();
  if (existing) throw alreadyOpen(existing, deps.storage);
  const { proPackage } = deps.config.payments;
  try {
    const created = await PaymentModel.create({
      ...fields,
      userId: actor.id,
      packageName: proPackage.packageName,
      packageType: proPackage.packageType,
      amount: proPackage.price,
      durationMonths: proPackage.durationMonths,
      status: 'pending_payment',
      isOpen: true,
    });
    await recordServerEvent({
      eventType: 'payment_created',
      eventCategory: 'payment',
      userId: actor.id,
      metadata: {
        paymentId: String(created._id),
        amount: created.amount,
        method: created.method,
      },
    }).catch((error: unknown) => deps.logger.warn({ err: error }, 'payment event not recorded'));
    return created.toObject();
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const winner = await PaymentModel.findOne({ userId: actor.id, isOpen: true }).lean();
    if (winner) throw alreadyOpen(winner, deps.storage);
    throw AppError.conflict('Another payment was being created at the same time; try again');
  }
}

/** #33: a bank-transfer payment; the server decides package, amount and duration. */
export async function createPayment(
  actor: AuthUser,
  input: { bankName?: string },
  deps: PaymentDeps,
): Promise<PaymentDto> {
  const accounts = deps.config.payments.bankAccounts;
  const account = input.bankName
    ? accounts.find((a) => a.bankName.toLowerCase() === input.bankName?.toLowerCase())
    : accounts[0];
  if (!account) {
    throw AppError.badRequest(
      `Unknown destination bank; choose one of: ${accounts.map((a) => a.bankName).join(', ')}`,
    );
  }
  const deadline = new Date(Date.now() + deps.config.payments.deadlineHours * 3600 * 1000);
  const payment = await openPayment(
    actor,
    { ...account, method: 'bank_transfer', expiresAt: deadline },
    deps,
  );
  return toPaymentDto(payment, deps.storage);
}

/** #32: the user's payments, newest first. */
export async function listMyPayments(actor: AuthUser, deps: PaymentDeps): Promise<PaymentDto[]> {
  const payments = await PaymentModel.find({ userId: actor.id })
    .sort({ createdAt: -1, _id: -1 })
    .limit(100)
    .lean();
  return payments.map((p) => toPaymentDto(p, deps.storage));
}

/**
 * #34: the transfer proof. Its bytes must be a complete JPEG or PNG within the size and pixel
 * limits; it is stored privately (handed out only as signed URLs) and the payment moves to
 * pending_verification by a conditional update. A refused file leaves nothing behind.
 */
export async function uploadPaymentProof(
  actor: AuthUser,
  input: { paymentId: string; file: Buffer | undefined },
  deps: PaymentDeps,
): Promise<PaymentDto> {
  const { storage } = deps;
  if (!input.file) {
    throw AppError.badRequest('No file uploaded. Send the image in the "paymentProof" field');
  }
  const payment = await PaymentModel.findOne({ _id: input.paymentId, userId: actor.id }).lean();
  if (!payment) throw AppError.notFound('Payment not found');
  if (payment.method !== 'bank_transfer') {
    throw AppError.badRequest('This payment is paid through the payment gateway; no proof needed');
  }
  if (!(PROOF_STATUSES as readonly string[]).includes(payment.status)) {
    throw AppError.badRequest(
      `A proof can be uploaded only while the payment awaits its transfer or after a rejection (status: ${payment.status})`,
    );
  }
  const info = await inspectImage(input.file, {
    maxBytes: deps.config.payments.proofMaxBytes,
    maxPixels: deps.config.files.maxImagePixels,
    formats: PROOF_FORMATS,
  });
  const stored = await storage.save('payment-proofs', EXTENSION_OF[info.format], input.file);
  const now = new Date();
  let before;
  try {
    before = await PaymentModel.findOneAndUpdate(
      {
        _id: payment._id,
        userId: actor.id,
        method: 'bank_transfer',
        status: mongoose.trusted({ $in: [...PROOF_STATUSES] }),
      },
      {
        $set: {
          status: 'pending_verification',
          isOpen: true,
          paymentProofKey: stored.key,
          paymentProofUrl: storage.publicUrl(stored.key),
          paymentProofUploadedAt: now,
          expiresAt: null,
        },
        $unset: { rejectionReason: 1, rejectedAt: 1, rejectedBy: 1 },
      },
      { returnDocument: 'before' },
    ).lean();
  } catch (error) {
    await storage.remove(stored.key);
    if (isDuplicateKey(error)) {
      // Re-opening a rejected payment while another one is open.
      const open = await PaymentModel.findOne({ userId: actor.id, isOpen: true }).lean();
      if (open) throw alreadyOpen(open, storage);
    }
    throw error;
  }
  if (!before) {
    await storage.remove(stored.key);
    throw AppError.badRequest('The payment changed meanwhile; reload and try again');
  }
  if (before.paymentProofKey && before.paymentProofKey !== stored.key) {
    await storage.remove(before.paymentProofKey);
  }
  await notifyAdmins(
    {
      title: 'New payment proof',
      message: `${actor.name} (${actor.email}) uploaded a transfer proof for KaryaKlik Pro, ${formatRupiah(payment.amount)}. Please verify it.`,
      type: 'system',
      actionUrl: '/admin/payments',
      data: { paymentId: String(payment._id), userId: actor.id, amount: payment.amount },
    },
    deps.logger,
  );
  const after = await PaymentModel.findById(payment._id).lean();
  if (!after) throw AppError.notFound('Payment not found');
  return toPaymentDto(after, storage);
}

/**
 * #35: only before a proof (pending_payment); the payment is deleted. A gateway order is expired
 * at the gateway first, so it cannot be paid after it disappeared here.
 */
export async function cancelPayment(
  actor: AuthUser,
  paymentId: string,
  deps: PaymentDeps,
): Promise<void> {
  const payment = await PaymentModel.findOne({ _id: paymentId, userId: actor.id }).lean();
  if (!payment) throw AppError.notFound('Payment not found');
  if (payment.status !== 'pending_payment') {
    throw AppError.badRequest('Can only cancel pending payments (before proof upload)');
  }
  const orderId = payment.gateway?.orderId;
  if (payment.method === 'midtrans' && orderId) {
    const client = new MidtransClient(deps.config.payments.midtrans);
    const status = await client.status(orderId);
    if (
      status &&
      !['pending', 'expire', 'cancel', 'deny', 'failure'].includes(status.transactionStatus)
    ) {
      throw AppError.badRequest(
        'This payment has already been paid at the gateway; it will be activated shortly',
      );
    }
    if (status?.transactionStatus === 'pending') await client.expire(orderId);
  }
  const result = await PaymentModel.deleteOne({
    _id: payment._id,
    userId: actor.id,
    status: 'pending_payment',
  });
  if (result.deletedCount === 0) {
    throw AppError.badRequest('Can only cancel pending payments (before proof upload)');
  }
}

/** The proof's signed URL for its owner or an admin; everyone else gets 404. */
export async function paymentProofUrl(
  actor: AuthUser,
  paymentId: string,
  storage: FileStorage,
): Promise<string> {
  const filter = actor.role === 'admin' ? { _id: paymentId } : { _id: paymentId, userId: actor.id };
  const payment = await PaymentModel.findOne(filter).lean();
  const url = payment ? toPaymentDto(payment, storage).paymentProofUrl : null;
  if (!url) throw AppError.notFound('Payment proof not found');
  return url;
}

export function newPaymentId(): Types.ObjectId {
  return new Types.ObjectId();
}
