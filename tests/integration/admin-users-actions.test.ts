import request from 'supertest';
import { NotificationModel } from '../../src/models/notification.model';
import { UserModel } from '../../src/models/user.model';
import { bearer, createUser, DEFAULT_PASSWORD, tokenFor } from '../factories/users.factory';
import { adminAuth, unknownId } from '../helpers/actor';
import { useTestContext } from '../helpers/context';

// Role, block, delete and Pro changes by an admin.
const ctx = useTestContext('admin_users_actions', { RATE_LIMIT_ENABLED: 'false' });

describe('role, block, delete (#68, #69, #70)', () => {
  it("changes the role; the target's older tokens stop working", async () => {
    const { auth } = await adminAuth(ctx);
    const user = await createUser();
    const userToken = await tokenFor(ctx, user);
    const res = await request(ctx.app)
      .patch(`/api/users/${String(user._id)}`)
      .set(auth)
      .send({ role: 'admin' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      success: true,
      message: expect.any(String),
      data: { user: { _id: String(user._id), role: 'admin' } },
    });
    expect((await request(ctx.app).get('/api/auth/verify').set(bearer(userToken))).status).toBe(
      401,
    );
    expect(
      (
        await request(ctx.app)
          .patch(`/api/users/${String(user._id)}`)
          .set(auth)
          .send({ role: 'root' })
      ).status,
    ).toBe(400);
    expect(
      (await request(ctx.app).patch(`/api/users/${unknownId()}`).set(auth).send({ role: 'user' }))
        .status,
    ).toBe(404);
  });

  it("blocks and unblocks: a blocked user's token fails and login answers 403", async () => {
    const { auth } = await adminAuth(ctx);
    const user = await createUser();
    const userToken = await tokenFor(ctx, user);
    const block = await request(ctx.app)
      .post(`/api/users/${String(user._id)}/block`)
      .set(auth)
      .send({ isActive: false });
    expect(block.status).toBe(200);
    expect(block.body).toMatchObject({ success: true, data: { user: { isActive: false } } });
    expect((await request(ctx.app).get('/api/auth/verify').set(bearer(userToken))).status).toBe(
      401,
    );
    expect(
      (
        await request(ctx.app)
          .post('/api/auth/login')
          .send({ email: user.email, password: DEFAULT_PASSWORD })
      ).status,
    ).toBe(403);
    const unblock = await request(ctx.app)
      .post(`/api/users/${String(user._id)}/block`)
      .set(auth)
      .send({ isActive: true });
    expect(unblock.body.data.user.isActive).toBe(true);
    expect(
      (
        await request(ctx.app)
          .post('/api/auth/login')
          .send({ email: user.email, password: DEFAULT_PASSWORD })
      ).status,
    ).toBe(200);
    expect(
      (
        await request(ctx.app)
          .post(`/api/users/${String(user._id)}/block`)
          .set(auth)
          .send({})
      ).status,
    ).toBe(400);
  });

  it('soft-deletes a user', async () => {
    const { auth } = await adminAuth(ctx);
    const user = await createUser();
    const res = await request(ctx.app)
      .delete(`/api/users/${String(user._id)}/delete`)
      .set(auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, message: expect.any(String) });
    expect(await UserModel.findById(user._id).select('+isDeleted').lean()).toMatchObject({
      isDeleted: true,
      isActive: false,
    });
    expect(
      (
        await request(ctx.app)
          .delete(`/api/users/${String(user._id)}/delete`)
          .set(auth)
      ).status,
    ).toBe(404);
  });

  it('refuses to let an admin demote, block or delete themself (400)', async () => {
    const { admin, auth } = await adminAuth(ctx);
    const id = String(admin._id);
    for (const res of [
      await request(ctx.app).patch(`/api/users/${id}`).set(auth).send({ role: 'user' }),
      await request(ctx.app).post(`/api/users/${id}/block`).set(auth).send({ isActive: false }),
      await request(ctx.app).delete(`/api/users/${id}/delete`).set(auth),
    ]) {
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/your own account/);
    }
    expect(await UserModel.findById(admin._id).select('+isDeleted').lean()).toMatchObject({
      role: 'admin',
      isActive: true,
      isDeleted: false,
    });
  });

  it('when the last two admins demote each other at once, then exactly one succeeds and an admin remains', async () => {
    await UserModel.updateMany({ role: 'admin' }, { $set: { role: 'user' } });
    const a = await adminAuth(ctx);
    const b = await adminAuth(ctx);
    const [ab, ba] = await Promise.all([
      request(ctx.app)
        .patch(`/api/users/${String(b.admin._id)}`)
        .set(a.auth)
        .send({ role: 'user' }),
      request(ctx.app)
        .patch(`/api/users/${String(a.admin._id)}`)
        .set(b.auth)
        .send({ role: 'user' }),
    ]);
    expect([ab.status, ba.status].filter((s) => s === 200)).toHaveLength(1);
    expect([ab.status, ba.status].every((s) => [200, 401, 409].includes(s))).toBe(true);
    expect(
      await UserModel.countDocuments({ role: 'admin', isActive: true, isDeleted: false }),
    ).toBe(1);
  });

  it('refuses to let the last admin deactivate or delete their own account (409)', async () => {
    await UserModel.updateMany({ role: 'admin' }, { $set: { role: 'user' } });
    const { admin, auth } = await adminAuth(ctx);
    const deactivate = await request(ctx.app)
      .put('/api/users/deactivate')
      .set(auth)
      .send({ password: DEFAULT_PASSWORD });
    expect(deactivate.status).toBe(409);
    expect(deactivate.body.message).toMatch(/last admin/);
    const remove = await request(ctx.app)
      .delete('/api/users/delete')
      .set(auth)
      .send({ password: DEFAULT_PASSWORD });
    expect(remove.status).toBe(409);
    expect(await UserModel.findById(admin._id).select('+isDeleted').lean()).toMatchObject({
      isActive: true,
      isDeleted: false,
    });
  });
});

