import request from 'supertest';
import { CapturedPhotoModel, PhotoSessionModel, UserGeneratedFrameModel } from '../../src/models';
import { useTestContext } from '../helpers/context';
import { solidImage, toDataUrl } from '../fixtures/images';
import { createSessionDoc, createTemplate } from '../factories/sessions.factory';
import { FOUR_SLOTS } from '../fixtures/frames';
import { storedKeys } from '../helpers/storage';
import { createUser, signIn, type TestUser } from '../factories/users.factory';

const ctx = useTestContext('sessions');

const sessionBody = (templateId: string) => ({
  sessionName: 'Photo Session 1/7/2025 10.00.00',
  templateId,
  metadata: { photoCount: 4, templateName: 'Client name', startedAt: '2025-07-01T03:00:00.000Z' },
});

describe('POST /api/sessions', () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await signIn(ctx, await createUser());
  });

  it('creates an active session with the fields the client reads, linking a real template', async () => {
    const template = await createTemplate(ctx.storage);
    const res = await request(ctx.app)
      .post('/api/sessions')
      .set('Authorization', user.auth)
      .send(sessionBody(String(template._id)));
    expect(res.status).toBe(201);
    expect(res.body.success).toBe(true);
    expect(res.body.data).toMatchObject({
      userId: user.id,
      sessionName: 'Photo Session 1/7/2025 10.00.00',
      templateId: String(template._id),
      status: 'active',
      metadata: {
        photoCount: 4,
        templateName: 'Client name',
        startedAt: '2025-07-01T03:00:00.000Z',
        totalPhotos: 0,
      },
    });
    expect(res.body.data._id).toMatch(/^[0-9a-f]{24}$/);
    expect(typeof res.body.data.startedAt).toBe('string');
    const stored = await PhotoSessionModel.findById(res.body.data._id).lean();
    expect(stored?.userId).toBe(user.id);
  });

  it('accepts and echoes a free-form ai-generated template id', async () => {
    const res = await request(ctx.app)
      .post('/api/sessions')
      .set('Authorization', user.auth)
      .send(sessionBody('ai-generated-1719800000000'));
    expect(res.status).toBe(201);
    expect(res.body.data.templateId).toBe('ai-generated-1719800000000');
  });

  it('links the caller’s own generated frame and refuses another user’s with 404', async () => {
    const other = await signIn(ctx, await createUser());
    const frame = await UserGeneratedFrameModel.create({
      userId: user.id,
      name: 'My AI frame',
      frameUrl: 'http://api.test/uploads/frames/aa/x.svg',
      frameCount: 4,
      layoutPositions: FOUR_SLOTS,
    });
    const own = await request(ctx.app)
      .post('/api/sessions')
      .set('Authorization', user.auth)
      .send({ sessionName: 'Mine', templateId: String(frame._id) });
    expect(own.status).toBe(201);
    expect(own.body.data.metadata.templateName).toBe('My AI frame');
    const foreign = await request(ctx.app)
      .post('/api/sessions')
      .set('Authorization', other.auth)
      .send({ sessionName: 'Theirs', templateId: String(frame._id) });
    expect(foreign.status).toBe(404);
  });

  it('answers 403 PREMIUM_REQUIRED for a premium template without an active Pro, also when Pro has expired', async () => {
    const template = await createTemplate(ctx.storage, { isPremium: true });
    const expired = await signIn(
      ctx,
      await createUser({
        isPremium: true,
        premiumExpiresAt: new Date(Date.now() - 60_000),
      }),
    );
    for (const caller of [user, expired]) {
      const res = await request(ctx.app)
        .post('/api/sessions')
        .set('Authorization', caller.auth)
        .send(sessionBody(String(template._id)));
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ success: false, code: 'PREMIUM_REQUIRED' });
    }
    expect(await PhotoSessionModel.countDocuments({ templateId: String(template._id) })).toBe(0);
  });

  it('lets an active Pro start a premium template', async () => {
    const template = await createTemplate(ctx.storage, { isPremium: true });
    const pro = await signIn(
      ctx,
      await createUser({
        isPremium: true,
        premiumExpiresAt: new Date(Date.now() + 86_400_000),
      }),
    );
    const res = await request(ctx.app)
      .post('/api/sessions')
      .set('Authorization', pro.auth)
      .send(sessionBody(String(template._id)));
    expect(res.status).toBe(201);
  });

  it('answers 404 for another user’s private template', async () => {
    const owner = await signIn(ctx, await createUser());
    const template = await createTemplate(ctx.storage, {
      visibility: 'private',
      createdBy: owner.id,
    });
    const res = await request(ctx.app)
      .post('/api/sessions')
      .set('Authorization', user.auth)
      .send(sessionBody(String(template._id)));
    expect(res.status).toBe(404);
    const mine = await request(ctx.app)
      .post('/api/sessions')
      .set('Authorization', owner.auth)
      .send(sessionBody(String(template._id)));
    expect(mine.status).toBe(201);
  });

  it('answers 400 with details when the session name is missing', async () => {
    const res = await request(ctx.app)
      .post('/api/sessions')
      .set('Authorization', user.auth)
      .send({ templateId: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.success).toBe(false);
    expect(res.body.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'body.sessionName' })]),
    );
  });

  it('answers 401 without a token', async () => {
    const res = await request(ctx.app).post('/api/sessions').send(sessionBody('x'));
    expect(res.status).toBe(401);
    expect(res.body.success).toBe(false);
  });
});

