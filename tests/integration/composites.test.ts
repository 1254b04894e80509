import sharp from 'sharp';
import request from 'supertest';
import { CompositeLikeModel, FinalCompositeModel, PhotoSessionModel } from '../../src/models';
import { useTestContext } from '../helpers/context';
import {
  decompressionBombPng,
  jpegWithExifGps,
  noisyJpeg,
  phpFileNamedJpg,
  solidImage,
  truncatedJpeg,
} from '../fixtures/images';
import { createComposite } from '../factories/composites.factory';
import { eventually } from '../helpers/eventually';
import { CLEAN, leakedMetadata } from '../helpers/image-metadata';
import { queueIdle } from '../helpers/queues';
import { createSessionDoc } from '../factories/sessions.factory';
import { storedKeys } from '../helpers/storage';
import { createUser, signIn, type TestUser } from '../factories/users.factory';

const MAX_UPLOAD_BYTES = 300_000;
const ctx = useTestContext('composites', {
  MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
});

function uploadComposite(
  user: TestUser,
  sessionId: string,
  image: Buffer,
  fields: Record<string, string> = {},
  filename = `composite-${Date.now()}.png`,
) {
  let req = request(ctx.app)
    .post('/api/composites/upload')
    .set('Authorization', user.auth)
    .field('sessionId', sessionId);
  for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
  return req.attach('image', image, { filename, contentType: 'image/png' });
}

