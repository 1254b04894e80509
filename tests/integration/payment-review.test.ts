import { DateTime } from 'luxon';
import request from 'supertest';
import { AuditLogModel } from '../../src/models/audit-log.model';
import { NotificationModel } from '../../src/models/notification.model';
import { PaymentModel } from '../../src/models/payment.model';
import { UsageLimitModel } from '../../src/models/usage-limit.model';
import { UserModel } from '../../src/models/user.model';
import { businessDay } from '../../src/modules/usage/usage.service';
import { createAdmin, createUser, signIn, type TestUser } from '../factories/users.factory';
import { solidImage } from '../fixtures/images';
import { useTestContext } from '../helpers/context';
import { seedPayment } from '../helpers/payments';

const ctx = useTestContext('payment_review');

let admin: TestUser;
beforeAll(async () => {
  admin = await signIn(ctx, await createAdmin({ name: 'Rina Admin' }));
});

function plusMonths(from: Date, months: number): number {
  return DateTime.fromJSDate(from, { zone: 'Asia/Jakarta' }).plus({ months }).toMillis();
}

function approve(id: string, auth = admin.auth, body: object = { adminNotes: 'Transfer seen' }) {
  return request(ctx.app)
    .put(`/api/admin/payments/${id}/approve`)
    .set('Authorization', auth)
    .send(body);
}

function reject(id: string, auth = admin.auth, body: object = { rejectionReason: 'Blurry' }) {
  return request(ctx.app)
    .put(`/api/admin/payments/${id}/reject`)
    .set('Authorization', auth)
    .send(body);
}