describe('GET /api/sessions', () => {
  it('lists only my sessions, newest first, filtered by status, 20 per page by default', async () => {
    const me = await signIn(ctx, await createUser());
    const other = await signIn(ctx, await createUser());
    for (let i = 0; i < 22; i += 1)
      await createSessionDoc(me.id, { status: i % 2 === 0 ? 'active' : 'completed' });
    await createSessionDoc(other.id);

    const all = await request(ctx.app).get('/api/sessions').set('Authorization', me.auth);
    expect(all.status).toBe(200);
    expect(all.body.data.sessions).toHaveLength(20);
    expect(all.body.data.pagination).toEqual({ page: 1, limit: 20, total: 22, pages: 2 });
    const first = all.body.data.sessions[0];
    expect(Object.keys(first)).toEqual(
      expect.arrayContaining([
        '_id',
        'status',
        'templateId',
        'sessionName',
        'metadata',
        'createdAt',
      ]),
    );
    expect(first.metadata.totalPhotos).toBe(0);
    expect(all.body.data.sessions.every((s: { userId: string }) => s.userId === me.id)).toBe(true);

    const completed = await request(ctx.app)
      .get('/api/sessions?status=completed&page=1')
      .set('Authorization', me.auth);
    expect(completed.body.data.sessions).toHaveLength(11);
    expect(
      completed.body.data.sessions.every((s: { status: string }) => s.status === 'completed'),
    ).toBe(true);

    const bad = await request(ctx.app)
      .get('/api/sessions?status=bogus')
      .set('Authorization', me.auth);
    expect(bad.status).toBe(400);
    expect((await request(ctx.app).get('/api/sessions')).status).toBe(401);
  });
});

