import sharp from 'sharp';
import request from 'supertest';
import { CapturedPhotoModel, PhotoSessionModel } from '../../src/models';
import { useTestContext } from '../helpers/context';
import {
  corruptPng,
  decompressionBombPng,
  jpegWithExifGps,
  noisyJpeg,
  orientedJpegWithGps,
  phpFileNamedJpg,
  solidImage,
  toDataUrl,
  truncatedJpeg,
} from '../fixtures/images';
import { createSessionDoc } from '../factories/sessions.factory';
import { storedKeys } from '../helpers/storage';
import { createUser, signIn, type TestUser } from '../factories/users.factory';
import { uploadCapture } from '../helpers/captures';
import { eventually } from '../helpers/eventually';
import { CLEAN, leakedMetadata } from '../helpers/image-metadata';
import { queueIdle } from '../helpers/queues';

const MAX_UPLOAD_BYTES = 300_000;
const ctx = useTestContext('photos', {
  MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
});

async function slotsOf(sessionId: string): Promise<number[]> {
  const captures = await CapturedPhotoModel.find({ sessionId }).lean();
  return captures.map((c) => c.slot ?? 0).sort((a, b) => a - b);
}

describe('POST /api/photos/upload (base64 JSON)', () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await signIn(ctx, await createUser());
    ctx.startWorkers();
  });

  it('stores the capture privately and answers it as data and data.photo with signed URLs', async () => {
    const session = await createSessionDoc(user.id);
    const res = await uploadCapture(ctx, user, String(session._id), 1, '#ff0000', {
      capturedAt: '2025-07-01T03:00:00.000Z',
      photoNumber: 1,
    });
    expect(res.status).toBe(201);
    expect(res.body.success).toBe(true);
    const photo = res.body.data;
    expect(photo.photo._id).toBe(photo._id);
    expect(photo).toMatchObject({
      sessionId: String(session._id),
      userId: user.id,
      order: 1,
      slot: 1,
    });
    expect(photo.metadata).toMatchObject({
      width: 320,
      height: 240,
      format: 'jpeg',
      photoNumber: 1,
    });
    // Until its job ran, the answer points at the private original.
    expect(photo.photoUrl).toMatch(/^http:\/\/api\.test\/uploads\/s\/\d+\/[\w-]+\/incoming\//);

    const stored = await eventually(async () => {
      const c = await CapturedPhotoModel.findById(photo._id).lean();
      return c && !c.processing ? c : null;
    });
    expect(stored.photoKey).toMatch(/^captures\//);
    const sessionAfter = await PhotoSessionModel.findById(session._id).lean();
    expect(sessionAfter?.capturedPhotos).toEqual([photo._id]);
    expect(sessionAfter?.metadata?.totalPhotos).toBe(1);

    // The plain URL of a capture is not served; the signed one is.
    const plainPath = new URL(ctx.storage.publicUrl(stored.photoKey!)).pathname;
    expect((await request(ctx.app).get(plainPath)).status).toBe(404);
    const listed = await request(ctx.app)
      .get(`/api/sessions/${String(session._id)}`)
      .set('Authorization', user.auth);
    const signedUrl: string = listed.body.data.photos[0].photoUrl;
    const signed = await request(ctx.app).get(new URL(signedUrl).pathname).buffer(true);
    expect(signed.status).toBe(200);
    expect(signed.headers['content-type']).toBe('image/jpeg');

    // The job gave it a WebP thumbnail.
    const thumb = await sharp(await ctx.storage.read(stored.thumbnailKey!)).metadata();
    expect(thumb.format).toBe('webp');
    expect(thumb.width).toBe(320);
  });

  it('answers before any decode: the original stays private to its owner until the job normalises it', async () => {
    const session = await createSessionDoc(user.id);
    const original = await jpegWithExifGps(320, 240);
    const res = await request(ctx.app)
      .post('/api/photos/upload')
      .set('Authorization', user.auth)
      .send({ sessionId: String(session._id), photoUrl: toDataUrl(original), order: 1 });
    expect(res.status).toBe(201);
    const key = ctx.storage.keyFromUrl(res.body.data.photoUrl) ?? '';
    // Whatever the job has done by now: the plain URL of the upload never serves anything.
    expect((await request(ctx.app).get(`/uploads/${key}`)).status).toBe(404);
    expect(key).toMatch(/^incoming\//);
  });

  it('leaves no GPS or original EXIF in any copy of a capture that carried them (photo, thumbnail, files on disk)', async () => {
    const session = await createSessionDoc(user.id);
    await queueIdle(ctx);
    const filesBefore = new Set(await storedKeys(ctx.storage));
    for (const [order, image] of [
      [1, await jpegWithExifGps(480, 270)],
      [2, await orientedJpegWithGps()],
    ] as const) {
      const res = await request(ctx.app)
        .post('/api/photos/upload')
        .set('Authorization', user.auth)
        .send({ sessionId: String(session._id), photoUrl: toDataUrl(image), order, metadata: {} });
      expect(res.status).toBe(201);
      expect(await leakedMetadata(image)).not.toEqual(CLEAN);
    }
    await eventually(async () =>
      (await CapturedPhotoModel.find({ sessionId: String(session._id) }).lean()).every(
        (c) => !c.processing,
      ),
    );
    const listed = await request(ctx.app)
      .get(`/api/sessions/${String(session._id)}`)
      .set('Authorization', user.auth);
    const photos: Array<{ photoUrl: string; thumbnailUrl: string; slot: number }> =
      listed.body.data.photos;
    expect(photos).toHaveLength(2);
    for (const photo of photos) {
      for (const url of [photo.photoUrl, photo.thumbnailUrl]) {
        const served = await request(ctx.app).get(new URL(url).pathname).buffer(true);
        expect(served.status).toBe(200);
        expect(await leakedMetadata(served.body as Buffer)).toEqual(CLEAN);
      }
    }
    const rotated = photos.find((p) => p.slot === 2)!;
    const upright = await request(ctx.app).get(new URL(rotated.photoUrl).pathname).buffer(true);
    const meta = await sharp(upright.body as Buffer).metadata();
    expect([meta.width, meta.height]).toEqual([20, 40]);
    // Every file the uploads left on disk is clean; the originals are gone.
    const added = (await storedKeys(ctx.storage)).filter((key) => !filesBefore.has(key));
    expect(added).toHaveLength(4);
    expect(added.filter((key) => key.startsWith('incoming/'))).toEqual([]);
    for (const key of added)
      expect(await leakedMetadata(await ctx.storage.read(key))).toEqual(CLEAN);
  });

  it('takes back an upload whose header looked fine but whose pixels do not decode', async () => {
    const session = await createSessionDoc(user.id);
    const id = String(session._id);
    await queueIdle(ctx);
    const filesBefore = await storedKeys(ctx.storage);
    const res = await request(ctx.app)
      .post('/api/photos/upload')
      .set('Authorization', user.auth)
      .send({ sessionId: id, photoUrl: toDataUrl(corruptPng(), 'image/png'), order: 1 });
    expect(res.status).toBe(201);
    await eventually(
      async () => (await CapturedPhotoModel.countDocuments({ sessionId: id })) === 0,
    );
    const after = await PhotoSessionModel.findById(id).lean();
    expect(after?.capturedPhotos).toEqual([]);
    expect(after?.metadata?.totalPhotos).toBe(0);
    // The job removes the document first and its file after that commit.
    await eventually(async () => {
      const keys = await storedKeys(ctx.storage);
      return JSON.stringify(keys) === JSON.stringify(filesBefore);
    });
  });

  it('never rejects a repeated order: 1, 1, 2 become slots 1, 2, 3', async () => {
    const session = await createSessionDoc(user.id);
    const id = String(session._id);
    for (const order of [1, 1, 2])
      expect((await uploadCapture(ctx, user, id, order, '#00ff00')).status).toBe(201);
    expect(await slotsOf(id)).toEqual([1, 2, 3]);
    const after = await PhotoSessionModel.findById(id).lean();
    expect(after?.metadata?.totalPhotos).toBe(3);
    expect(after?.capturedPhotos).toHaveLength(3);
  });

  it('takes the slot from metadata.photoNumber over order', async () => {
    const session = await createSessionDoc(user.id);
    const res = await uploadCapture(ctx, user, String(session._id), 1, '#0000ff', {
      photoNumber: 3,
    });
    expect(res.body.data.slot).toBe(3);
    expect(res.body.data.order).toBe(1);
  });

  it('replaces the photo in a slot only on isRetake, removing the old files', async () => {
    const session = await createSessionDoc(user.id);
    const id = String(session._id);
    const first = await uploadCapture(ctx, user, id, 1, '#ff0000', { photoNumber: 1 });
    await queueIdle(ctx);
    const firstKey = (await CapturedPhotoModel.findById(first.body.data._id).lean())!.photoKey!;
    const retake = await uploadCapture(ctx, user, id, 1, '#0000ff', {
      photoNumber: 1,
      isRetake: true,
    });
    expect(retake.status).toBe(201);
    expect(retake.body.data.slot).toBe(1);
    expect(await slotsOf(id)).toEqual([1]);
    const after = await PhotoSessionModel.findById(id).lean();
    expect(after?.metadata?.totalPhotos).toBe(1);
    expect(after?.capturedPhotos).toHaveLength(1);
    await queueIdle(ctx);
    expect(await storedKeys(ctx.storage)).not.toContain(firstKey);
    const current = await CapturedPhotoModel.findOne({ sessionId: id }).lean();
    const { data } = await sharp(await ctx.storage.read(current!.photoKey!))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(data[2]).toBeGreaterThan(200);
  });

  it('keeps slots, capturedPhotos and totalPhotos right under concurrent uploads of the same order', async () => {
    const session = await createSessionDoc(user.id);
    const id = String(session._id);
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => uploadCapture(ctx, user, id, 1, '#808080')),
    );
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
    expect(await slotsOf(id)).toEqual([1, 2, 3, 4, 5, 6]);
    const after = await PhotoSessionModel.findById(id).lean();
    expect(after?.metadata?.totalPhotos).toBe(6);
    expect(new Set(after?.capturedPhotos).size).toBe(6);
  });

  it('answers 404 for another user’s session, 409 for a cancelled one, 401 without a token, 400 for a bad body', async () => {
    const other = await signIn(ctx, await createUser());
    const session = await createSessionDoc(other.id);
    expect((await uploadCapture(ctx, user, String(session._id), 1, '#ff0000')).status).toBe(404);
    const cancelled = await createSessionDoc(user.id, { status: 'cancelled' });
    expect((await uploadCapture(ctx, user, String(cancelled._id), 1, '#ff0000')).status).toBe(409);
    const anonymous = await request(ctx.app)
      .post('/api/photos/upload')
      .send({ sessionId: String(session._id), photoUrl: 'data:image/jpeg;base64,AAAA', order: 1 });
    expect(anonymous.status).toBe(401);
    const bad = await request(ctx.app)
      .post('/api/photos/upload')
      .set('Authorization', user.auth)
      .send({ sessionId: 'nope', order: 0 });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(
      expect.arrayContaining(['body.sessionId', 'body.photoUrl', 'body.order']),
    );
  });
});

