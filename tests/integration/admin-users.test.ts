import request from 'supertest';
import { AnalyticsEventModel } from '../../src/models/analytics-event.model';
import { UserModel } from '../../src/models/user.model';
import { buildFinalComposite, buildPhotoSession } from '../factories/model.factory';
import {
  bearer,
  createAdmin,
  createUser,
  DEFAULT_PASSWORD,
  tokenFor,
} from '../factories/users.factory';
import { adminAuth, unknownId } from '../helpers/actor';
import { useTestContext } from '../helpers/context';

// Listing and reading users; changing them is in admin-users-actions.test.ts.
const ctx = useTestContext('admin_users', { RATE_LIMIT_ENABLED: 'false' });

describe('access to the admin user routes', () => {
  const routes = [
    ['get', () => '/api/users/all'],
    ['get', () => `/api/users/${unknownId()}`],
    ['patch', () => `/api/users/${unknownId()}`],
    ['delete', () => `/api/users/${unknownId()}/delete`],
    ['post', () => `/api/users/${unknownId()}/block`],
    ['patch', () => `/api/users/${unknownId()}/premium`],
    ['get', () => `/api/users/${unknownId()}/activities`],
  ] as const;

  it.each(routes)('%s answers 401 without a token and 401 to a non-admin', async (method, path) => {
    const user = await createUser();
    const anonymous = await request(ctx.app)[method](path()).send({});
    expect(anonymous.status).toBe(401);
    const res = await request(ctx.app)
      [method](path())
      .set(bearer(await tokenFor(ctx, user)))
      .send({ role: 'admin', isActive: true, isPremium: true });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ success: false, message: 'Admin access only' });
    expect((await UserModel.findById(user._id).lean())?.role).toBe('user');
  });
});

