import request from 'supertest';
import { buildApp } from '../../src/app';
import { sweepExpiredPremium } from '../../src/modules/payments/premium-expiry.service';
import { schedulePeriodicJobs } from '../../src/jobs/schedules';
import { PhotoModel } from '../../src/models/photo.model';
import { UserModel } from '../../src/models/user.model';
import { buildPhoto } from '../factories/model.factory';
import { bearer, createUser, DEFAULT_PASSWORD, uniqueEmail } from '../factories/users.factory';
import { appWithOutbox } from '../helpers/outbox';
import { useTestContext } from '../helpers/context';
import { userAuth } from '../helpers/actor';

// The account routes; the profile picture is in profile-picture.test.ts.
const ctx = useTestContext('profile', { RATE_LIMIT_ENABLED: 'false' });
const { app, outbox } = appWithOutbox(ctx);

describe('when no token is sent', () => {
  it.each([
    ['get', '/api/users/profile'],
    ['put', '/api/users/profile'],
    ['post', '/api/users/profile-picture'],
    ['delete', '/api/users/profile-picture'],
    ['put', '/api/users/password'],
    ['get', '/api/users/settings'],
    ['put', '/api/users/settings'],
    ['put', '/api/users/deactivate'],
    ['delete', '/api/users/delete'],
    ['post', '/api/users/upgrade-premium'],
  ] as const)('%s %s answers 401', async (method, path) => {
    const res = await request(app())[method](path).send({});
    expect(res.status).toBe(401);
    expect(res.body.success).toBe(false);
  });
});

