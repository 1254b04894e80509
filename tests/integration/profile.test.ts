import sharp from 'sharp';
import request from 'supertest';
import { buildApp } from '../../src/app';
import { processProfilePicture } from '../../src/jobs/processors/process-profile-picture.processor';
import { sweepExpiredPremium } from '../../src/modules/payments/premium-expiry.service';
import { schedulePeriodicJobs } from '../../src/jobs/schedules';
import { PhotoModel } from '../../src/models/photo.model';
import { UserModel } from '../../src/models/user.model';
import { buildPhoto } from '../factories/model.factory';
import {
  bearer,
  createUser,
  DEFAULT_PASSWORD,
  tokenFor,
  uniqueEmail,
} from '../factories/users.factory';
import { appWithOutbox } from '../helpers/outbox';
import { noisyJpeg, orientedJpegWithGps, phpFileNamedJpg, solidImage } from '../fixtures/images';
import { useTestContext } from '../helpers/context';

const ctx = useTestContext('profile', { RATE_LIMIT_ENABLED: 'false' });
const { app, outbox } = appWithOutbox(ctx);

async function signedIn(overrides: Record<string, unknown> = {}) {
  const user = await createUser(overrides);
  return { user, auth: bearer(await tokenFor(ctx, user)) };
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error('waitFor: timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const pathOf = (url: string) => new URL(url).pathname;

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
    const { user, auth } = await signedIn({
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
    const { user, auth } = await signedIn({ isEmailVerified: true });
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
    const { user, auth } = await signedIn();
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
    const { auth } = await signedIn();
    const res = await request(app()).put('/api/users/profile').set(auth).send(body);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(message);
  });

  it('answers 400 "Email is already in use" for another account\'s address', async () => {
    const other = await createUser();
    const { auth } = await signedIn();
    const res = await request(app())
      .put('/api/users/profile')
      .set(auth)
      .send({ email: other.email });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Email is already in use');
  });

  it('refuses operator payloads with 400 before touching the database', async () => {
    const { auth } = await signedIn();
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

describe('profile picture (#10, #11)', () => {
  it('shows the upload at once through a private signed URL, then the job publishes a 400×400 JPEG without metadata and removes the original', async () => {
    const { user, auth } = await signedIn();
    const res = await request(app())
      .post('/api/users/profile-picture')
      .set(auth)
      .attach('profilePicture', await orientedJpegWithGps(), {
        filename: 'me.jpg',
        contentType: 'image/jpeg',
      });
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    const uploaded: string = res.body.data.profilePicture;
    expect(uploaded).toMatch(
      /^http:\/\/api\.test\/uploads\/s\/\d+\/[\w-]+\/incoming\/[0-9a-f]{2}\/[0-9a-f]{32}\.jpg$/,
    );
    expect((await request(app()).get(pathOf(uploaded))).status).toBe(200);
    // The original may carry GPS tags: it is never reachable from a plain public URL.
    const incomingKey = ctx.storage.keyFromUrl(uploaded) ?? '';
    expect((await request(app()).get(`/uploads/${incomingKey}`)).status).toBe(404);

    ctx.startWorkers();
    const avatarUrl = await waitFor(async () => {
      const stored = await UserModel.findById(user._id).lean();
      return stored?.profilePicture && stored.profilePicture !== uploaded
        ? stored.profilePicture
        : undefined;
    });
    const file = await request(app()).get(pathOf(avatarUrl)).buffer(true);
    expect(file.status).toBe(200);
    const meta = await sharp(file.body as Buffer).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 400, height: 400 });
    expect(meta.exif).toBeUndefined();
    expect(avatarUrl).toMatch(
      /^http:\/\/api\.test\/uploads\/profiles\/[0-9a-f]{2}\/[0-9a-f]{32}\.jpg$/,
    );
    expect((await request(app()).get(pathOf(uploaded))).status).toBe(404);

    const second = await request(app())
      .post('/api/users/profile-picture')
      .set(auth)
      .attach('profilePicture', await solidImage(300, 500, '#00ff00', 'png'), 'new.png');
    expect(second.status).toBe(200);
    await waitFor(async () =>
      (await request(app()).get(pathOf(avatarUrl))).status === 404 ? true : undefined,
    );
  });

  it('answers 400 without a file, 400 for a file that is not an image (CONTRACT #10), 413 over 5 MB', async () => {
    const { auth } = await signedIn();
    expect((await request(app()).post('/api/users/profile-picture').set(auth)).status).toBe(400);
    const php = await request(app())
      .post('/api/users/profile-picture')
      .set(auth)
      .attach('profilePicture', phpFileNamedJpg(), {
        filename: 'shell.jpg',
        contentType: 'image/jpeg',
      });
    expect(php.status).toBe(400);
    expect(php.body.success).toBe(false);
    const text = await request(app())
      .post('/api/users/profile-picture')
      .set(auth)
      .attach('profilePicture', Buffer.from('just some notes, not a picture\n'), {
        filename: 'notes.txt',
        contentType: 'text/plain',
      });
    expect(text.status).toBe(400);
    expect(text.body).toMatchObject({ success: false, message: expect.any(String) });
    const big = await request(app())
      .post('/api/users/profile-picture')
      .set(auth)
      .attach('profilePicture', Buffer.alloc(5 * 1024 * 1024 + 10, 1), 'big.jpg');
    expect(big.status).toBe(413);
  });

  it('deletes the picture, then answers 400 when there is none', async () => {
    const { user, auth } = await signedIn({
      profilePicture: 'https://lh3.googleusercontent.test/a/x.jpg',
    });
    const res = await request(app()).delete('/api/users/profile-picture').set(auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, message: expect.any(String) });
    expect((await UserModel.findById(user._id).lean())?.profilePicture).toBe('');
    const again = await request(app()).delete('/api/users/profile-picture').set(auth);
    expect(again.status).toBe(400);
    expect(again.body.message).toBe('No profile picture to delete');
  });

  it('when the picture changed before the job ran, then the job leaves the newer one and cleans up', async () => {
    const { user } = await signedIn();
    const stored = await ctx.storage.save('incoming', 'jpg', await noisyJpeg(64, 64));
    await UserModel.updateOne(
      { _id: user._id },
      { $set: { profilePicture: 'https://elsewhere.test/newer.jpg' } },
    );
    const context = {
      config: ctx.config,
      logger: ctx.logger,
      storage: ctx.storage,
      jobId: 't',
      attemptsMade: 0,
      reportProgress: async () => undefined,
    };
    const result = await processProfilePicture(
      { userId: String(user._id), sourceKey: stored.key },
      context,
    );
    expect(result.skipped).toBeDefined();
    expect((await UserModel.findById(user._id).lean())?.profilePicture).toBe(
      'https://elsewhere.test/newer.jpg',
    );
    expect(await ctx.storage.exists(stored.key)).toBe(false);
  });
});

describe('password, deactivation and deletion (#12, #13, #14)', () => {
  it('changes the password: old tokens stop working, the answer carries a fresh session', async () => {
    const { user, auth } = await signedIn();
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
    const { auth } = await signedIn();
    const res = await request(app()).put('/api/users/password').set(auth).send(body);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(message);
  });

  it('deactivates with the right password: tokens end, login answers 403', async () => {
    const { user, auth } = await signedIn();
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
    const { user, auth } = await signedIn();
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
    const { auth } = await signedIn();
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
    const { auth } = await signedIn();
    const res = await request(app()).put('/api/users/settings').set(auth).send(body);
    expect(res.status).toBe(400);
    expect(res.body.success).toBe(false);
  });
});

describe('POST /api/users/upgrade-premium (#17, §19.11)', () => {
  it('is off by default: 403 pointing to the bank-transfer flow, nothing changes', async () => {
    const { user, auth } = await signedIn();
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
    const { user, auth } = await signedIn();
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