describe('GET /api/admin/payments (#36)', () => {
  it('answers 401 without a token and 403 to a non-admin, under `error`', async () => {
    expect((await request(ctx.app).get('/api/admin/payments')).status).toBe(401);
    const user = await signIn(ctx, await createUser());
    const res = await request(ctx.app).get('/api/admin/payments').set('Authorization', user.auth);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: expect.any(String) });
  });

  it('lists by status, newest first, paginated, with the payer and deciders populated', async () => {
    const payer = await createUser({ name: 'Budi Santoso' });
    const payerUser = await signIn(ctx, payer);
    const payment = await seedPayment(payer._id, { status: 'pending_payment' });
    await request(ctx.app)
      .post('/api/payments/upload-proof')
      .set('Authorization', payerUser.auth)
      .field('paymentId', String(payment._id))
      .attach('paymentProof', await solidImage(80, 60, '#224466'), 'proof.jpg');
    for (let i = 0; i < 3; i += 1) {
      await seedPayment((await createUser())._id, {
        status: 'approved',
        approvedBy: admin.id,
        approvedAt: new Date(),
        createdAt: new Date(Date.now() - (i + 1) * 60_000),
      });
    }

    const queue = await request(ctx.app)
      .get('/api/admin/payments?status=pending_verification&page=1&limit=20')
      .set('Authorization', admin.auth);
    expect(queue.status).toBe(200);
    expect(queue.body.success).toBe(true);
    const row = queue.body.payments.find((p: { _id: string }) => p._id === String(payment._id));
    expect(row).toMatchObject({
      _id: String(payment._id),
      packageName: 'KaryaKlik Pro',
      status: 'pending_verification',
      amount: 150000,
      packageType: 'pro',
      durationMonths: 1,
      createdAt: expect.any(String),
      bankName: 'Bank BCA',
      bankAccountNumber: '1234567890',
      bankAccountName: 'PT KaryaKlik Indonesia',
      paymentProofUrl: expect.stringMatching(/^http:\/\/api\.test\/uploads\/s\//),
      rejectionReason: null,
      userId: { _id: String(payer._id), name: 'Budi Santoso', email: payer.email },
    });
    // The admin page's <img> loads the proof without a token.
    const image = await request(ctx.app).get(new URL(row.paymentProofUrl).pathname);
    expect(image.status).toBe(200);
    expect(
      queue.body.payments.every((p: { status: string }) => p.status === 'pending_verification'),
    ).toBe(true);

    const approved = await request(ctx.app)
      .get('/api/admin/payments?status=approved&page=2&limit=2')
      .set('Authorization', admin.auth);
    expect(approved.status).toBe(200);
    expect(approved.body.pagination).toMatchObject({ page: 2, limit: 2, total: 3, pages: 2 });
    expect(approved.body.payments).toHaveLength(1);
    expect(approved.body.payments[0].approvedBy).toMatchObject({
      _id: admin.id,
      name: 'Rina Admin',
    });

    const all = await request(ctx.app)
      .get('/api/admin/payments?status=all')
      .set('Authorization', admin.auth);
    expect(all.body.pagination.total).toBe(4);
    const times = all.body.payments.map((p: { createdAt: string }) => Date.parse(p.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('answers 400 with details for an unknown status', async () => {
    const res = await request(ctx.app)
      .get('/api/admin/payments?status=paid')
      .set('Authorization', admin.auth);
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([expect.objectContaining({ field: 'query.status' })]);
  });
});

describe('PUT /api/admin/payments/:id/approve (#37)', () => {
  it('activates Pro for a calendar month, turns today pro, notifies and audits', async () => {
    const payer = await createUser();
    const payment = await seedPayment(payer._id);
    const res = await approve(String(payment._id));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      success: true,
      message: expect.any(String),
      payment: {
        _id: String(payment._id),
        status: 'approved',
        approvedAt: expect.any(String),
        approvedBy: 'Rina Admin',
      },
      user: { _id: String(payer._id), email: payer.email, isPremium: true },
    });
    const approvedAt = new Date(res.body.payment.approvedAt);
    expect(Date.parse(res.body.user.premiumExpiresAt)).toBe(plusMonths(approvedAt, 1));

    const stored = await PaymentModel.findById(payment._id).lean();
    expect(stored).toMatchObject({
      status: 'approved',
      adminNotes: 'Transfer seen',
      isOpen: false,
    });
    expect(String(stored?.approvedBy)).toBe(admin.id);
    expect(
      await UsageLimitModel.findOne({ userId: payer._id, date: businessDay() }).lean(),
    ).toMatchObject({ packageType: 'pro', aiGenerationLimit: null, frameUploadLimit: null });
    expect(await NotificationModel.find({ userId: String(payer._id) }).lean()).toEqual([
      expect.objectContaining({ title: 'KaryaKlik Pro is active', type: 'system' }),
    ]);
    const audit = await AuditLogModel.find({ targetId: payment._id }).lean();
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'payment.approve',
        actorKind: 'admin',
        actorName: 'Rina Admin',
        note: 'Transfer seen',
        before: {
          payment: { status: 'pending_verification' },
          user: { isPremium: false, premiumExpiresAt: null },
        },
      }),
    ]);
    expect(String(audit[0]?.actorId)).toBe(admin.id);
    const verify = await request(ctx.app)
      .get('/api/auth/verify')
      .set('Authorization', (await signIn(ctx, payer)).auth);
    expect(verify.body.data.user.isPremium).toBe(true);
  });

  it('extends an unexpired Pro from its end, not from now', async () => {
    const end = new Date(Date.now() + 10 * 24 * 3600 * 1000);
    const payer = await createUser({ isPremium: true, premiumExpiresAt: end });
    const payment = await seedPayment(payer._id, { durationMonths: 3 });
    const res = await approve(String(payment._id));
    expect(res.status).toBe(200);
    expect(Date.parse(res.body.user.premiumExpiresAt)).toBe(plusMonths(end, 3));
  });

  it('answers 400 for a payment not awaiting verification, 404 for none, 400 for a bad id', async () => {
    const payer = await createUser();
    const waiting = await seedPayment(payer._id, { status: 'pending_payment' });
    const res = await approve(String(waiting._id));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/not awaiting verification \(status: pending_payment\)/);
    expect((await approve('0123456789abcdef01234567')).status).toBe(404);
    expect((await approve('bad-id')).status).toBe(400);
    expect((await UserModel.findById(payer._id).lean())?.isPremium).toBe(false);
  });

  it('answers 401 without a token and 403 to a non-admin, changing nothing', async () => {
    const payer = await signIn(ctx, await createUser());
    const payment = await seedPayment(payer.id);
    expect((await request(ctx.app).put(`/api/admin/payments/${payment._id}/approve`)).status).toBe(
      401,
    );
    expect((await approve(String(payment._id), payer.auth)).status).toBe(403);
    expect((await PaymentModel.findById(payment._id).lean())?.status).toBe('pending_verification');
  });

  it('when 50 approvals of one payment race, then one 200 and Pro, notification and audit happen once', async () => {
    const payer = await createUser();
    const payment = await seedPayment(payer._id);
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => approve(String(payment._id))),
    );
    const winners = responses.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    expect(responses.filter((r) => r.status === 400)).toHaveLength(49);
    const approvedAt = new Date(winners[0]?.body.payment.approvedAt);
    const user = await UserModel.findById(payer._id).lean();
    expect(user?.premiumExpiresAt?.getTime()).toBe(plusMonths(approvedAt, 1));
    expect(await NotificationModel.countDocuments({ userId: String(payer._id) })).toBe(1);
    expect(await AuditLogModel.countDocuments({ targetId: payment._id })).toBe(1);
    expect(await UsageLimitModel.countDocuments({ userId: payer._id })).toBe(1);
  });
});

