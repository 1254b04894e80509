import mongoose, { type ClientSession } from 'mongoose';
import type { Config } from '../../config';
import type { AuthUser } from '../../lib/auth-user';
import { AppError } from '../../lib/errors';
import type { PaymentMethod, PaymentStatus } from '../../models/enums';
import { PaymentModel } from '../../models/payment.model';
import { UserModel } from '../../models/user.model';
import { recordServerEvent } from '../analytics/server-events';
import { recordAudit, type AuditActor } from '../audit/audit.service';
import { notifyUser } from '../notifications/notifications.service';
import { applyProToUsage } from '../usage/usage.service';
import { extendedPremiumEnd, formatBusinessDate, formatRupiah } from './pro-term';

export interface DecisionDeps {
  config: Readonly<Pick<Config, 'usage'>>;
}

export interface Activation {
  payment: { _id: string; status: 'approved'; approvedAt: Date; durationMonths: number };
  user: { _id: string; email: string; isPremium: true; premiumExpiresAt: Date | null };
}

export interface ActivationInput {
  paymentId: string;
  /** The statuses the payment may be activated from (an admin: pending_verification). */
  from: readonly PaymentStatus[];
  method: PaymentMethod;
  adminNotes?: string;
}

function premiumState(user: { isPremium?: boolean | null; premiumExpiresAt?: Date | null }) {
  return { isPremium: Boolean(user.isPremium), premiumExpiresAt: user.premiumExpiresAt ?? null };
}

/**
 * The one path that turns a payment into Pro, for admin approvals and verified gateway
 * notifications alike. In one transaction: the payment moves to approved by a conditional update
 * (only from `from`, only if never applied), the user's Pro is extended by durationMonths from
 * the later of now and the current end, today's usage turns pro, and the user's notification and
 * the audit entry are written. Whatever the concurrency, one caller gets the activation and every
 * other gets null, with nothing written.
 */
export async function activatePayment(
  actor: AuditActor,
  input: ActivationInput,
  deps: DecisionDeps,
): Promise<Activation | null> {
  return mongoose.connection.transaction(async (session: ClientSession) => {
    const now = new Date();
    const before = await PaymentModel.findOneAndUpdate(
      {
        _id: input.paymentId,
        status: mongoose.trusted({ $in: [...input.from] }),
        method: input.method,
        appliedAt: null,
      },
      {
        $set: {
          status: 'approved',
          approvedAt: now,
          appliedAt: now,
          isOpen: false,
          ...('system' in actor ? {} : { approvedBy: actor.id }),
          ...(input.adminNotes !== undefined ? { adminNotes: input.adminNotes } : {}),
        },
      },
      { returnDocument: 'before', session },
    ).lean();
    if (!before) return null;

    const userId = String(before.userId);
    const current = await UserModel.findOne({ _id: userId }).session(session).lean();
    if (!current) throw AppError.notFound('The payer no longer exists');
    const premiumExpiresAt = extendedPremiumEnd(current, before.durationMonths, now);
    const user = await UserModel.findOneAndUpdate(
      { _id: userId },
      { $set: { isPremium: true, premiumExpiresAt } },
      { returnDocument: 'after', session },
    ).lean();
    if (!user) throw AppError.notFound('The payer no longer exists');

    await applyProToUsage(userId, deps, session);
    const until = premiumExpiresAt ? ` until ${formatBusinessDate(premiumExpiresAt)}` : '';
    await notifyUser(
      userId,
      {
        title: 'KaryaKlik Pro is active',
        message: `Your payment of ${formatRupiah(before.amount)} was approved. KaryaKlik Pro is yours${until}. Enjoy the premium frames!`,
        type: 'system',
        actionUrl: '/upgrade-pro',
        data: { paymentId: input.paymentId, status: 'approved', premiumExpiresAt },
      },
      session,
    );
    await recordAudit(
      actor,
      {
        action: 'payment.approve',
        targetType: 'payment',
        targetId: input.paymentId,
        subjectUserId: userId,
        before: { payment: { status: before.status }, user: premiumState(current) },
        after: {
          payment: { status: 'approved', amount: before.amount, method: input.method },
          user: premiumState(user),
        },
        ...(input.adminNotes ? { note: input.adminNotes } : {}),
      },
      session,
    );
    await recordServerEvent(
      {
        eventType: 'payment_approved',
        eventCategory: 'payment',
        userId,
        metadata: {
          paymentId: input.paymentId,
          amount: before.amount,
          method: input.method,
          durationMonths: before.durationMonths,
        },
      },
      session,
    );
    return {
      payment: {
        _id: input.paymentId,
        status: 'approved' as const,
        approvedAt: now,
        durationMonths: before.durationMonths,
      },
      user: {
        _id: userId,
        email: user.email,
        isPremium: true as const,
        premiumExpiresAt: user.premiumExpiresAt ?? null,
      },
    };
  });
}

export interface Rejection {
  _id: string;
  status: 'rejected';
  rejectionReason: string;
  rejectedAt: Date;
  rejectedBy: string;
}

/**
 * Rejects a payment awaiting verification, in one transaction with the user's notification and the
 * audit entry; null when the payment is not (or no longer) awaiting verification.
 */
export async function rejectPaymentOnce(
  admin: AuthUser,
  input: { paymentId: string; rejectionReason: string; adminNotes?: string },
): Promise<Rejection | null> {
  return mongoose.connection.transaction(async (session: ClientSession) => {
    const now = new Date();
    const before = await PaymentModel.findOneAndUpdate(
      { _id: input.paymentId, status: 'pending_verification', appliedAt: null },
      {
        $set: {
          status: 'rejected',
          rejectionReason: input.rejectionReason,
          rejectedBy: admin.id,
          rejectedAt: now,
          isOpen: false,
          ...(input.adminNotes !== undefined ? { adminNotes: input.adminNotes } : {}),
        },
      },
      { returnDocument: 'before', session },
    ).lean();
    if (!before) return null;
    const userId = String(before.userId);
    await notifyUser(
      userId,
      {
        title: 'Payment not approved',
        message: `Your payment of ${formatRupiah(before.amount)} for KaryaKlik Pro was not approved: ${input.rejectionReason}. You can upload a new transfer proof on the Upgrade page.`,
        type: 'system',
        actionUrl: '/upgrade-pro',
        data: { paymentId: input.paymentId, status: 'rejected', reason: input.rejectionReason },
      },
      session,
    );
    await recordAudit(
      admin,
      {
        action: 'payment.reject',
        targetType: 'payment',
        targetId: input.paymentId,
        subjectUserId: userId,
        before: { payment: { status: before.status } },
        after: { payment: { status: 'rejected', rejectionReason: input.rejectionReason } },
        ...(input.adminNotes ? { note: input.adminNotes } : {}),
      },
      session,
    );
    return {
      _id: input.paymentId,
      status: 'rejected' as const,
      rejectionReason: input.rejectionReason,
      rejectedAt: now,
      rejectedBy: admin.name,
    };
  });
}
