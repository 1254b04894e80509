import request from 'supertest';
import { AuditLogModel } from '../../src/models/audit-log.model';
import { NotificationModel } from '../../src/models/notification.model';
import { PaymentModel } from '../../src/models/payment.model';
import { UserModel } from '../../src/models/user.model';
import { expireOverduePayments } from '../../src/modules/payments/payment-expiry.service';
import { createUser, signIn, type TestUser } from '../factories/users.factory';
import { useTestContext } from '../helpers/context';
import { FakeMidtrans } from '../helpers/fake-midtrans';

const SERVER_KEY = 'SB-Mid-server-test-key-0123456789';
const fake = new FakeMidtrans(SERVER_KEY);
beforeAll(() => fake.start());
afterAll(() => fake.stop());

const ctx = useTestContext('payment_gateway', () => ({
  MIDTRANS_SERVER_KEY: SERVER_KEY,
  MIDTRANS_API_URL: fake.url,
  MIDTRANS_PAYMENT_METHODS: 'qris,bca_va,permata_va',
}));

async function payWith(user: TestUser, method: string) {
  return request(ctx.app)
    .post('/api/payments/gateway')
    .set('Authorization', user.auth)
    .send({ method });
}

function notify(body: Record<string, string>) {
  return request(ctx.app).post('/api/payments/midtrans/notification').send(body);
}

async function openQrisPayment() {
  const user = await signIn(ctx, await createUser());
  const res = await payWith(user, 'qris');
  expect(res.status).toBe(200);
  return { user, payment: res.body.payment, orderId: res.body.payment.gateway.orderId as string };
}

async function effects(userId: string, paymentId: string) {
  return {
    payment: await PaymentModel.findById(paymentId).lean(),
    user: await UserModel.findById(userId).lean(),
    notifications: await NotificationModel.countDocuments({ userId }),
    audit: await AuditLogModel.countDocuments({ targetId: paymentId }),
  };
}

describe('POST /api/payments/gateway', () => {
  it('charges a QRIS order and answers the QR string and its expiry', async () => {
    const { user, payment, orderId } = await openQrisPayment();
    expect(payment).toMatchObject({
      status: 'pending_payment',
      method: 'midtrans',
      amount: 150000,
      bankName: 'QRIS',
      gateway: {
        provider: 'midtrans',
        channel: 'qris',
        orderId: `KK-${payment._id}`,
        qrString: expect.stringContaining('QRIS-'),
        qrImageUrl: expect.stringContaining('/qr/'),
        vaNumber: null,
        expiresAt: expect.any(String),
      },
    });
    expect(Date.parse(payment.gateway.expiresAt)).toBeGreaterThan(Date.now() + 50 * 60_000);
    const charge = fake.calls.find(
      (c) => c.path === '/v2/charge' && JSON.stringify(c.body).includes(orderId),
    );
    expect(charge?.body).toMatchObject({
      payment_type: 'qris',
      transaction_details: { order_id: orderId, gross_amount: 150000 },
      customer_details: { email: user.email },
    });
    expect(charge?.headers['x-override-notification']).toBe(
      'http://api.test/api/payments/midtrans/notification',
    );
  });

  it('answers the virtual account number of a VA payment', async () => {
    const bca = await payWith(await signIn(ctx, await createUser()), 'bca_va');
    expect(bca.body.payment).toMatchObject({
      bankName: 'BCA Virtual Account',
      bankAccountNumber: '12345678901',
      gateway: { channel: 'bca_va', bank: 'bca', vaNumber: '12345678901', qrString: null },
    });
    const permata = await payWith(await signIn(ctx, await createUser()), 'permata_va');
    expect(permata.body.payment.gateway).toMatchObject({
      bank: 'permata',
      vaNumber: '8562000011112222',
    });
  });

  it('answers 400 for a method not offered and 401 without a token, creating nothing', async () => {
    const user = await signIn(ctx, await createUser());
    const res = await payWith(user, 'bni_va');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/qris, bca_va, permata_va/);
    expect(
      (await request(ctx.app).post('/api/payments/gateway').send({ method: 'qris' })).status,
    ).toBe(401);
    expect(await PaymentModel.countDocuments({ userId: user.id })).toBe(0);
  });

  it('when the gateway refuses the charge, then it answers 503 and leaves no open payment', async () => {
    const user = await signIn(ctx, await createUser());
    fake.failCharges = '500';
    try {
      const res = await payWith(user, 'qris');
      expect(res.status).toBe(503);
      expect(res.body.error).toMatch(/bank transfer/);
    } finally {
      fake.failCharges = null;
    }
    expect(await PaymentModel.countDocuments({ userId: user.id })).toBe(0);
    expect((await payWith(user, 'qris')).status).toBe(200);
  });
});