describe('PUT /api/admin/payments/:id/reject (#38)', () => {
  it('answers 400 with details without a reason, changing nothing', async () => {
    const payment = await seedPayment((await createUser())._id);
    for (const body of [{}, { rejectionReason: '   ' }]) {
      const res = await reject(String(payment._id), admin.auth, body);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('Rejection reason is required');
      expect(res.body.details).toEqual([
        expect.objectContaining({ field: 'body.rejectionReason' }),
      ]);
    }
    expect((await PaymentModel.findById(payment._id).lean())?.status).toBe('pending_verification');
  });

  it('rejects with the reason, notifies the user with it and audits', async () => {
    const payer = await createUser();
    const payment = await seedPayment(payer._id);
    const res = await reject(String(payment._id), admin.auth, {
      rejectionReason: 'Amount differs',
      adminNotes: 'Rp100.000 only',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      success: true,
      message: expect.any(String),
      payment: {
        _id: String(payment._id),
        status: 'rejected',
        rejectionReason: 'Amount differs',
        rejectedAt: expect.any(String),
        rejectedBy: 'Rina Admin',
      },
    });
    expect(await PaymentModel.findById(payment._id).lean()).toMatchObject({
      status: 'rejected',
      isOpen: false,
      adminNotes: 'Rp100.000 only',
    });
    const [note] = await NotificationModel.find({ userId: String(payer._id) }).lean();
    expect(note?.message).toContain('Amount differs');
    expect(await AuditLogModel.find({ targetId: payment._id }).lean()).toEqual([
      expect.objectContaining({
        action: 'payment.reject',
        after: { payment: { status: 'rejected', rejectionReason: 'Amount differs' } },
      }),
    ]);
    expect((await reject(String(payment._id))).status).toBe(400);
  });

  it('when 10 approvals race 10 rejections, then one wins and payment, user, notification and audit agree', async () => {
    const payer = await createUser();
    const payment = await seedPayment(payer._id);
    const calls = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0 ? approve(String(payment._id)) : reject(String(payment._id)),
    );
    const responses = await Promise.all(calls);
    const winners = responses.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    expect(responses.filter((r) => r.status === 400)).toHaveLength(19);
    const outcome = winners[0]?.body.payment.status as 'approved' | 'rejected';

    const stored = await PaymentModel.findById(payment._id).lean();
    const user = await UserModel.findById(payer._id).lean();
    const notes = await NotificationModel.find({ userId: String(payer._id) }).lean();
    const audit = await AuditLogModel.find({ targetId: payment._id }).lean();
    expect(stored?.status).toBe(outcome);
    expect(Boolean(user?.isPremium)).toBe(outcome === 'approved');
    expect(notes).toHaveLength(1);
    expect(notes[0]?.data).toMatchObject({ status: outcome });
    expect(audit.map((a) => a.action)).toEqual([
      outcome === 'approved' ? 'payment.approve' : 'payment.reject',
    ]);
    if (outcome === 'approved') expect(stored?.rejectedAt ?? null).toBeNull();
    else expect(stored?.approvedAt ?? null).toBeNull();
  });
});
