import type { AppContext } from '../../context';
import { envelopeP, type PReply } from '../../lib/envelope';
import { idParams } from '../../lib/schemas';
import { ApiRouter } from '../../middleware/api-router';
import { approvePayment, listPaymentsForReview, rejectPayment } from './payment-review.service';
import { adminPaymentsQuery, approveBody, rejectBody } from './payments.schemas';

/** The admin's payment review (CONTRACT §9 #36–#38), envelope P; non-admins get 403. */
export function adminPaymentsRouter(ctx: AppContext): ApiRouter<PReply> {
  const r = new ApiRouter('/admin/payments', envelopeP, ctx.resolveAccount);

  r.get(
    '/',
    { auth: 'admin', adminDenied: 403, query: adminPaymentsQuery, summary: 'Review queue' },
    async ({ query }) => ({ fields: await listPaymentsForReview(query, ctx.storage) }),
  );

  r.put(
    '/:id/approve',
    { auth: 'admin', adminDenied: 403, params: idParams, body: approveBody, summary: 'Approve' },
    async ({ user, params, body }) => {
      const { payment, user: payer } = await approvePayment(user, params.id, body, ctx);
      return {
        message: 'Payment approved. KaryaKlik Pro is active for the user.',
        fields: { payment, user: payer },
      };
    },
  );

  r.put(
    '/:id/reject',
    { auth: 'admin', adminDenied: 403, params: idParams, body: rejectBody, summary: 'Reject' },
    async ({ user, params, body }) => ({
      message: 'Payment rejected. The user has been notified.',
      fields: { payment: await rejectPayment(user, params.id, body) },
    }),
  );

  return r;
}
