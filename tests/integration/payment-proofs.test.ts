import request from 'supertest';
import { NotificationModel } from '../../src/models/notification.model';
import { PaymentModel } from '../../src/models/payment.model';
import { createAdmin, createUser, signIn } from '../factories/users.factory';
import {
  decompressionBombPng,
  noisyJpeg,
  phpFileNamedJpg,
  solidImage,
  truncatedJpeg,
} from '../fixtures/images';
import { useTestContext } from '../helpers/context';
import { seedPayment } from '../helpers/payments';
import { storedKeys } from '../helpers/storage';

const PROOF_LIMIT = 300_000;
const ctx = useTestContext('payment_proofs', { PAYMENT_PROOF_MAX_BYTES: String(PROOF_LIMIT) });

async function signedInUser() {
  return signIn(ctx, await createUser());
}

function upload(
  auth: string | null,
  paymentId: string | null,
  file: Buffer | null,
  name = 'proof.jpg',
) {
  let req = request(ctx.app).post('/api/payments/upload-proof');
  if (auth) req = req.set('Authorization', auth);
  if (paymentId !== null) req = req.field('paymentId', paymentId);
  if (file) req = req.attach('paymentProof', file, name);
  return req;
}

/** The path of an absolute URL the API handed out (supertest talks to the app directly). */
function pathOf(url: string): string {
  return new URL(url).pathname;
}

describe('POST /api/payments/upload-proof (#34)', () => {
  it('stores a real JPEG privately, moves the payment to pending_verification and tells the admins', async () => {
    const admin = await createAdmin();
    const user = await signedInUser();
    const payment = await seedPayment(user.id, { status: 'pending_payment' });

    const res = await upload(user.auth, String(payment._id), await solidImage(640, 480, '#3366cc'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      success: true,
      message: expect.any(String),
      payment: {
        _id: String(payment._id),
        status: 'pending_verification',
        paymentProofUrl: expect.stringMatching(
          /^http:\/\/api\.test\/uploads\/s\/\d+\/[\w-]+\/payment-proofs\/[0-9a-f]{2}\/[0-9a-f]{32}\.jpg$/,
        ),
        paymentProofUploadedAt: expect.any(String),
      },
    });
    const stored = await PaymentModel.findById(payment._id).lean();
    expect(stored).toMatchObject({ status: 'pending_verification', isOpen: true, expiresAt: null });
    expect(await storedKeys(ctx.storage, 'payment-proofs')).toContain(stored?.paymentProofKey);

    const proof = await request(ctx.app).get(pathOf(res.body.payment.paymentProofUrl));
    expect(proof.status).toBe(200);
    expect(proof.headers['content-type']).toBe('image/jpeg');
    // Private: the plain URL of the same key is refused, with or without /api.
    expect((await request(ctx.app).get(`/uploads/${stored?.paymentProofKey}`)).status).toBe(404);
    expect((await request(ctx.app).get(`/api/uploads/${stored?.paymentProofKey}`)).status).toBe(
      404,
    );

    const notified = await NotificationModel.find({ userId: String(admin._id) }).lean();
    expect(notified).toEqual([
      expect.objectContaining({
        title: 'New payment proof',
        type: 'system',
        data: expect.objectContaining({ paymentId: String(payment._id) }),
      }),
    ]);
  });

  it('accepts a PNG, and a new proof after a rejection replaces the old file and reason', async () => {
    const user = await signedInUser();
    const payment = await seedPayment(user.id, { status: 'pending_payment' });
    await upload(user.auth, String(payment._id), await solidImage(100, 100, '#00aa00'));
    const first = await PaymentModel.findById(payment._id).lean();
    await PaymentModel.updateOne(
      { _id: payment._id },
      { $set: { status: 'rejected', rejectionReason: 'Unreadable', isOpen: false } },
    );

    const res = await upload(
      user.auth,
      String(payment._id),
      await solidImage(120, 80, '#aa0000', 'png'),
      'again.png',
    );
    expect(res.status).toBe(200);
    expect(res.body.payment).toMatchObject({
      status: 'pending_verification',
      rejectionReason: null,
    });
    expect(res.body.payment.paymentProofUrl).toMatch(/\.png$/);
    const keys = await storedKeys(ctx.storage, 'payment-proofs');
    expect(keys).not.toContain(first?.paymentProofKey);
    expect(keys).toContain((await PaymentModel.findById(payment._id).lean())?.paymentProofKey);
  });

  it.each([
    ['a PHP file named proof.jpg', 415, () => Promise.resolve(phpFileNamedJpg())],
    ['a decompression bomb', 413, () => Promise.resolve(decompressionBombPng())],
    ['a truncated JPEG', 400, () => truncatedJpeg()],
    ['a WebP (not a format the contract allows)', 415, () => solidImage(50, 50, '#fff', 'webp')],
    ['a file over PAYMENT_PROOF_MAX_BYTES', 413, () => noisyJpeg(1200, 1200)],
  ])('refuses %s with %i and stores nothing', async (_case, status, make) => {
    const user = await signedInUser();
    const payment = await seedPayment(user.id, { status: 'pending_payment' });
    const file = await make();
    const before = await storedKeys(ctx.storage);
    const res = await upload(user.auth, String(payment._id), file);
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ error: expect.any(String) });
    expect(await storedKeys(ctx.storage)).toEqual(before);
    expect(await PaymentModel.findById(payment._id).lean()).toMatchObject({
      status: 'pending_payment',
      paymentProofUrl: null,
    });
  });

  it('answers 400 with details for a missing file, a missing or bad paymentId', async () => {
    const user = await signedInUser();
    const payment = await seedPayment(user.id, { status: 'pending_payment' });
    const image = await solidImage(50, 50, '#123456');
    const before = await storedKeys(ctx.storage);
    const noFile = await upload(user.auth, String(payment._id), null);
    expect(noFile.status).toBe(400);
    expect(noFile.body.error).toMatch(/paymentProof/);
    const noId = await upload(user.auth, null, image);
    expect(noId.status).toBe(400);
    expect(noId.body.details).toEqual([
      expect.objectContaining({ field: 'body.paymentId', message: 'paymentId is required' }),
    ]);
    const badId = await upload(user.auth, 'nope', image);
    expect(badId.status).toBe(400);
    expect(badId.body.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'body.paymentId' })]),
    );
    expect(await storedKeys(ctx.storage)).toEqual(before);
    expect((await PaymentModel.findById(payment._id).lean())?.status).toBe('pending_payment');
  });

  it("answers 404 for another user's payment and 401 without a token, storing nothing", async () => {
    const owner = await signedInUser();
    const stranger = await signedInUser();
    const payment = await seedPayment(owner.id, { status: 'pending_payment' });
    const image = await solidImage(50, 50, '#654321');
    const before = await storedKeys(ctx.storage);
    const foreign = await upload(stranger.auth, String(payment._id), image);
    expect(foreign.status).toBe(404);
    const anonymous = await upload(null, String(payment._id), image);
    expect(anonymous.status).toBe(401);
    expect(await storedKeys(ctx.storage)).toEqual(before);
  });

  it('answers 400 when the payment is already decided, storing nothing', async () => {
    const user = await signedInUser();
    const payment = await seedPayment(user.id, { status: 'approved' });
    const before = await storedKeys(ctx.storage);
    const res = await upload(user.auth, String(payment._id), await solidImage(50, 50, '#000'));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/status: approved/);
    expect(await storedKeys(ctx.storage)).toEqual(before);
  });
});