describe('GET /api/users/all (#66)', () => {
  it('lists users newest first with the row fields, no secrets, no deleted users, default limit 50', async () => {
    const { auth } = await adminAuth(ctx);
    const tag = `List${Date.now()}`;
    const kept = await createUser({
      name: `${tag} Kept`,
      lastLogin: new Date(),
      isPremium: true,
      premiumExpiresAt: new Date(Date.now() + 86_400_000),
    });
    await createUser({ name: `${tag} Gone`, isDeleted: true });
    const res = await request(ctx.app).get('/api/users/all').set(auth);
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    const { users, total, limit, skip } = res.body.data;
    expect(limit).toBe(50);
    expect(skip).toBe(0);
    expect(total).toBeGreaterThanOrEqual(2);
    const row = users.find((u: { _id: string }) => u._id === String(kept._id));
    expect(row).toMatchObject({
      _id: String(kept._id),
      name: `${tag} Kept`,
      email: kept.email,
      role: 'user',
      isActive: true,
      isPremium: true,
      premiumExpiresAt: expect.any(String),
      createdAt: expect.any(String),
      lastLogin: expect.any(String),
    });
    expect(users.some((u: { name: string }) => u.name === `${tag} Gone`)).toBe(false);
    expect(JSON.stringify(res.body)).not.toMatch(/password|loginHistory|tokenVersion|argon2/);
    const times = users.map((u: { createdAt: string }) => new Date(u.createdAt).getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('searches name and e-mail literally (regex characters escaped) and filters by role, premium and active', async () => {
    const { auth } = await adminAuth(ctx);
    const tag = `srch${Date.now()}`;
    const alice = await createUser({ name: `Alice ${tag}` });
    const bob = await createUser({
      name: `Bob ${tag}`,
      isActive: false,
      isPremium: true,
      premiumExpiresAt: new Date(Date.now() + 86_400_000),
    });
    const lapsed = await createUser({
      name: `Carol ${tag}`,
      isPremium: true,
      premiumExpiresAt: new Date(Date.now() - 1000),
    });
    const boss = await createAdmin({ name: `Dina ${tag}` });
    const ids = async (query: Record<string, string>) =>
      (
        await request(ctx.app)
          .get('/api/users/all')
          .query({ search: tag, ...query })
          .set(auth)
      ).body.data.users
        .map((u: { _id: string }) => u._id)
        .sort();

    expect(await ids({})).toEqual([alice, bob, lapsed, boss].map((u) => String(u._id)).sort());
    expect(await ids({ search: `ALICE ${tag}` })).toEqual([String(alice._id)]);
    expect(await ids({ search: alice.email.slice(0, 12) })).toContain(String(alice._id));
    expect(await ids({ role: 'admin' })).toEqual([String(boss._id)]);
    expect(await ids({ isActive: 'false' })).toEqual([String(bob._id)]);
    expect(await ids({ isPremium: 'true' })).toEqual([String(bob._id)]);
    expect(await ids({ isPremium: 'false' })).toEqual(
      [alice, lapsed, boss].map((u) => String(u._id)).sort(),
    );

    const regex = await request(ctx.app).get('/api/users/all').query({ search: '.*' }).set(auth);
    expect(regex.status).toBe(200);
    expect(regex.body.data.users).toHaveLength(0);
    expect(
      (await request(ctx.app).get('/api/users/all').query({ search: '(((' }).set(auth)).status,
    ).toBe(200);
  });

  it('pages with limit and skip, and answers 400 for bad filters', async () => {
    const { auth } = await adminAuth(ctx);
    const tag = `page${Date.now()}`;
    for (let i = 0; i < 5; i += 1) await createUser({ name: `Pager ${tag} ${i}` });
    const first = await request(ctx.app)
      .get('/api/users/all')
      .query({ search: tag, limit: 2 })
      .set(auth);
    const second = await request(ctx.app)
      .get('/api/users/all')
      .query({ search: tag, limit: 2, skip: 2 })
      .set(auth);
    expect(first.body.data).toMatchObject({ total: 5, limit: 2, skip: 0 });
    expect(first.body.data.users).toHaveLength(2);
    expect(second.body.data.users).toHaveLength(2);
    expect(second.body.data.users[0]._id).not.toBe(first.body.data.users[0]._id);
    expect(
      (await request(ctx.app).get('/api/users/all').query({ role: 'root' }).set(auth)).status,
    ).toBe(400);
    expect(
      (await request(ctx.app).get('/api/users/all').query({ limit: 100000 }).set(auth)).status,
    ).toBe(400);
  });
});

describe('GET /api/users/:id (#67, §19.7)', () => {
  it('answers the user at the top level and under data.user, with statistics and recent items', async () => {
    const { auth } = await adminAuth(ctx);
    const user = await createUser();
    const userId = String(user._id);
    await buildPhotoSession({
      userId,
      sessionName: 'Wisuda',
      status: 'completed',
      completedAt: new Date(),
    }).save();
    await buildPhotoSession({ userId, sessionName: 'Ulang Tahun' }).save();
    await buildFinalComposite({ userId, likes: 3, views: 10 }).save();
    await buildFinalComposite({ userId, likes: 2, views: 5 }).save();
    await AnalyticsEventModel.create({ userId, eventType: 'page_view', eventCategory: 'page' });

    const res = await request(ctx.app).get(`/api/users/${userId}`).set(auth);
    expect(res.status).toBe(200);
    const { data } = res.body;
    expect(data).toMatchObject({
      _id: userId,
      name: user.name,
      email: user.email,
      role: 'user',
      isActive: true,
    });
    expect(data.user).toMatchObject({
      _id: userId,
      id: userId,
      name: user.name,
      email: user.email,
    });
    expect(data.statistics).toEqual({
      totalSessions: 2,
      totalComposites: 2,
      totalViews: 15,
      totalLikes: 5,
      totalEvents: 1,
    });
    expect(data.recentSessions).toHaveLength(2);
    expect(data.recentSessions[0]).toEqual(
      expect.objectContaining({
        _id: expect.any(String),
        sessionName: expect.any(String),
        status: expect.any(String),
        startedAt: expect.any(String),
      }),
    );
    expect(
      data.recentSessions.find((s: { sessionName: string }) => s.sessionName === 'Wisuda'),
    ).toMatchObject({ status: 'completed', completedAt: expect.any(String) });
    expect(data.recentComposites[0]).toMatchObject({
      _id: expect.any(String),
      templateId: expect.any(String),
      compositeUrl: expect.stringMatching(/^http/),
      createdAt: expect.any(String),
      likes: expect.any(Number),
      views: expect.any(Number),
    });
    expect(data.recentComposites[0]).toHaveProperty('thumbnailUrl');
  });

  it('answers 404 for an unknown or deleted user and 400 for a malformed id', async () => {
    const { auth } = await adminAuth(ctx);
    const deleted = await createUser({ isDeleted: true });
    expect((await request(ctx.app).get(`/api/users/${unknownId()}`).set(auth)).status).toBe(404);
    expect(
      (
        await request(ctx.app)
          .get(`/api/users/${String(deleted._id)}`)
          .set(auth)
      ).status,
    ).toBe(404);
    expect((await request(ctx.app).get('/api/users/not-an-id').set(auth)).status).toBe(400);
  });
});

describe('GET /api/users/:id/activities (#72)', () => {
  it('merges events, logins, sessions and composites newest first, with pagination', async () => {
    const { auth } = await adminAuth(ctx);
    const user = await createUser();
    const userId = String(user._id);
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
    await AnalyticsEventModel.create({
      userId,
      eventType: 'template_view',
      eventCategory: 'template',
      timestamp: at(30),
    });
    await buildPhotoSession({ userId, sessionName: 'Pesta', startedAt: at(20) }).save();
    await buildFinalComposite({ userId }).save();
    await request(ctx.app)
      .post('/api/auth/login')
      .send({ email: user.email, password: DEFAULT_PASSWORD });

    const res = await request(ctx.app).get(`/api/users/${userId}/activities?limit=20`).set(auth);
    expect(res.status).toBe(200);
    const { data } = res.body;
    expect(data.user).toEqual({ id: userId, name: user.name, email: user.email });
    expect(data.activities).toHaveLength(4);
    expect(data.activities.map((a: { type: string }) => a.type).sort()).toEqual([
      'composite',
      'event',
      'event',
      'session',
    ]);
    for (const activity of data.activities) {
      expect(activity).toMatchObject({
        type: expect.any(String),
        action: expect.any(String),
        description: expect.any(String),
        timestamp: expect.any(String),
      });
    }
    const times = data.activities.map((a: { timestamp: string }) =>
      new Date(a.timestamp).getTime(),
    );
    expect([...times].sort((x, y) => y - x)).toEqual(times);
    expect(data.pagination).toEqual({ total: 4, limit: 20, skip: 0, hasMore: false });

    const page = await request(ctx.app)
      .get(`/api/users/${userId}/activities?limit=2&skip=2`)
      .set(auth);
    expect(
      page.body.data.activities.map((a: { timestamp: string }) => new Date(a.timestamp).getTime()),
    ).toEqual(times.slice(2, 4));
    expect(page.body.data.pagination).toMatchObject({
      total: 4,
      limit: 2,
      skip: 2,
      hasMore: false,
    });
    expect(
      (await request(ctx.app).get(`/api/users/${unknownId()}/activities`).set(auth)).status,
    ).toBe(404);
  });
});
