import request from 'supertest';
import { AnalyticsEventModel } from '../../src/models/analytics-event.model';
import { PaymentModel } from '../../src/models/payment.model';
import { createUser, signIn } from '../factories/users.factory';
import { useTestContext } from '../helpers/context';
import { seedPayment } from '../helpers/payments';

const ctx = useTestContext('payments', {
  PRO_PACKAGE_PRICE: '150000',
  PAYMENT_BANK_ACCOUNTS:
    'Bank BCA|1234567890|PT KaryaKlik Indonesia;Bank Mandiri|9876543210|PT KaryaKlik Indonesia',
  PAYMENT_DEADLINE_HOURS: '24',
});

const clientPackage = {
  packageName: 'KaryaKlik Pro',
  packageType: 'pro',
  amount: 150000,
  durationMonths: 1,
};

async function signedInUser() {
  return signIn(ctx, await createUser());
}

describe('POST /api/payments (#33)', () => {
  it('answers 401 under `error` (envelope P) without a token', async () => {
    const res = await request(ctx.app).post('/api/payments').send(clientPackage);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: expect.any(String), code: 'UNAUTHENTICATED' });
    expect(res.body).not.toHaveProperty('success');
  });

  it('creates a pending payment with the amount and duration the server decides (200, not 201)', async () => {
    const user = await signedInUser();
    const before = Date.now();
    const res = await request(ctx.app)
      .post('/api/payments')
      .set('Authorization', user.auth)
      .send({ ...clientPackage, amount: 1, durationMonths: 12 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, message: expect.any(String) });
    const { payment } = res.body;
    expect(payment).toMatchObject({
      _id: expect.stringMatching(/^[0-9a-f]{24}$/),
      packageName: 'KaryaKlik Pro',
      packageType: 'pro',
      amount: 150000,
      durationMonths: 1,
      status: 'pending_payment',
      bankName: 'Bank BCA',
      bankAccountNumber: '1234567890',
      bankAccountName: 'PT KaryaKlik Indonesia',
      paymentProofUrl: null,
      method: 'bank_transfer',
      createdAt: expect.any(String),
    });
    const deadline = new Date(payment.expiresAt).getTime();
    expect(deadline - before).toBeGreaterThanOrEqual(24 * 3600 * 1000 - 5000);
    expect(deadline - before).toBeLessThanOrEqual(24 * 3600 * 1000 + 5000);
    const stored = await PaymentModel.findById(payment._id).lean();
    expect(stored).toMatchObject({ userId: expect.anything(), amount: 150000, isOpen: true });
    expect(String(stored?.userId)).toBe(user.id);
    expect(
      await AnalyticsEventModel.countDocuments({ eventType: 'payment_created', userId: user.id }),
    ).toBe(1);
  });

  it('uses the destination account the client names, among the configured ones', async () => {
    const user = await signedInUser();
    const res = await request(ctx.app)
      .post('/api/payments')
      .set('Authorization', user.auth)
      .send({ ...clientPackage, bankName: 'bank mandiri' });
    expect(res.status).toBe(200);
    expect(res.body.payment).toMatchObject({
      bankName: 'Bank Mandiri',
      bankAccountNumber: '9876543210',
    });

    const other = await signedInUser();
    const unknown = await request(ctx.app)
      .post('/api/payments')
      .set('Authorization', other.auth)
      .send({ ...clientPackage, bankName: 'Bank Nowhere' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatch(/Bank BCA, Bank Mandiri/);
    expect(await PaymentModel.countDocuments({ userId: other.id })).toBe(0);
  });

  it.each([
    ['another package type', { ...clientPackage, packageType: 'basic' }],
    ['no package type', { packageName: 'KaryaKlik Pro', amount: 150000 }],
    ['another package name', { ...clientPackage, packageName: 'KaryaKlik Gold' }],
  ])('answers 400 with details and creates nothing for %s', async (_case, body) => {
    const user = await signedInUser();
    const res = await request(ctx.app)
      .post('/api/payments')
      .set('Authorization', user.auth)
      .send(body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: expect.any(String), code: 'VALIDATION_FAILED' });
    expect(res.body.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: expect.stringMatching(/^body/) })]),
    );
    expect(await PaymentModel.countDocuments({ userId: user.id })).toBe(0);
  });

  it('answers a second request with 400 "already have a pending payment" and the open payment', async () => {
    const user = await signedInUser();
    const first = await request(ctx.app)
      .post('/api/payments')
      .set('Authorization', user.auth)
      .send(clientPackage);
    const second = await request(ctx.app)
      .post('/api/payments')
      .set('Authorization', user.auth)
      .send(clientPackage);
    expect(second.status).toBe(400);
    expect(second.body.error).toContain('already have a pending payment');
    expect(second.body.payment).toMatchObject({
      _id: first.body.payment._id,
      packageType: 'pro',
      status: 'pending_payment',
    });
    expect(second.body).not.toHaveProperty('success');
  });

  it('counts a payment awaiting verification as open too', async () => {
    const user = await signedInUser();
    const open = await seedPayment(user.id, { status: 'pending_verification' });
    const res = await request(ctx.app)
      .post('/api/payments')
      .set('Authorization', user.auth)
      .send(clientPackage);
    expect(res.status).toBe(400);
    expect(res.body.payment._id).toBe(String(open._id));
  });

  it('when 10 creations race, then one payment exists and every loser is shown it', async () => {
    const user = await signedInUser();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        request(ctx.app).post('/api/payments').set('Authorization', user.auth).send(clientPackage),
      ),
    );
    const created = responses.filter((r) => r.status === 200);
    const refused = responses.filter((r) => r.status === 400);
    expect(created).toHaveLength(1);
    expect(refused).toHaveLength(9);
    for (const r of refused) {
      expect(r.body.error).toContain('already have a pending payment');
      expect(r.body.payment._id).toBe(created[0]?.body.payment._id);
    }
    expect(await PaymentModel.countDocuments({ userId: user.id })).toBe(1);
  });

  it('allows a new payment once the previous one was rejected, approved or expired', async () => {
    const user = await signedInUser();
    await seedPayment(user.id, { status: 'rejected', rejectionReason: 'blurry' });
    await seedPayment(user.id, { status: 'approved' });
    await seedPayment(user.id, { status: 'expired' });
    const res = await request(ctx.app)
      .post('/api/payments')
      .set('Authorization', user.auth)
      .send(clientPackage);
    expect(res.status).toBe(200);
  });
});

