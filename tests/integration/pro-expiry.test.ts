import request from 'supertest';
import { sweepExpiredPremium } from '../../src/modules/payments/premium-expiry.service';
import { NotificationModel } from '../../src/models/notification.model';
import { PaymentModel } from '../../src/models/payment.model';
import { UserModel } from '../../src/models/user.model';
import { expireOverduePayments } from '../../src/modules/payments/payment-expiry.service';
import { createUser, signIn } from '../factories/users.factory';
import { jobContextOf, useTestContext } from '../helpers/context';
import { eventually } from '../helpers/eventually';
import { seedPayment } from '../helpers/payments';

const ctx = useTestContext('pro_expiry');

const jobContext = () => jobContextOf(ctx);

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000);
const inDays = (n: number) => new Date(Date.now() + n * 24 * 3600 * 1000);

describe('Pro expiry', () => {
  it('reads an ended Pro as free on the very next request, before any sweep', async () => {
    const user = await createUser({ isPremium: true, premiumExpiresAt: minutesAgo(1) });
    const session = await signIn(ctx, user);
    const verify = await request(ctx.app)
      .get('/api/auth/verify')
      .set('Authorization', session.auth);
    expect(verify.body.data.user.isPremium).toBe(false);
    const usage = await request(ctx.app).get('/api/usage/today').set('Authorization', session.auth);
    expect(usage.status).toBe(200);
    expect(usage.body.data).toMatchObject({
      packageType: 'free',
      aiGeneration: { used: 0, limit: 0, remaining: 0 },
    });
    expect((await UserModel.findById(user._id).lean())?.isPremium).toBe(true);
  });

  it('the sweep downgrades ended Pro accounts once and tells each user once', async () => {
    const ended = await createUser({ isPremium: true, premiumExpiresAt: minutesAgo(5) });
    const active = await createUser({ isPremium: true, premiumExpiresAt: inDays(3) });
    await sweepExpiredPremium({}, jobContext());
    await sweepExpiredPremium({}, jobContext());
    expect((await UserModel.findById(ended._id).lean())?.isPremium).toBe(false);
    expect((await UserModel.findById(active._id).lean())?.isPremium).toBe(true);
    const notes = await NotificationModel.find({ userId: String(ended._id) }).lean();
    expect(notes).toEqual([
      expect.objectContaining({ title: 'KaryaKlik Pro has ended', actionUrl: '/upgrade-pro' }),
    ]);
    expect(await NotificationModel.countDocuments({ userId: String(active._id) })).toBe(0);
    const session = await signIn(ctx, ended);
    const verify = await request(ctx.app)
      .get('/api/auth/verify')
      .set('Authorization', session.auth);
    expect(verify.body.data.user.isPremium).toBe(false);
  });

  it('the sweep leaves an account whose ended Pro was renewed', async () => {
    const renewed = await createUser({ isPremium: true, premiumExpiresAt: minutesAgo(1) });
    await UserModel.updateOne({ _id: renewed._id }, { $set: { premiumExpiresAt: inDays(30) } });
    await sweepExpiredPremium({}, jobContext());
    expect((await UserModel.findById(renewed._id).lean())?.isPremium).toBe(true);
    expect(await NotificationModel.countDocuments({ userId: String(renewed._id) })).toBe(0);
  });
});

describe('payment deadline', () => {
  it('expires a bank-transfer payment left without a proof past its deadline, and says so', async () => {
    const user = await signIn(ctx, await createUser());
    const overdue = await seedPayment(user.id, {
      status: 'pending_payment',
      expiresAt: minutesAgo(1),
    });
    const result = await expireOverduePayments(ctx);
    expect(result.expired).toBeGreaterThanOrEqual(1);
    expect(await PaymentModel.findById(overdue._id).lean()).toMatchObject({
      status: 'expired',
      isOpen: false,
      expiredAt: expect.any(Date),
    });
    expect(await NotificationModel.find({ userId: user.id }).lean()).toEqual([
      expect.objectContaining({
        title: 'Payment expired',
        data: expect.objectContaining({ status: 'expired' }),
      }),
    ]);
    const list = await request(ctx.app).get('/api/payments').set('Authorization', user.auth);
    expect(list.body.payments[0]).toMatchObject({ _id: String(overdue._id), status: 'expired' });
    const again = await request(ctx.app)
      .post('/api/payments')
      .set('Authorization', user.auth)
      .send({ packageType: 'pro' });
    expect(again.status).toBe(200);
    await expireOverduePayments(ctx);
    expect(await NotificationModel.countDocuments({ userId: user.id })).toBe(1);
  });

  it('leaves payments before their deadline and those with a proof', async () => {
    const user = await createUser();
    const fresh = await seedPayment(user._id, { status: 'pending_payment', expiresAt: inDays(1) });
    const other = await createUser();
    const proven = await seedPayment(other._id, {
      status: 'pending_verification',
      expiresAt: null,
    });
    await expireOverduePayments(ctx);
    expect((await PaymentModel.findById(fresh._id).lean())?.status).toBe('pending_payment');
    expect((await PaymentModel.findById(proven._id).lean())?.status).toBe('pending_verification');
  });

  it('the repeatable jobs run on a real worker', async () => {
    const user = await createUser({ isPremium: true, premiumExpiresAt: minutesAgo(2) });
    const payer = await createUser();
    const overdue = await seedPayment(payer._id, {
      status: 'pending_payment',
      expiresAt: minutesAgo(2),
    });
    ctx.startWorkers();
    await ctx.jobs.enqueue('sweep-expired-premium', {});
    await ctx.jobs.enqueue('expire-overdue-payments', {});
    await eventually(async () => (await UserModel.findById(user._id).lean())?.isPremium === false);
    await eventually(
      async () => (await PaymentModel.findById(overdue._id).lean())?.status === 'expired',
    );
  });
});