describe('POST /api/photos (multipart)', () => {
  it('stores a multipart capture like the JSON one', async () => {
    const user = await signIn(ctx, await createUser());
    const session = await createSessionDoc(user.id);
    const res = await request(ctx.app)
      .post('/api/photos')
      .set('Authorization', user.auth)
      .field('sessionId', String(session._id))
      .field('order', '2')
      .attach('photo', await solidImage(200, 100, '#ffff00', 'png'), {
        filename: 'a.png',
        contentType: 'image/png',
      });
    expect(res.status).toBe(201);
    expect(res.body.data.photo).toMatchObject({
      slot: 2,
      order: 2,
      metadata: { format: 'png', width: 200, height: 100, source: 'upload' },
    });
    const normalised = await eventually(async () => {
      const c = await CapturedPhotoModel.findById(res.body.data._id).lean();
      return c && !c.processing ? c : null;
    });
    expect(normalised.metadata).toMatchObject({ format: 'jpeg', width: 200, height: 100 });
  });
});

describe('bad input leaves nothing behind', () => {
  let user: TestUser;
  let sessionId: string;
  beforeAll(async () => {
    user = await signIn(ctx, await createUser());
    sessionId = String((await createSessionDoc(user.id))._id);
    await queueIdle(ctx);
  });

  const cases: Array<[string, () => Promise<Buffer>, number]> = [
    ['an oversized upload', async () => noisyJpeg(1200, 1200), 413],
    ['a PHP file named .jpg', async () => phpFileNamedJpg(), 415],
    ['a decompression bomb', async () => decompressionBombPng(), 413],
    ['a truncated JPEG', truncatedJpeg, 400],
  ];

  it.each(cases)(
    'refuses %s (JSON and multipart) with a 4xx and stores nothing',
    async (_name, make, status) => {
      const bytes = await make();
      if (status === 413 && _name.includes('oversized'))
        expect(bytes.length).toBeGreaterThan(MAX_UPLOAD_BYTES);
      const filesBefore = await storedKeys(ctx.storage);
      const json = await request(ctx.app)
        .post('/api/photos/upload')
        .set('Authorization', user.auth)
        .send({ sessionId, photoUrl: toDataUrl(bytes), order: 1 });
      expect(json.status).toBe(status);
      expect(json.body.success).toBe(false);
      const multipart = await request(ctx.app)
        .post('/api/photos')
        .set('Authorization', user.auth)
        .field('sessionId', sessionId)
        .field('order', '1')
        .attach('photo', bytes, { filename: 'shell.jpg', contentType: 'image/jpeg' });
      expect(multipart.status).toBe(status);
      expect(await storedKeys(ctx.storage)).toEqual(filesBefore);
      expect(await CapturedPhotoModel.countDocuments({ sessionId })).toBe(0);
      const session = await PhotoSessionModel.findById(sessionId).lean();
      expect(session?.capturedPhotos).toEqual([]);
      expect(session?.metadata?.totalPhotos).toBe(0);
    },
  );
});