describe('GET /api/payments (#32)', () => {
  it('answers 401 without a token', async () => {
    const res = await request(ctx.app).get('/api/payments');
    expect(res.status).toBe(401);
    expect(res.body.error).toEqual(expect.any(String));
  });

  it("lists only the user's payments, newest first, with every field the Upgrade page reads", async () => {
    const user = await signedInUser();
    const other = await signedInUser();
    const old = await seedPayment(user.id, {
      status: 'rejected',
      rejectionReason: 'The amount does not match',
      createdAt: new Date(Date.now() - 60_000),
    });
    const current = await seedPayment(user.id, { status: 'pending_payment' });
    await seedPayment(other.id, { status: 'pending_payment' });

    const res = await request(ctx.app).get('/api/payments').set('Authorization', user.auth);
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    expect(res.body.payments.map((p: { _id: string }) => p._id)).toEqual([
      String(current._id),
      String(old._id),
    ]);
    for (const payment of res.body.payments) {
      for (const field of [
        'status',
        '_id',
        'packageType',
        'packageName',
        'amount',
        'bankName',
        'bankAccountNumber',
        'bankAccountName',
        'paymentProofUrl',
        'rejectionReason',
      ]) {
        expect(payment).toHaveProperty(field);
      }
    }
    expect(res.body.payments[1]).toMatchObject({
      status: 'rejected',
      rejectionReason: 'The amount does not match',
      bankName: 'Bank BCA',
    });
  });
});

describe('GET /api/payments/packages', () => {
  it('answers the configured package, accounts and whether the gateway is offered', async () => {
    const res = await request(ctx.app).get('/api/payments/packages');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      success: true,
      packages: [
        { packageName: 'KaryaKlik Pro', packageType: 'pro', amount: 150000, durationMonths: 1 },
      ],
      bankAccounts: [
        { bankName: 'Bank BCA', bankAccountNumber: '1234567890' },
        { bankName: 'Bank Mandiri', bankAccountNumber: '9876543210' },
      ],
      gateway: { enabled: false, methods: [] },
    });
  });
});

describe('DELETE /api/payments/:id/cancel (#35)', () => {
  it('deletes a payment that awaits its transfer', async () => {
    const user = await signedInUser();
    const payment = await seedPayment(user.id, { status: 'pending_payment' });
    const res = await request(ctx.app)
      .delete(`/api/payments/${payment._id}/cancel`)
      .set('Authorization', user.auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, message: expect.any(String) });
    expect(await PaymentModel.exists({ _id: payment._id })).toBeNull();
  });

  it('answers 400 once the proof is uploaded, and keeps the payment', async () => {
    const user = await signedInUser();
    const payment = await seedPayment(user.id, { status: 'pending_verification' });
    const res = await request(ctx.app)
      .delete(`/api/payments/${payment._id}/cancel`)
      .set('Authorization', user.auth);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('Can only cancel pending payments (before proof upload)');
    expect(await PaymentModel.exists({ _id: payment._id })).not.toBeNull();
  });

  it("answers 404 for another user's payment, 401 without a token and 400 for a bad id", async () => {
    const owner = await signedInUser();
    const stranger = await signedInUser();
    const payment = await seedPayment(owner.id, { status: 'pending_payment' });
    const foreign = await request(ctx.app)
      .delete(`/api/payments/${payment._id}/cancel`)
      .set('Authorization', stranger.auth);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error).toEqual(expect.any(String));
    const anonymous = await request(ctx.app).delete(`/api/payments/${payment._id}/cancel`);
    expect(anonymous.status).toBe(401);
    const bad = await request(ctx.app)
      .delete('/api/payments/not-an-id/cancel')
      .set('Authorization', owner.auth);
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual(expect.any(Array));
    expect(await PaymentModel.exists({ _id: payment._id })).not.toBeNull();
  });
});

describe('automatic payment while Midtrans is not configured', () => {
  it('answers 404 to a gateway payment and to a notification, and bank transfer still works', async () => {
    const user = await signedInUser();
    const gateway = await request(ctx.app)
      .post('/api/payments/gateway')
      .set('Authorization', user.auth)
      .send({ method: 'qris' });
    expect(gateway.status).toBe(404);
    expect(gateway.body.error).toMatch(/bank transfer/);
    const notification = await request(ctx.app)
      .post('/api/payments/midtrans/notification')
      .send({
        order_id: 'KK-1',
        status_code: '200',
        gross_amount: '150000.00',
        signature_key: 'ab'.repeat(64),
        transaction_status: 'settlement',
      });
    expect(notification.status).toBe(404);
    expect(await PaymentModel.countDocuments({ userId: user.id })).toBe(0);
    const bank = await request(ctx.app)
      .post('/api/payments')
      .set('Authorization', user.auth)
      .send(clientPackage);
    expect(bank.status).toBe(200);
  });
});
