import type { AppContext } from '../../context';
import { envelopeP, type PReply } from '../../lib/envelope';
import { idParams } from '../../lib/schemas';
import { ApiRouter } from '../../middleware/api-router';
import { singleFileUpload } from '../../middleware/upload';
import { createGatewayPayment, handleMidtransNotification } from './midtrans/gateway.service';
import {
  createPaymentBody,
  gatewayPaymentBody,
  notificationBody,
  uploadProofBody,
} from './payments.schemas';
import {
  cancelPayment,
  createPayment,
  listMyPayments,
  listPackages,
  paymentProofUrl,
  uploadPaymentProof,
} from './payments.service';

/** The payer's side of KaryaKlik Pro (CONTRACT §9 #32–#35), envelope P (errors under `error`). */
export function paymentsRouter(ctx: AppContext): ApiRouter<PReply> {
  const r = new ApiRouter('/payments', envelopeP, ctx.resolveAccount);
  const proofUpload = singleFileUpload('paymentProof', {
    maxFileBytes: ctx.config.payments.proofMaxBytes,
    maxFields: 10,
  });

  r.get('/', { auth: 'user', summary: "The user's payments, newest first" }, async ({ user }) => ({
    fields: { payments: await listMyPayments(user, ctx) },
  }));

  r.get(
    '/packages',
    { auth: 'public', summary: 'The Pro package, bank accounts and gateway methods' },
    () => ({ fields: listPackages(ctx.config) }),
  );

  r.post(
    '/',
    { auth: 'user', body: createPaymentBody, summary: 'Start a bank-transfer payment' },
    async ({ user, body }) => ({
      message: 'Payment request created. Transfer the amount, then upload the proof.',
      fields: { payment: await createPayment(user, body, ctx) },
    }),
  );

  r.post(
    '/upload-proof',
    {
      auth: 'user',
      upload: proofUpload,
      body: uploadProofBody,
      summary: 'Upload a transfer proof',
    },
    async ({ user, body, req }) => ({
      message: 'Payment proof uploaded. An admin will verify it shortly.',
      fields: {
        payment: await uploadPaymentProof(
          user,
          { paymentId: body.paymentId, file: req.file?.buffer },
          ctx,
        ),
      },
    }),
  );

  r.post(
    '/gateway',
    { auth: 'user', body: gatewayPaymentBody, summary: 'Pay through Midtrans (QRIS or a VA)' },
    async ({ user, body }) => ({
      message: 'Payment created. Pay it before it expires; Pro starts as soon as it is paid.',
      fields: { payment: await createGatewayPayment(user, body, ctx) },
    }),
  );

  r.post(
    '/midtrans/notification',
    { auth: 'public', body: notificationBody, summary: "Midtrans' payment notification" },
    async ({ body }) => ({ fields: { ...(await handleMidtransNotification(body, ctx)) } }),
  );

  r.get(
    '/:id/proof',
    { auth: 'user', params: idParams, summary: 'Redirect to the proof (owner or admin)' },
    async ({ user, params, res }) => {
      res.redirect(302, await paymentProofUrl(user, params.id, ctx.storage));
    },
  );

  r.delete(
    '/:id/cancel',
    { auth: 'user', params: idParams, summary: 'Cancel a payment before its proof' },
    async ({ user, params }) => {
      await cancelPayment(user, params.id, ctx);
      return { message: 'Payment cancelled', fields: {} };
    },
  );

  return r;
}