describe('GET /api/payments/:id/proof', () => {
  it('redirects the owner and admins to the signed URL; others get 404, anonymous 401', async () => {
    const owner = await signedInUser();
    const stranger = await signedInUser();
    const admin = await signIn(ctx, await createAdmin());
    const payment = await seedPayment(owner.id, { status: 'pending_payment' });
    await upload(owner.auth, String(payment._id), await solidImage(64, 64, '#ff00ff'));

    for (const viewer of [owner, admin]) {
      const res = await request(ctx.app)
        .get(`/api/payments/${payment._id}/proof`)
        .set('Authorization', viewer.auth);
      expect(res.status).toBe(302);
      expect(res.headers.location).toMatch(/^http:\/\/api\.test\/uploads\/s\//);
      const image = await request(ctx.app).get(pathOf(res.headers.location as string));
      expect(image.status).toBe(200);
    }
    const foreign = await request(ctx.app)
      .get(`/api/payments/${payment._id}/proof`)
      .set('Authorization', stranger.auth);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error).toEqual(expect.any(String));
    expect((await request(ctx.app).get(`/api/payments/${payment._id}/proof`)).status).toBe(401);
  });

  it('answers 404 while there is no proof, and a tampered signature is refused', async () => {
    const owner = await signedInUser();
    const payment = await seedPayment(owner.id, { status: 'pending_payment' });
    const none = await request(ctx.app)
      .get(`/api/payments/${payment._id}/proof`)
      .set('Authorization', owner.auth);
    expect(none.status).toBe(404);

    const res = await upload(owner.auth, String(payment._id), await solidImage(64, 64, '#0f0'));
    const path = pathOf(res.body.payment.paymentProofUrl).replace(
      /\/s\/(\d+)\/([\w-]+)\//,
      (_m, exp: string, sig: string) => `/s/${exp}/${sig.slice(1)}x/`,
    );
    expect((await request(ctx.app).get(path)).status).toBe(404);
  });
});