describe('GET/PUT /api/users/profile (#8, #9)', () => {
  it('answers data.user with the fields the account page reads, premium included (§19.2)', async () => {
    const expires = new Date(Date.now() + 5 * 86_400_000);
    const { user, auth } = await userAuth(ctx, {
      phone: '+62 812-3456',
      isPremium: true,
      premiumExpiresAt: expires,
      lastLogin: new Date(),
    });
    const res = await request(app()).get('/api/users/profile').set(auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, message: expect.any(String) });
    expect(res.body.data.user).toMatchObject({
      id: String(user._id),
      name: user.name,
      email: user.email,
      phone: '+62 812-3456',
      profilePicture: null,
      role: 'user',
      isEmailVerified: false,
      isPremium: true,
      premiumExpiresAt: expires.toISOString(),
      lastLogin: expect.any(String),
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
  });

  it('updates name, e-mail and phone; a new e-mail is unverified and gets a verification mail', async () => {
    const { user, auth } = await userAuth(ctx, { isEmailVerified: true });
    const email = uniqueEmail('moved');
    const res = await request(app())
      .put('/api/users/profile')
      .set(auth)
      .send({ name: 'Nama Baru', email: email.toUpperCase(), phone: '' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, message: expect.any(String) });
    expect(res.body.data.user).toMatchObject({
      id: String(user._id),
      name: 'Nama Baru',
      email,
      phone: '',
      isEmailVerified: false,
    });
    expect(outbox.last(email)?.link).toMatch(/verify-email\?token=/);
    const verify = await request(app()).get(
      `/api/auth/verify-email?token=${outbox.tokenSentTo(email)}`,
    );
    expect(verify.body.data.user).toMatchObject({ email, isEmailVerified: true });
  });

  it('leaves role, isPremium, premiumExpiresAt, googleId and password unchanged (whitelist)', async () => {
    const { user, auth } = await userAuth(ctx);
    const before = await UserModel.findById(user._id).select('+password').lean();
    const res = await request(app()).put('/api/users/profile').set(auth).send({
      name: 'Still Me',
      role: 'admin',
      isPremium: true,
      premiumExpiresAt: '2099-01-01',
      googleId: 'hijack',
      password: 'new-password-123',
      isActive: false,
      tokenVersion: 7,
    });
    expect(res.status).toBe(200);
    const after = await UserModel.findById(user._id).select('+password +tokenVersion').lean();
    expect(after).toMatchObject({
      name: 'Still Me',
      role: 'user',
      isPremium: false,
      premiumExpiresAt: null,
      isActive: true,
      tokenVersion: 0,
    });
    expect(after?.googleId).toBeUndefined();
    expect(after?.password).toBe(before?.password);
  });

  it.each([
    [{}, /at least one field/],
    [{ name: 'A' }, /Name/],
    [{ email: 'not-an-email' }, /valid email/],
    [{ phone: 'call me' }, /phone/],
  ])('answers 400 for %j', async (body, message) => {
    const { auth } = await userAuth(ctx);
    const res = await request(app()).put('/api/users/profile').set(auth).send(body);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(message);
  });

  it('answers 400 "Email is already in use" for another account\'s address', async () => {
    const other = await createUser();
    const { auth } = await userAuth(ctx);
    const res = await request(app())
      .put('/api/users/profile')
      .set(auth)
      .send({ email: other.email });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Email is already in use');
  });

  it('refuses operator payloads with 400 before touching the database', async () => {
    const { auth } = await userAuth(ctx);
    const update = jest.spyOn(UserModel, 'findOneAndUpdate');
    const exists = jest.spyOn(UserModel, 'exists');
    try {
      const res = await request(app())
        .put('/api/users/profile')
        .set(auth)
        .send({ email: { $ne: null } });
      expect(res.status).toBe(400);
      expect(update).not.toHaveBeenCalled();
      expect(exists).not.toHaveBeenCalled();
    } finally {
      update.mockRestore();
      exists.mockRestore();
    }
  });
});

describe('password, deactivation and deletion (#12, #13, #14)', () => {
  it('changes the password: old tokens stop working, the answer carries a fresh session', async () => {
    const { user, auth } = await userAuth(ctx);
    const res = await request(app())
      .put('/api/users/password')
      .set(auth)
      .send({ currentPassword: DEFAULT_PASSWORD, newPassword: 'changed-pass-77' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, message: expect.any(String) });
    expect((await request(app()).get('/api/auth/verify').set(auth)).status).toBe(401);
    expect(
      (await request(app()).get('/api/auth/verify').set(bearer(res.body.data.token))).status,
    ).toBe(200);
    expect(
      (
        await request(app())
          .post('/api/auth/login')
          .send({ email: user.email, password: 'changed-pass-77' })
      ).status,
    ).toBe(200);
    const stored = await UserModel.findById(user._id).select('+passwordChangedAt').lean();
    expect(stored?.passwordChangedAt).toBeInstanceOf(Date);
  });

  it.each([
    [{ newPassword: 'changed-pass-77' }, /currentPassword/],
    [{ currentPassword: DEFAULT_PASSWORD, newPassword: 'short' }, /at least 8/],
    [
      { currentPassword: 'wrong-password', newPassword: 'changed-pass-77' },
      /Current password is incorrect/,
    ],
  ])('answers 400 for %j', async (body, message) => {
    const { auth } = await userAuth(ctx);
    const res = await request(app()).put('/api/users/password').set(auth).send(body);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(message);
  });

  it('deactivates with the right password: tokens end, login answers 403', async () => {
    const { user, auth } = await userAuth(ctx);
    expect((await request(app()).put('/api/users/deactivate').set(auth).send({})).status).toBe(400);
    const wrong = await request(app())
      .put('/api/users/deactivate')
      .set(auth)
      .send({ password: 'wrong-password' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toBe('Invalid password');
    const res = await request(app())
      .put('/api/users/deactivate')
      .set(auth)
      .send({ password: DEFAULT_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    expect((await request(app()).get('/api/users/profile').set(auth)).status).toBe(401);
    expect(
      (
        await request(app())
          .post('/api/auth/login')
          .send({ email: user.email, password: DEFAULT_PASSWORD })
      ).status,
    ).toBe(403);
  });

  it("deletes softly with the password in a JSON DELETE body and hides the user's photos", async () => {
    const { user, auth } = await userAuth(ctx);
    await buildPhoto({ userId: user._id, isPublic: true }).save();
    const wrong = await request(app())
      .delete('/api/users/delete')
      .set(auth)
      .send({ password: 'wrong-password' });
    expect(wrong.status).toBe(401);
    expect((await request(app()).delete('/api/users/delete').set(auth).send({})).status).toBe(400);
    const res = await request(app())
      .delete('/api/users/delete')
      .set(auth)
      .send({ password: DEFAULT_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, message: expect.any(String) });
    const stored = await UserModel.findById(user._id).select('+isDeleted').lean();
    expect(stored).toMatchObject({ isDeleted: true, isActive: false, deletedAt: expect.any(Date) });
    expect(await PhotoModel.countDocuments({ userId: user._id, isPublic: true })).toBe(0);
    expect((await request(app()).get('/api/auth/verify').set(auth)).status).toBe(401);
    expect(
      (
        await request(app())
          .post('/api/auth/login')
          .send({ email: user.email, password: DEFAULT_PASSWORD })
      ).status,
    ).toBe(401);
  });
});

describe('settings (#15, #16)', () => {
  it('answers the defaults, then stores valid changes', async () => {
    const { auth } = await userAuth(ctx);
    const res = await request(app()).get('/api/users/settings').set(auth);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      notifications: { emailNotifications: true, templateAlerts: true, weeklyReports: false },
      theme: { theme: 'dark', language: 'en' },
    });
    const put = await request(app())
      .put('/api/users/settings')
      .set(auth)
      .send({ type: 'theme', settings: { theme: 'light', language: 'id' } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      success: true,
      message: expect.any(String),
      data: { theme: { theme: 'light', language: 'id' } },
    });
    const notes = await request(app())
      .put('/api/users/settings')
      .set(auth)
      .send({ type: 'notifications', settings: { weeklyReports: true } });
    expect(notes.body.data.notifications).toEqual({
      emailNotifications: true,
      templateAlerts: true,
      weeklyReports: true,
    });
    expect((await request(app()).get('/api/users/settings').set(auth)).body.data.theme).toEqual({
      theme: 'light',
      language: 'id',
    });
  });

  it.each([
    [{ type: 'colors', settings: { theme: 'dark' } }],
    [{ type: 'theme', settings: { theme: 'blue' } }],
    [{ type: 'theme', settings: { language: 'fr' } }],
    [{ type: 'theme', settings: {} }],
    [{ type: 'notifications' }],
  ])('answers 400 for %j', async (body) => {
    const { auth } = await userAuth(ctx);
    const res = await request(app()).put('/api/users/settings').set(auth).send(body);
    expect(res.status).toBe(400);
    expect(res.body.success).toBe(false);
  });
});

describe('POST /api/users/upgrade-premium (#17, §19.11)', () => {
  it('is off by default: 403 pointing to the bank-transfer flow, nothing changes', async () => {
    const { user, auth } = await userAuth(ctx);
    const res = await request(app())
      .post('/api/users/upgrade-premium')
      .set(auth)
      .send({ expiresInDays: 30 });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      success: false,
      message: expect.stringMatching(/bank transfer/i),
    });
    expect((await UserModel.findById(user._id).lean())?.isPremium).toBe(false);
  });

  it('when ALLOW_DIRECT_UPGRADE is on, then it answers data.user with Pro for the given days', async () => {
    const open = buildApp({ ...ctx, config: { ...ctx.config, allowDirectUpgrade: true } });
    const { user, auth } = await userAuth(ctx);
    const res = await request(open)
      .post('/api/users/upgrade-premium')
      .set(auth)
      .send({ expiresInDays: 30 });
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    expect(res.body.data.user).toMatchObject({
      id: String(user._id),
      name: user.name,
      email: user.email,
      isPremium: true,
    });
    const days =
      (new Date(res.body.data.user.premiumExpiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThan(30.1);
  });
});

describe('sweep-expired-premium job (§19.14)', () => {
  it('is registered by the worker as a BullMQ job scheduler every PREMIUM_SWEEP_INTERVAL_MS', async () => {
    const schedules = await schedulePeriodicJobs(ctx.config);
    try {
      const scheduler = await ctx.jobs.queue('background').getJobScheduler('sweep-expired-premium');
      expect(scheduler).toMatchObject({
        name: 'sweep-expired-premium',
        every: ctx.config.premiumSweepIntervalMs,
      });
    } finally {
      await ctx.jobs.queue('background').removeJobScheduler('sweep-expired-premium');
      await ctx.jobs.queue('background').removeJobScheduler('expire-overdue-payments');
      await schedules.close();
    }
  });

  it('turns expired Pro accounts back to free and leaves active ones', async () => {
    const expired = await createUser({
      isPremium: true,
      premiumExpiresAt: new Date(Date.now() - 60_000),
    });
    const active = await createUser({
      isPremium: true,
      premiumExpiresAt: new Date(Date.now() + 60_000),
    });
    const context = {
      config: ctx.config,
      logger: ctx.logger,
      storage: ctx.storage,
      jobId: 't',
      attemptsMade: 0,
      reportProgress: async () => undefined,
    };
    const result = await sweepExpiredPremium({}, context);
    // The worker started above may run the scheduled sweep too, so the count is not asserted.
    expect(result.downgraded).toEqual(expect.any(Number));
    expect((await UserModel.findById(expired._id).lean())?.isPremium).toBe(false);
    expect((await UserModel.findById(active._id).lean())?.isPremium).toBe(true);
  });
});