describe('PATCH /api/users/:id/premium (#71)', () => {
  it('grants Pro for the given days (data.user with name and email) and notifies the user; removal clears the expiry', async () => {
    const { auth } = await adminAuth(ctx);
    const user = await createUser();
    const grant = await request(ctx.app)
      .patch(`/api/users/${String(user._id)}/premium`)
      .set(auth)
      .send({ isPremium: true, expiresInDays: 30 });
    expect(grant.status).toBe(200);
    expect(grant.body).toMatchObject({ success: true, message: expect.any(String) });
    expect(grant.body.data.user).toMatchObject({
      _id: String(user._id),
      name: user.name,
      email: user.email,
      isPremium: true,
      premiumExpiresAt: expect.any(String),
    });
    const days =
      (new Date(grant.body.data.user.premiumExpiresAt).getTime() - Date.now()) / 86_400_000;
    expect(Math.round(days)).toBe(30);
    expect(
      await NotificationModel.countDocuments({
        userId: String(user._id),
        title: 'KaryaKlik Pro activated',
      }),
    ).toBe(1);

    const extend = await request(ctx.app)
      .patch(`/api/users/${String(user._id)}/premium`)
      .set(auth)
      .send({ isPremium: true, expiresInDays: 10 });
    expect(
      Math.round(
        (new Date(extend.body.data.user.premiumExpiresAt).getTime() - Date.now()) / 86_400_000,
      ),
    ).toBe(40);

    const remove = await request(ctx.app)
      .patch(`/api/users/${String(user._id)}/premium`)
      .set(auth)
      .send({ isPremium: false });
    expect(remove.status).toBe(200);
    expect(remove.body.data.user).toMatchObject({
      name: user.name,
      email: user.email,
      isPremium: false,
      premiumExpiresAt: null,
    });
  });

  it('answers 400 without isPremium and 404 for an unknown user', async () => {
    const { auth } = await adminAuth(ctx);
    const user = await createUser();
    expect(
      (
        await request(ctx.app)
          .patch(`/api/users/${String(user._id)}/premium`)
          .set(auth)
          .send({ expiresInDays: 30 })
      ).status,
    ).toBe(400);
    expect(
      (
        await request(ctx.app)
          .patch(`/api/users/${unknownId()}/premium`)
          .set(auth)
          .send({ isPremium: true })
      ).status,
    ).toBe(404);
  });
});