describe('POST /api/payments/midtrans/notification', () => {
  it('activates Pro once for a genuine settlement the status endpoint confirms', async () => {
    const { user, payment, orderId } = await openQrisPayment();
    fake.setStatus(orderId, 'settlement');
    const res = await notify(fake.notification(orderId));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, orderId, status: 'approved', activated: true });
    const after = await effects(user.id, payment._id);
    expect(after.payment).toMatchObject({ status: 'approved', isOpen: false });
    expect(after.payment?.approvedBy ?? null).toBeNull();
    expect(after.user?.isPremium).toBe(true);
    expect(after.notifications).toBe(1);
    expect(await AuditLogModel.findOne({ targetId: payment._id }).lean()).toMatchObject({
      action: 'payment.approve',
      actorKind: 'system',
      actorName: 'Midtrans',
    });
    // A replay later changes nothing.
    const replay = await notify(fake.notification(orderId));
    expect(replay.status).toBe(200);
    expect(replay.body.activated).toBe(false);
    expect(await effects(user.id, payment._id)).toEqual(after);
  });

  it('when the same notification arrives 5 times at once, then Pro is extended once', async () => {
    const { user, payment, orderId } = await openQrisPayment();
    fake.setStatus(orderId, 'settlement');
    const body = fake.notification(orderId);
    const responses = await Promise.all(Array.from({ length: 5 }, () => notify(body)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(responses.filter((r) => r.body.activated === true)).toHaveLength(1);
    const after = await effects(user.id, payment._id);
    const approvedAt = after.payment?.approvedAt?.getTime() ?? 0;
    const end = after.user?.premiumExpiresAt?.getTime() ?? 0;
    expect(end - approvedAt).toBeLessThan(32 * 24 * 3600 * 1000);
    expect(end - approvedAt).toBeGreaterThan(27 * 24 * 3600 * 1000);
    expect(after.notifications).toBe(1);
    expect(after.audit).toBe(1);
  });

  it.each([
    [
      'a wrong signature',
      (orderId: string) => fake.notification(orderId, {}, { key: 'guessed-key' }),
    ],
    [
      'a tampered amount (signed over the real one)',
      (orderId: string) =>
        fake.notification(orderId, { gross_amount: '1.00' }, { grossAmount: '150000.00' }),
    ],
  ])('answers 403 and changes nothing for %s', async (_case, forge) => {
    const { user, payment, orderId } = await openQrisPayment();
    fake.setStatus(orderId, 'settlement');
    const before = await effects(user.id, payment._id);
    const res = await notify(forge(orderId));
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('Invalid notification signature');
    expect(await effects(user.id, payment._id)).toEqual(before);
  });

  it('answers 400 and changes nothing when a signed amount differs from the order', async () => {
    const { user, payment, orderId } = await openQrisPayment();
    fake.setStatus(orderId, 'settlement', '1000.00');
    const before = await effects(user.id, payment._id);
    const res = await notify(fake.notification(orderId));
    expect(res.status).toBe(400);
    expect(await effects(user.id, payment._id)).toEqual(before);
  });

  it('answers 409 and changes nothing when the status endpoint contradicts a settlement', async () => {
    const { user, payment, orderId } = await openQrisPayment();
    const before = await effects(user.id, payment._id);
    const res = await notify(fake.notification(orderId, { transaction_status: 'settlement' }));
    expect(res.status).toBe(409);
    expect(await effects(user.id, payment._id)).toEqual(before);
    expect(before.payment?.status).toBe('pending_payment');
  });

  it('answers 404 for an order that is not ours and 400 for a malformed notification', async () => {
    const unknown = fake.notification('KK-000000000000000000000000', { gross_amount: '150000.00' });
    expect((await notify(unknown)).status).toBe(404);
    const malformed = await notify({ order_id: 'x' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'body.signature_key' })]),
    );
  });

  it('expires the payment and tells the user when the gateway says the order expired', async () => {
    const { user, payment, orderId } = await openQrisPayment();
    fake.setStatus(orderId, 'expire');
    const res = await notify(fake.notification(orderId, { status_code: '407' }));
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('expired');
    const after = await effects(user.id, payment._id);
    expect(after.payment).toMatchObject({ status: 'expired', isOpen: false });
    expect(after.user?.isPremium).toBe(false);
    expect(after.notifications).toBe(1);
  });
});

describe('gateway payments: cancel and the overdue sweep', () => {
  it('a cancelled gateway payment is expired at the gateway before it is deleted', async () => {
    const { user, payment, orderId } = await openQrisPayment();
    const res = await request(ctx.app)
      .delete(`/api/payments/${payment._id}/cancel`)
      .set('Authorization', user.auth);
    expect(res.status).toBe(200);
    expect(fake.orders.get(orderId)?.transaction_status).toBe('expire');
    expect(await PaymentModel.exists({ _id: payment._id })).toBeNull();
  });

  it('the sweep activates an overdue order that was paid and expires one that was not', async () => {
    const paid = await openQrisPayment();
    const unpaid = await openQrisPayment();
    fake.setStatus(paid.orderId, 'settlement');
    const past = new Date(Date.now() - 60_000);
    for (const { payment } of [paid, unpaid]) {
      await PaymentModel.updateOne({ _id: payment._id }, { $set: { expiresAt: past } });
    }
    const result = await expireOverduePayments(ctx);
    expect(result.activated).toBeGreaterThanOrEqual(1);
    expect((await effects(paid.user.id, paid.payment._id)).payment?.status).toBe('approved');
    expect((await UserModel.findById(paid.user.id).lean())?.isPremium).toBe(true);
    expect((await PaymentModel.findById(unpaid.payment._id).lean())?.status).toBe('expired');
    expect(fake.orders.get(unpaid.orderId)?.transaction_status).toBe('expire');
    // A late settlement notification for the expired order still activates it (money was taken).
    fake.setStatus(unpaid.orderId, 'settlement');
    const late = await notify(fake.notification(unpaid.orderId));
    expect(late.body).toMatchObject({ status: 'approved', activated: true });
  });
});
