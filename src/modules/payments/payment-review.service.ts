import type { AuthUser } from '../../lib/auth-user';
import { AppError } from '../../lib/errors';
import type { FileStorage } from '../../lib/storage';
import type { PaymentStatus } from '../../models/enums';
import { PaymentModel } from '../../models/payment.model';
import {
  activatePayment,
  rejectPaymentOnce,
  type Activation,
  type DecisionDeps,
  type Rejection,
} from './payment-decisions.service';
import { toAdminPaymentDto, type AdminPaymentDto } from './payments.mapper';
import { newestFirstPage, paginationWithMore, type Pagination } from '../../lib/pagination';

export interface AdminPaymentQuery {
  status?: PaymentStatus;
  page: number;
  limit: number;
}

/** #36: the review queue, newest first, with the payer and deciding admins populated. */
export async function listPaymentsForReview(
  query: AdminPaymentQuery,
  storage: FileStorage,
): Promise<{
  payments: AdminPaymentDto[];
  pagination: Pagination & { hasMore: boolean };
}> {
  const filter = query.status ? { status: query.status } : {};
  const [payments, total] = await Promise.all([
    newestFirstPage(PaymentModel.find(filter), query)
      .populate('userId', 'name email')
      .populate('approvedBy', 'name email')
      .populate('rejectedBy', 'name email')
      .lean(),
    PaymentModel.countDocuments(filter),
  ]);
  return {
    payments: payments.map((p) => toAdminPaymentDto(p, storage)),
    pagination: paginationWithMore(query, total, payments.length),
  };
}

/** Why a decision found nothing to decide: no such payment (404) or not awaiting one (400). */
async function undecidable(paymentId: string): Promise<AppError> {
  const payment = await PaymentModel.findById(paymentId).select('status').lean();
  if (!payment) return AppError.notFound('Payment not found');
  return AppError.badRequest(`Payment is not awaiting verification (status: ${payment.status})`);
}

/** #37: exactly once, whatever the concurrency (activatePayment). */
export async function approvePayment(
  admin: AuthUser,
  paymentId: string,
  input: { adminNotes?: string },
  deps: DecisionDeps,
): Promise<Activation & { payment: { approvedBy: string } }> {
  const activation = await activatePayment(
    admin,
    {
      paymentId,
      from: ['pending_verification'],
      method: 'bank_transfer',
      ...(input.adminNotes !== undefined ? { adminNotes: input.adminNotes } : {}),
    },
    deps,
  );
  if (!activation) throw await undecidable(paymentId);
  return { ...activation, payment: { ...activation.payment, approvedBy: admin.name } };
}

/** #38: with a reason; loses cleanly to a concurrent approval (or rejection). */
export async function rejectPayment(
  admin: AuthUser,
  paymentId: string,
  input: { rejectionReason: string; adminNotes?: string },
): Promise<Rejection> {
  const rejection = await rejectPaymentOnce(admin, { paymentId, ...input });
  if (!rejection) throw await undecidable(paymentId);
  return rejection;
}
