import { expireOverduePayments } from '../../modules/payments/payment-expiry.service';
import type { JobContext } from '../job-context';
import type { JobPayloads } from '../queues';

/** Payments left in pending_payment past their deadline expire, and their users are told. */
export async function expireOverduePaymentsJob(
  _payload: JobPayloads['expire-overdue-payments'],
  context: JobContext,
): Promise<{ expired: number; activated: number }> {
  return expireOverduePayments(context);
}
