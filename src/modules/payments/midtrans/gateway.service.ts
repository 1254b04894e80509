import mongoose from 'mongoose';
import type { GatewayMethod } from '../../../config';
import type { AuthUser } from '../../../lib/auth-user';
import { AppError } from '../../../lib/errors';
import { PaymentModel } from '../../../models/payment.model';
import { activatePayment, type DecisionDeps } from '../payment-decisions.service';
import { expireOpenPayment } from '../payment-expiry.service';
import { toPaymentDto, type PaymentDto } from '../payments.mapper';
import { newPaymentId, openPayment, type PaymentDeps } from '../payments.service';
import { isClosedUnpaid, isGenuineSignature, isSettled, MidtransClient } from './midtrans.client';
import type { NotificationInput } from '../payments.schemas';

/** The audit's name for decisions taken on the gateway's verified word. */
export const GATEWAY_ACTOR = { system: 'Midtrans' } as const;

const CHANNEL_LABELS: Record<GatewayMethod, string> = {
  qris: 'QRIS',
  bca_va: 'BCA Virtual Account',
  bni_va: 'BNI Virtual Account',
  bri_va: 'BRI Virtual Account',
  cimb_va: 'CIMB Niaga Virtual Account',
  permata_va: 'Permata Virtual Account',
};

function gatewayClient(deps: PaymentDeps): MidtransClient {
  if (!deps.config.payments.midtrans.enabled) {
    throw AppError.notFound('Automatic payment is not available; pay by bank transfer');
  }
  return new MidtransClient(deps.config.payments.midtrans);
}

/**
 * A payment through Midtrans (QRIS or a virtual account): the order is charged at once and the
 * answer carries what the payer needs (the QR string or the VA number, and until when). Pro is
 * activated by the gateway's notification, never by this call.
 */
export async function createGatewayPayment(
  actor: AuthUser,
  input: { method: GatewayMethod },
  deps: PaymentDeps,
): Promise<PaymentDto> {
  const client = gatewayClient(deps);
  const { midtrans, proPackage } = deps.config.payments;
  if (!midtrans.methods.includes(input.method)) {
    throw AppError.badRequest(
      `Unsupported payment method; choose one of: ${midtrans.methods.join(', ')}`,
    );
  }
  const _id = newPaymentId();
  const orderId = `KK-${_id.toHexString()}`;
  const deadline = new Date(Date.now() + midtrans.expiryMinutes * 60 * 1000);
  await openPayment(
    actor,
    {
      _id,
      method: 'midtrans',
      // The old client shows these fields for any payment: name the channel, not a bank account.
      bankName: CHANNEL_LABELS[input.method],
      bankAccountNumber: '',
      bankAccountName: 'KaryaKlik via Midtrans',
      expiresAt: deadline,
      gateway: { provider: 'midtrans', orderId, channel: input.method },
    },
    deps,
  );
  let charge;
  try {
    charge = await client.charge({
      orderId,
      amount: proPackage.price,
      method: input.method,
      itemName: `${proPackage.packageName} (${proPackage.durationMonths} month${proPackage.durationMonths > 1 ? 's' : ''})`,
      customer: { name: actor.name, email: actor.email },
      notificationUrl: `${deps.config.publicBaseUrl}/api/payments/midtrans/notification`,
    });
  } catch (error) {
    // Nothing can be paid: the open payment would only block a new attempt.
    await PaymentModel.deleteOne({ _id, status: 'pending_payment' });
    throw error;
  }
  const updated = await PaymentModel.findOneAndUpdate(
    { _id },
    {
      $set: {
        expiresAt: charge.expiresAt ?? deadline,
        bankAccountNumber: charge.vaNumber ?? '',
        'gateway.transactionId': charge.transactionId,
        'gateway.transactionStatus': charge.transactionStatus,
        'gateway.qrString': charge.qrString,
        'gateway.qrImageUrl': charge.qrImageUrl,
        'gateway.bank': charge.bank,
        'gateway.vaNumber': charge.vaNumber,
        'gateway.expiresAt': charge.expiresAt ?? deadline,
      },
    },
    { returnDocument: 'after' },
  ).lean();
  if (!updated) throw AppError.notFound('Payment not found');
  return toPaymentDto(updated, deps.storage);
}

export interface NotificationOutcome {
  orderId: string;
  status: string;
  /** True only for the delivery that activated Pro. */
  activated: boolean;
}

function sameAmount(grossAmount: string, amount: number): boolean {
  return /^\d+(\.\d{1,2})?$/.test(grossAmount) && Number(grossAmount) === amount;
}

/**
 * The gateway's HTTP notification. Believed only when its SHA-512 signature is genuine, it names
 * one of our orders with its exact amount, and the gateway's status endpoint (asked directly)
 * agrees; then a settled order activates Pro through the same exactly-once path as an admin
 * approval. Replays change nothing; forgeries are refused with a 4xx and change nothing.
 */
export async function handleMidtransNotification(
  notification: NotificationInput,
  deps: PaymentDeps & DecisionDeps,
): Promise<NotificationOutcome> {
  const client = gatewayClient(deps);
  if (!isGenuineSignature(notification, deps.config.payments.midtrans.serverKey)) {
    throw AppError.forbidden('Invalid notification signature');
  }
  const orderId = notification.order_id;
  const payment = await PaymentModel.findOne({ 'gateway.orderId': orderId }).lean();
  if (!payment) throw AppError.notFound('Unknown order');
  if (!sameAmount(notification.gross_amount, payment.amount)) {
    throw AppError.badRequest('The notified amount does not match the order');
  }
  const status = await client.status(orderId);
  if (!status || !sameAmount(status.grossAmount, payment.amount)) {
    throw AppError.conflict('The gateway does not confirm this order');
  }
  const notified = {
    transactionStatus: notification.transaction_status,
    fraudStatus: notification.fraud_status ?? null,
  };
  if (isSettled(notified) && !isSettled(status)) {
    throw AppError.conflict('The gateway does not confirm this payment');
  }
  if (isSettled(status)) {
    const activation = await activatePayment(
      GATEWAY_ACTOR,
      {
        paymentId: String(payment._id),
        from: ['pending_payment', 'expired'],
        method: 'midtrans',
        adminNotes: `Paid through Midtrans (${status.paymentType ?? payment.gateway?.channel ?? 'gateway'})`,
      },
      deps,
    );
    await recordGatewayStatus(String(payment._id), status.transactionStatus);
    return { orderId, status: 'approved', activated: activation !== null };
  }
  if (isClosedUnpaid(status)) {
    await expireOpenPayment(String(payment._id), { gatewayStatus: status.transactionStatus });
    return { orderId, status: 'expired', activated: false };
  }
  await recordGatewayStatus(String(payment._id), status.transactionStatus);
  return { orderId, status: payment.status, activated: false };
}

/** Keeps the gateway's last word on the payment; a replay of the same status writes nothing. */
async function recordGatewayStatus(paymentId: string, transactionStatus: string): Promise<void> {
  await PaymentModel.updateOne(
    { _id: paymentId, 'gateway.transactionStatus': mongoose.trusted({ $ne: transactionStatus }) },
    { $set: { 'gateway.transactionStatus': transactionStatus } },
  );
}