describe('one session', () => {
  it('gets, renames and merges metadata of my session; another user gets 404 everywhere', async () => {
    const me = await signIn(ctx, await createUser());
    const other = await signIn(ctx, await createUser());
    const session = await createSessionDoc(me.id, { metadata: { photoCount: 3 } });
    const path = `/api/sessions/${String(session._id)}`;

    const got = await request(ctx.app).get(path).set('Authorization', me.auth);
    expect(got.status).toBe(200);
    expect(got.body.data).toMatchObject({ _id: String(session._id), status: 'active', photos: [] });

    const patched = await request(ctx.app)
      .patch(path)
      .set('Authorization', me.auth)
      .send({ sessionName: 'Renamed', metadata: { location: 'Jakarta' } });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toMatchObject({
      sessionName: 'Renamed',
      metadata: { photoCount: 3, location: 'Jakarta', totalPhotos: 0 },
    });

    for (const call of [
      request(ctx.app).get(path),
      request(ctx.app).patch(path).send({ sessionName: 'x' }),
      request(ctx.app).delete(path),
      request(ctx.app).post(`${path}/cancel`),
      request(ctx.app).post(`${path}/composite`),
      request(ctx.app).get(`${path}/composite`),
      request(ctx.app).get(`${path}/events`),
    ]) {
      const res = await call.set('Authorization', other.auth);
      expect(res.status).toBe(404);
    }
    expect((await request(ctx.app).get(path)).status).toBe(401);
    expect((await PhotoSessionModel.findById(session._id).lean())?.sessionName).toBe('Renamed');
  });

  it('cancels only an active session', async () => {
    const me = await signIn(ctx, await createUser());
    const session = await createSessionDoc(me.id);
    const path = `/api/sessions/${String(session._id)}/cancel`;
    const first = await request(ctx.app).post(path).set('Authorization', me.auth);
    expect(first.status).toBe(200);
    expect(first.body.data.status).toBe('cancelled');
    const second = await request(ctx.app).post(path).set('Authorization', me.auth);
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('CONFLICT');
  });

  it('deletes the session with its captures and their files', async () => {
    const me = await signIn(ctx, await createUser());
    const session = await createSessionDoc(me.id);
    for (const [order, color] of [
      [1, '#ff0000'],
      [2, '#00ff00'],
    ] as const) {
      const res = await request(ctx.app)
        .post('/api/photos/upload')
        .set('Authorization', me.auth)
        .send({
          sessionId: String(session._id),
          photoUrl: toDataUrl(await solidImage(64, 48, color)),
          order,
          metadata: {},
        });
      expect(res.status).toBe(201);
    }
    const captureKeys = (
      await CapturedPhotoModel.find({ sessionId: String(session._id) }).lean()
    ).map((c) => c.photoKey);
    expect(captureKeys).toHaveLength(2);
    const before = await storedKeys(ctx.storage);
    expect(before).toEqual(expect.arrayContaining(captureKeys));

    const res = await request(ctx.app)
      .delete(`/api/sessions/${String(session._id)}`)
      .set('Authorization', me.auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, message: expect.any(String) });
    expect(await PhotoSessionModel.exists({ _id: session._id })).toBeNull();
    expect(await CapturedPhotoModel.countDocuments({ sessionId: String(session._id) })).toBe(0);
    const after = await storedKeys(ctx.storage);
    for (const key of captureKeys) expect(after).not.toContain(key);
  });
});

describe('server render requests', () => {
  it('answers 400 for a session without photos and 404 for the status of a render never requested', async () => {
    const me = await signIn(ctx, await createUser());
    const session = await createSessionDoc(me.id);
    const path = `/api/sessions/${String(session._id)}/composite`;
    const requested = await request(ctx.app).post(path).set('Authorization', me.auth);
    expect(requested.status).toBe(400);
    expect((await PhotoSessionModel.findById(session._id).lean())?.renderJobId).toBeNull();
    const status = await request(ctx.app).get(path).set('Authorization', me.auth);
    expect(status.status).toBe(404);
    expect(
      (
        await request(ctx.app)
          .get(`/api/sessions/${String(session._id)}/events`)
          .set('Authorization', me.auth)
      ).status,
    ).toBe(404);
    expect((await request(ctx.app).post(path)).status).toBe(401);
  });

  it('enqueues one render job for concurrent requests and answers its id and queued status', async () => {
    const me = await signIn(ctx, await createUser());
    const session = await createSessionDoc(me.id);
    const id = String(session._id);
    await request(ctx.app)
      .post('/api/photos/upload')
      .set('Authorization', me.auth)
      .send({ sessionId: id, photoUrl: toDataUrl(await solidImage(32, 32, '#ff0000')), order: 1 })
      .expect(201);
    const responses = await Promise.all(
      Array.from({ length: 4 }, () =>
        request(ctx.app).post(`/api/sessions/${id}/composite`).set('Authorization', me.auth),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual([202, 202, 202, 202]);
    expect(new Set(responses.map((r) => r.body.data.jobId))).toEqual(new Set([`render-${id}`]));
    expect(responses[0]!.body.data.status).toBe('queued');
    const jobs = await ctx.jobs.queue('images').getJobs(['waiting', 'delayed', 'active']);
    expect(
      jobs.filter((job) => job.name === 'render-composite' && job.data.sessionId === id),
    ).toHaveLength(1);
    const status = await request(ctx.app)
      .get(`/api/sessions/${id}/composite`)
      .set('Authorization', me.auth);
    expect(status.body.data).toEqual({ jobId: `render-${id}`, status: 'queued', progress: 0 });
  });
});