describe('POST /api/composites/upload', () => {
  beforeAll(() => {
    ctx.startWorkers();
  });

  it('stores the client composite privately, completes the session and thumbnails it in a job', async () => {
    const user = await signIn(ctx, await createUser());
    const session = await createSessionDoc(user.id, {
      templateId: 'ai-generated-42',
      metadata: { templateName: 'Wedding gold' },
    });
    const res = await uploadComposite(
      user,
      String(session._id),
      await solidImage(600, 900, '#ff8800', 'png'),
    );
    expect(res.status).toBe(201);
    expect(res.body.success).toBe(true);
    const data = res.body.data;
    expect(data).toMatchObject({
      sessionId: String(session._id),
      isPublic: false,
      templateId: 'ai-generated-42',
    });
    expect(data._id).toMatch(/^[0-9a-f]{24}$/);
    expect(typeof data.createdAt).toBe('string');
    expect(data.compositeUrl).toMatch(/^http:\/\/api\.test\/uploads\/s\//);
    expect(data.metadata).toMatchObject({
      width: 600,
      height: 900,
      format: 'png',
      templateName: 'Wedding gold',
    });

    const after = await PhotoSessionModel.findById(session._id).lean();
    expect(after).toMatchObject({ status: 'completed', finalComposite: data._id });
    const withThumb = await eventually(async () => {
      const c = await FinalCompositeModel.findById(data._id).lean();
      return c?.thumbnailKey ? c : null;
    });
    expect(withThumb.processing).toBeUndefined();
    expect(withThumb.compositeKey).toMatch(/^composites\/.+\.png$/);
    const thumb = await sharp(await ctx.storage.read(withThumb.thumbnailKey!)).metadata();
    expect([thumb.format, thumb.width, thumb.height]).toEqual(['webp', 267, 400]);
  });

  it('leaves no GPS or original EXIF in any copy of a JPEG composite that carried them (owner URL, share link, thumbnail, files on disk)', async () => {
    const user = await signIn(ctx, await createUser());
    const session = await createSessionDoc(user.id);
    await queueIdle(ctx);
    const filesBefore = new Set(await storedKeys(ctx.storage));
    const original = await jpegWithExifGps(400, 600);
    expect(await leakedMetadata(original)).not.toEqual(CLEAN);
    const res = await uploadComposite(user, String(session._id), original, {}, 'c.jpg');
    expect(res.status).toBe(201);
    const id: string = res.body.data._id;
    await eventually(async () => {
      const c = await FinalCompositeModel.findById(id).lean();
      return c?.thumbnailKey && !c.processing;
    });

    const shared = await request(ctx.app).get(`/api/share/${id}`).set('Authorization', user.auth);
    expect(shared.status).toBe(200);
    const view = await request(ctx.app).get(`/api/share/public/${id}`);
    expect(view.status).toBe(200);
    const mine = await request(ctx.app).get('/api/composites').set('Authorization', user.auth);
    const own = mine.body.data.composites.find((c: { _id: string }) => c._id === id);
    const urls = [
      res.body.data.compositeUrl,
      own.compositeUrl,
      own.thumbnailUrl,
      shared.body.data.composite.compositeUrl,
      view.body.data.composite.compositeUrl,
      view.body.data.composite.thumbnailUrl,
    ] as string[];
    // The upload's own URL pointed at the original: it is gone once the clean copy exists.
    expect((await request(ctx.app).get(new URL(urls[0]!).pathname)).status).toBe(404);
    for (const url of urls.slice(1)) {
      const served = await request(ctx.app).get(new URL(url).pathname).buffer(true);
      expect(served.status).toBe(200);
      expect(await leakedMetadata(served.body as Buffer)).toEqual(CLEAN);
    }
    const added = (await storedKeys(ctx.storage)).filter((key) => !filesBefore.has(key));
    expect(added.sort()).toEqual(
      [own.compositeUrl, own.thumbnailUrl].map((u: string) => ctx.storage.keyFromUrl(u)).sort(),
    );
    for (const key of added)
      expect(await leakedMetadata(await ctx.storage.read(key))).toEqual(CLEAN);
  });

  it('keeps an upload that is not normalised yet away from share links and Explore', async () => {
    const user = await signIn(ctx, await createUser());
    const session = await createSessionDoc(user.id);
    const upload = await ctx.storage.save('incoming', 'jpg', await jpegWithExifGps(40, 60));
    const pending = await createComposite(ctx.storage, user.id, {
      sessionId: String(session._id),
      compositeKey: upload.key,
      compositeUrl: ctx.storage.publicUrl(upload.key),
      isPublic: true,
      shareEnabled: true,
      processing: true,
    });
    const id = String(pending._id);
    expect((await request(ctx.app).get(`/api/share/public/${id}`)).status).toBe(409);
    const explore = await request(ctx.app).get('/api/explore');
    expect(explore.body.data.composites.map((c: { _id: string }) => c._id)).not.toContain(id);
    // Its owner still sees it, through a signed URL only.
    const mine = await request(ctx.app).get('/api/composites').set('Authorization', user.auth);
    const own = mine.body.data.composites.find((c: { _id: string }) => c._id === id);
    expect(own.compositeUrl).toMatch(/\/uploads\/s\/\d+\/[\w-]+\/incoming\//);
    expect((await request(ctx.app).get(`/uploads/${upload.key}`)).status).toBe(404);
  });

  it('answers 404 for another user’s or a missing session, 400 without image or session, 401 without a token', async () => {
    const user = await signIn(ctx, await createUser());
    const other = await signIn(ctx, await createUser());
    const theirs = await createSessionDoc(other.id);
    const png = await solidImage(20, 20, '#000000', 'png');
    expect((await uploadComposite(user, String(theirs._id), png)).status).toBe(404);
    expect((await uploadComposite(user, '0123456789abcdef01234567', png)).status).toBe(404);
    const noImage = await request(ctx.app)
      .post('/api/composites/upload')
      .set('Authorization', user.auth)
      .field('sessionId', String(theirs._id));
    expect(noImage.status).toBe(400);
    const noSession = await request(ctx.app)
      .post('/api/composites/upload')
      .set('Authorization', user.auth)
      .attach('image', png, 'c.png');
    expect(noSession.status).toBe(400);
    const anonymous = await request(ctx.app)
      .post('/api/composites/upload')
      .field('sessionId', String(theirs._id))
      .attach('image', png, 'c.png');
    expect(anonymous.status).toBe(401);
    expect(await FinalCompositeModel.countDocuments({ sessionId: String(theirs._id) })).toBe(0);
  });

  it.each([
    ['an oversized upload', () => noisyJpeg(1200, 1200), 413],
    ['a PHP file named .png', async () => phpFileNamedJpg(), 415],
    ['a decompression bomb', async () => decompressionBombPng(), 413],
    ['a truncated JPEG', truncatedJpeg, 400],
  ] as Array<[string, () => Promise<Buffer>, number]>)(
    'refuses %s with a 4xx and stores nothing',
    async (_name, make, status) => {
      const user = await signIn(ctx, await createUser());
      const session = await createSessionDoc(user.id);
      const before = await storedKeys(ctx.storage);
      const res = await uploadComposite(user, String(session._id), await make());
      expect(res.status).toBe(status);
      expect(await storedKeys(ctx.storage)).toEqual(before);
      expect(await FinalCompositeModel.countDocuments({ sessionId: String(session._id) })).toBe(0);
      expect((await PhotoSessionModel.findById(session._id).lean())?.status).toBe('active');
    },
  );
});

describe('GET /api/composites', () => {
  it('lists my composites newest first with the fields My Gallery reads', async () => {
    const me = await signIn(ctx, await createUser());
    const other = await signIn(ctx, await createUser());
    for (let i = 0; i < 3; i += 1) await createComposite(ctx.storage, me.id);
    await createComposite(ctx.storage, other.id);
    const res = await request(ctx.app)
      .get('/api/composites?page=1&limit=2')
      .set('Authorization', me.auth);
    expect(res.status).toBe(200);
    expect(res.body.data.pagination).toEqual({ page: 1, limit: 2, total: 3, pages: 2 });
    const [first] = res.body.data.composites;
    expect(first).toEqual(
      expect.objectContaining({
        _id: expect.any(String),
        compositeUrl: expect.stringMatching(/^http:\/\/api\.test\/uploads\/s\//),
        isPublic: false,
        likes: 0,
        views: 0,
        createdAt: expect.any(String),
        metadata: expect.objectContaining({ width: 60, height: 90, format: 'jpeg', photosUsed: 4 }),
      }),
    );
    const page2 = await request(ctx.app)
      .get('/api/composites?page=2&limit=2')
      .set('Authorization', me.auth);
    expect(page2.body.data.composites).toHaveLength(1);
    expect((await request(ctx.app).get('/api/composites')).status).toBe(401);
  });
});

describe('DELETE /api/composites/:id', () => {
  it('removes the composite, its files and likes, and unsets the session’s link; others get 404', async () => {
    const me = await signIn(ctx, await createUser());
    const other = await signIn(ctx, await createUser());
    const session = await createSessionDoc(me.id);
    const upload = await uploadComposite(
      me,
      String(session._id),
      await solidImage(40, 60, '#00ffff', 'png'),
    );
    const id: string = upload.body.data._id;
    const withThumb = await eventually(async () => {
      const c = await FinalCompositeModel.findById(id).lean();
      return c?.thumbnailKey ? c : null;
    });
    await CompositeLikeModel.create({ compositeId: id, userId: me.id });

    const foreign = await request(ctx.app)
      .delete(`/api/composites/${id}`)
      .set('Authorization', other.auth);
    expect(foreign.status).toBe(404);
    expect(foreign.body.message).toBe('Composite not found or unauthorized');

    const res = await request(ctx.app)
      .delete(`/api/composites/${id}`)
      .set('Authorization', me.auth);
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    expect(await FinalCompositeModel.exists({ _id: id })).toBeNull();
    expect(await CompositeLikeModel.countDocuments({ compositeId: id })).toBe(0);
    expect((await PhotoSessionModel.findById(session._id).lean())?.finalComposite).toBeNull();
    const keys = await storedKeys(ctx.storage, 'composites');
    expect(keys).not.toContain(withThumb.compositeKey);
    expect(keys).not.toContain(withThumb.thumbnailKey);
    expect(
      (await request(ctx.app).delete(`/api/composites/${id}`).set('Authorization', me.auth)).status,
    ).toBe(404);
  });
});

describe('PATCH /api/composites/:id', () => {
  it('lets the owner make a composite public (plain URL served) and private again (plain URL refused)', async () => {
    const me = await signIn(ctx, await createUser());
    const other = await signIn(ctx, await createUser());
    const composite = await createComposite(ctx.storage, me.id);
    const plainPath = new URL(ctx.storage.publicUrl(composite.compositeKey!)).pathname;
    expect((await request(ctx.app).get(plainPath)).status).toBe(404);

    const made = await request(ctx.app)
      .patch(`/api/composites/${String(composite._id)}`)
      .set('Authorization', me.auth)
      .send({ isPublic: true });
    expect(made.status).toBe(200);
    expect(made.body.data).toMatchObject({
      isPublic: true,
      compositeUrl: ctx.storage.publicUrl(composite.compositeKey!),
    });
    expect((await request(ctx.app).get(plainPath)).status).toBe(200);

    const back = await request(ctx.app)
      .patch(`/api/composites/${String(composite._id)}`)
      .set('Authorization', me.auth)
      .send({ isPublic: false, shareEnabled: false });
    expect(back.body.data).toMatchObject({ isPublic: false, shareEnabled: false });
    expect(back.body.data.compositeUrl).toMatch(/\/uploads\/s\//);
    expect((await request(ctx.app).get(plainPath)).status).toBe(404);

    expect(
      (
        await request(ctx.app)
          .patch(`/api/composites/${String(composite._id)}`)
          .set('Authorization', other.auth)
          .send({ isPublic: true })
      ).status,
    ).toBe(404);
    expect(
      (
        await request(ctx.app)
          .patch(`/api/composites/${String(composite._id)}`)
          .set('Authorization', me.auth)
          .send({})
      ).status,
    ).toBe(400);
    expect(
      (
        await request(ctx.app)
          .patch(`/api/composites/${String(composite._id)}`)
          .send({ isPublic: true })
      ).status,
    ).toBe(401);
  });
});

describe('likes', () => {
  it('counts a like once per user, also when one user likes concurrently, and unlikes', async () => {
    const owner = await signIn(ctx, await createUser());
    const fan = await signIn(ctx, await createUser());
    const composite = await createComposite(ctx.storage, owner.id, { isPublic: true });
    const path = `/api/composites/${String(composite._id)}/like`;

    const burst = await Promise.all(
      Array.from({ length: 8 }, () => request(ctx.app).post(path).set('Authorization', fan.auth)),
    );
    expect(burst.every((r) => r.status === 200)).toBe(true);
    expect((await FinalCompositeModel.findById(composite._id).lean())?.likes).toBe(1);
    expect(await CompositeLikeModel.countDocuments({ compositeId: String(composite._id) })).toBe(1);

    const second = await request(ctx.app).post(path).set('Authorization', owner.auth);
    expect(second.body.data).toEqual({ likes: 2, liked: true });
    const unlike = await request(ctx.app).delete(path).set('Authorization', fan.auth);
    expect(unlike.body.data).toEqual({ likes: 1, liked: false });
    const unlikeAgain = await request(ctx.app).delete(path).set('Authorization', fan.auth);
    expect(unlikeAgain.body.data).toEqual({ likes: 1, liked: false });
  });

  it('answers 404 for another user’s private composite and 401 without a token', async () => {
    const owner = await signIn(ctx, await createUser());
    const stranger = await signIn(ctx, await createUser());
    const composite = await createComposite(ctx.storage, owner.id);
    const path = `/api/composites/${String(composite._id)}/like`;
    expect((await request(ctx.app).post(path).set('Authorization', stranger.auth)).status).toBe(
      404,
    );
    expect((await request(ctx.app).delete(path).set('Authorization', stranger.auth)).status).toBe(
      404,
    );
    expect((await request(ctx.app).post(path)).status).toBe(401);
    expect((await FinalCompositeModel.findById(composite._id).lean())?.likes).toBe(0);
  });
});
