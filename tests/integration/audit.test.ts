import request from 'supertest';
import { AuditLogModel } from '../../src/models/audit-log.model';
import { UsageLimitModel } from '../../src/models/usage-limit.model';
import { businessDay } from '../../src/modules/usage/usage.service';
import { createAdmin, createUser, signIn, type TestUser } from '../factories/users.factory';
import { useTestContext } from '../helpers/context';
import { seedPayment } from '../helpers/payments';

const ctx = useTestContext('audit');

let admin: TestUser;
beforeAll(async () => {
  admin = await signIn(ctx, await createAdmin({ name: 'Sari Admin' }));
  // A second admin, so that the first may demote, block and delete admins.
  await createAdmin();
});

function listAudit(query: Record<string, string> = {}, auth = admin.auth) {
  return request(ctx.app).get('/api/admin/audit').query(query).set('Authorization', auth);
}

describe('admin decisions on accounts are audited', () => {
  it('records a role change, a block, an unblock and a deletion with before and after', async () => {
    const target = await createUser();
    const id = String(target._id);
    const auth = { Authorization: admin.auth };
    expect(
      (await request(ctx.app).patch(`/api/users/${id}`).set(auth).send({ role: 'admin' })).status,
    ).toBe(200);
    expect(
      (await request(ctx.app).post(`/api/users/${id}/block`).set(auth).send({ isActive: false }))
        .status,
    ).toBe(200);
    expect(
      (await request(ctx.app).post(`/api/users/${id}/block`).set(auth).send({ isActive: true }))
        .status,
    ).toBe(200);
    expect((await request(ctx.app).delete(`/api/users/${id}/delete`).set(auth)).status).toBe(200);

    const res = await listAudit({ targetId: id });
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    const entries = res.body.data.entries;
    expect(entries.map((e: { action: string }) => e.action)).toEqual([
      'user.delete',
      'user.unblock',
      'user.block',
      'user.role',
    ]);
    expect(entries[3]).toMatchObject({
      actor: { kind: 'admin', id: admin.id, name: 'Sari Admin' },
      targetType: 'user',
      targetId: id,
      subjectUserId: id,
      before: { role: 'user' },
      after: { role: 'admin' },
      createdAt: expect.any(String),
    });
    expect(entries[2]).toMatchObject({ before: { isActive: true }, after: { isActive: false } });
    expect(entries[0]).toMatchObject({ before: { isDeleted: false }, after: { isDeleted: true } });
  });

  it('records nothing when the decision is refused', async () => {
    const res = await request(ctx.app)
      .patch(`/api/users/${admin.id}`)
      .set('Authorization', admin.auth)
      .send({ role: 'user' });
    expect(res.status).toBe(400);
    expect(await AuditLogModel.countDocuments({ targetId: admin.id })).toBe(0);
  });

  it('a Pro grant (#71) extends Pro, turns today pro and is audited; a removal turns it free', async () => {
    const target = await createUser();
    const id = String(target._id);
    const grant = await request(ctx.app)
      .patch(`/api/users/${id}/premium`)
      .set('Authorization', admin.auth)
      .send({ isPremium: true, expiresInDays: 30 });
    expect(grant.status).toBe(200);
    expect(grant.body.data.user).toMatchObject({
      name: target.name,
      email: target.email,
      isPremium: true,
    });
    expect(await UsageLimitModel.findOne({ userId: id, date: businessDay() }).lean()).toMatchObject(
      {
        packageType: 'pro',
        aiGenerationLimit: null,
      },
    );

    const removal = await request(ctx.app)
      .patch(`/api/users/${id}/premium`)
      .set('Authorization', admin.auth)
      .send({ isPremium: false, expiresInDays: 30 });
    expect(removal.status).toBe(200);
    expect(await UsageLimitModel.findOne({ userId: id, date: businessDay() }).lean()).toMatchObject(
      {
        packageType: 'free',
        aiGenerationLimit: 0,
      },
    );

    const entries = (await listAudit({ subjectUserId: id })).body.data.entries;
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'user.premium.revoke',
        before: expect.objectContaining({ isPremium: true }),
        after: { isPremium: false, premiumExpiresAt: null },
      }),
      expect.objectContaining({
        action: 'user.premium.grant',
        note: '30 days',
        before: { isPremium: false, premiumExpiresAt: null },
        after: expect.objectContaining({ isPremium: true, premiumExpiresAt: expect.any(String) }),
      }),
    ]);
  });
});

describe('GET /api/admin/audit', () => {
  it('answers 401 without a token and 403 to a non-admin (envelope A)', async () => {
    const anonymous = await request(ctx.app).get('/api/admin/audit');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ success: false, code: 'UNAUTHENTICATED' });
    const user = await signIn(ctx, await createUser());
    const res = await listAudit({}, user.auth);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ success: false, message: expect.any(String) });
  });

  it('lists newest first, filtered by action, and paginated', async () => {
    for (let i = 0; i < 3; i += 1) {
      const payment = await seedPayment((await createUser())._id);
      await request(ctx.app)
        .put(`/api/admin/payments/${payment._id}/reject`)
        .set('Authorization', admin.auth)
        .send({ rejectionReason: `reason ${i}` });
    }
    const page1 = await listAudit({ action: 'payment.reject', limit: '2', page: '1' });
    const page2 = await listAudit({ action: 'payment.reject', limit: '2', page: '2' });
    expect(page1.body.data.pagination).toMatchObject({
      page: 1,
      limit: 2,
      total: 3,
      pages: 2,
      hasMore: true,
    });
    const entries = [...page1.body.data.entries, ...page2.body.data.entries];
    expect(
      entries.map(
        (e: { after: { payment: { rejectionReason: string } } }) => e.after.payment.rejectionReason,
      ),
    ).toEqual(['reason 2', 'reason 1', 'reason 0']);
  });

  it('answers 400 with details for an unknown action or a bad id', async () => {
    const res = await listAudit({ action: 'user.explode', targetId: 'nope' });
    expect(res.status).toBe(400);
    expect([...new Set(res.body.details.map((d: { field: string }) => d.field))].sort()).toEqual([
      'query.action',
      'query.targetId',
    ]);
  });
});
