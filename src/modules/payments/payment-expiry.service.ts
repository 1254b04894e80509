import mongoose, { type ClientSession } from 'mongoose';
import type { Config } from '../../config';
import type { Logger } from '../../lib/logger';
import { PaymentModel } from '../../models/payment.model';
import { notifyUser } from '../notifications/notifications.service';
import { isClosedUnpaid, isSettled, MidtransClient } from './midtrans/midtrans.client';
import { activatePayment } from './payment-decisions.service';

const BATCH = 200;

/**
 * Closes a payment still waiting for its transfer (pending_payment → expired) and tells the user,
 * in one transaction; false when it was no longer waiting (paid, cancelled or already expired).
 */
export async function expireOpenPayment(
  paymentId: string,
  options: { gatewayStatus?: string; now?: Date } = {},
): Promise<boolean> {
  return mongoose.connection.transaction(async (session: ClientSession) => {
    const now = options.now ?? new Date();
    const closed = await PaymentModel.findOneAndUpdate(
      { _id: paymentId, status: 'pending_payment' },
      {
        $set: {
          status: 'expired',
          expiredAt: now,
          isOpen: false,
          ...(options.gatewayStatus ? { 'gateway.transactionStatus': options.gatewayStatus } : {}),
        },
      },
      { returnDocument: 'after', session },
    ).lean();
    if (!closed) return false;
    await notifyUser(
      String(closed.userId),
      {
        title: 'Payment expired',
        message:
          closed.method === 'midtrans'
            ? 'Your KaryaKlik Pro payment was not completed in time and has expired. You can start a new one on the Upgrade page.'
            : 'We did not receive a transfer proof for your KaryaKlik Pro payment before its deadline, so it has expired. You can start a new one on the Upgrade page.',
        type: 'system',
        actionUrl: '/upgrade-pro',
        data: { paymentId, status: 'expired' },
      },
      session,
    );
    return true;
  });
}

export interface ExpirySweepDeps {
  config: Readonly<Config>;
  logger: Logger;
}

/**
 * Expires payments left in pending_payment past their deadline. A gateway order is asked first:
 * one that was paid (its notification lost) is activated instead, one still payable is expired at
 * the gateway so it cannot be paid later. Safe to run twice or concurrently.
 */
export async function expireOverduePayments(
  deps: ExpirySweepDeps,
  now: Date = new Date(),
): Promise<{ expired: number; activated: number }> {
  let expired = 0;
  let activated = 0;
  let lastId: mongoose.Types.ObjectId | undefined;
  const midtrans = deps.config.payments.midtrans;
  const client = midtrans.enabled ? new MidtransClient(midtrans) : null;
  for (;;) {
    const overdue = await PaymentModel.find({
      status: 'pending_payment',
      expiresAt: mongoose.trusted({ $ne: null, $lte: now }),
      ...(lastId ? { _id: mongoose.trusted({ $gt: lastId }) } : {}),
    })
      .sort({ _id: 1 })
      .limit(BATCH)
      .select('_id method gateway')
      .lean();
    for (const payment of overdue) {
      const id = String(payment._id);
      const orderId = payment.gateway?.orderId;
      let gatewayStatus: string | undefined;
      if (payment.method === 'midtrans' && orderId && client) {
        const status = await client.status(orderId).catch((error: unknown) => {
          deps.logger.warn(
            { err: error, paymentId: id },
            'gateway status unavailable; retry later',
          );
          return undefined;
        });
        if (status === undefined) continue;
        if (status && isSettled(status)) {
          const done = await activatePayment(
            { system: 'Midtrans' },
            {
              paymentId: id,
              from: ['pending_payment'],
              method: 'midtrans',
              adminNotes: 'Paid through Midtrans',
            },
            deps,
          );
          if (done) activated += 1;
          continue;
        }
        if (status && !isClosedUnpaid(status)) await client.expire(orderId).catch(() => undefined);
        gatewayStatus =
          status?.transactionStatus === 'pending' ? 'expire' : status?.transactionStatus;
      }
      if (await expireOpenPayment(id, { gatewayStatus, now })) expired += 1;
    }
    if (overdue.length < BATCH) break;
    lastId = overdue[overdue.length - 1]?._id;
  }
  if (expired + activated > 0) deps.logger.info({ expired, activated }, 'overdue payments swept');
  return { expired, activated };
}
