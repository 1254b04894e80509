import request from 'supertest';
import { FinalCompositeModel, PhotoModel } from '../../src/models';
import { migrateLegacyPhotos } from '../../src/modules/legacy-photos/legacy-photos.migration';
import { useTestContext } from '../helpers/context';
import { solidImage } from '../fixtures/images';
import { storedKeys } from '../helpers/storage';
import { createUser, signIn, type TestUser } from '../factories/users.factory';

const ctx = useTestContext('legacy_photos');

async function legacyPhoto(user: TestUser, overrides: Record<string, unknown> = {}) {
  const file = await ctx.storage.save('legacy', 'jpg', await solidImage(30, 30, '#123456'));
  return PhotoModel.create({
    userId: user.id,
    title: 'Old photo',
    imageUrl: `/uploads/${file.key}`,
    isPublic: false,
    templateId: 'old-template',
    ...overrides,
  });
}

describe('legacy gallery and photos routes', () => {
  let owner: TestUser;
  let stranger: TestUser;
  beforeAll(async () => {
    owner = await signIn(ctx, await createUser());
    stranger = await signIn(ctx, await createUser());
  });

  it('lists public photos to anyone and my photos to me, with absolute URLs', async () => {
    const pub = await legacyPhoto(owner, { isPublic: true });
    const priv = await legacyPhoto(owner);
    for (const path of ['/api/gallery/public', '/api/photos/public']) {
      const res = await request(ctx.app).get(path);
      expect(res.status).toBe(200);
      const ids = res.body.data.photos.map((p: { _id: string }) => p._id);
      expect(ids).toContain(String(pub._id));
      expect(ids).not.toContain(String(priv._id));
      const shown = res.body.data.photos.find((p: { _id: string }) => p._id === String(pub._id));
      expect(shown.imageUrl).toMatch(/^http:\/\/api\.test\/uploads\/legacy\//);
      expect((await request(ctx.app).get(new URL(shown.imageUrl).pathname)).status).toBe(200);
    }
    for (const path of ['/api/gallery/my-photos', '/api/photos']) {
      const mine = await request(ctx.app).get(path).set('Authorization', owner.auth);
      expect(mine.status).toBe(200);
      expect(mine.body.data.photos.map((p: { _id: string }) => p._id)).toEqual(
        expect.arrayContaining([String(pub._id), String(priv._id)]),
      );
      const privateShown = mine.body.data.photos.find(
        (p: { _id: string }) => p._id === String(priv._id),
      );
      expect(privateShown.imageUrl).toMatch(/\/uploads\/s\//);
      const theirs = await request(ctx.app).get(path).set('Authorization', stranger.auth);
      expect(theirs.body.data.photos).toEqual([]);
      expect((await request(ctx.app).get(path)).status).toBe(401);
    }
    expect(
      (
        await request(ctx.app).get(
          new URL(ctx.storage.publicUrl(ctx.storage.keyFromUrl(`http://api.test${priv.imageUrl}`)!))
            .pathname,
        )
      ).status,
    ).toBe(404);
  });

  it('reads, edits and toggles visibility for the owner only', async () => {
    const photo = await legacyPhoto(owner);
    const id = String(photo._id);
    expect(
      (await request(ctx.app).get(`/api/photos/${id}`).set('Authorization', owner.auth)).status,
    ).toBe(200);
    expect(
      (await request(ctx.app).get(`/api/photos/${id}`).set('Authorization', stranger.auth)).status,
    ).toBe(404);
    expect((await request(ctx.app).get(`/api/photos/${id}`)).status).toBe(404);

    const edited = await request(ctx.app)
      .put(`/api/photos/${id}`)
      .set('Authorization', owner.auth)
      .send({ title: 'Renamed' });
    expect(edited.body.data.title).toBe('Renamed');
    expect(
      (
        await request(ctx.app)
          .put(`/api/photos/${id}`)
          .set('Authorization', stranger.auth)
          .send({ title: 'x' })
      ).status,
    ).toBe(404);

    const toggled = await request(ctx.app)
      .patch(`/api/gallery/${id}/toggle-visibility`)
      .set('Authorization', owner.auth);
    expect(toggled.body.data.isPublic).toBe(true);
    const back = await request(ctx.app)
      .put(`/api/gallery/${id}/toggle-visibility`)
      .set('Authorization', owner.auth);
    expect(back.body.data.isPublic).toBe(false);
    expect(
      (
        await request(ctx.app)
          .patch(`/api/gallery/${id}/toggle-visibility`)
          .set('Authorization', stranger.auth)
      ).status,
    ).toBe(404);
  });

  it('counts likes and views on visible photos', async () => {
    const photo = await legacyPhoto(owner, { isPublic: true });
    const id = String(photo._id);
    expect(
      (await request(ctx.app).post(`/api/gallery/${id}/like`).set('Authorization', stranger.auth))
        .body.data.likes,
    ).toBe(1);
    expect(
      (await request(ctx.app).post(`/api/photos/${id}/like`).set('Authorization', owner.auth)).body
        .data.likes,
    ).toBe(2);
    expect(
      (await request(ctx.app).delete(`/api/photos/${id}/like`).set('Authorization', owner.auth))
        .body.data.likes,
    ).toBe(1);
    expect((await request(ctx.app).post(`/api/gallery/${id}/view`)).body.data.views).toBe(1);
    expect((await request(ctx.app).post(`/api/photos/${id}/view`)).body.data.views).toBe(2);
    const hidden = await legacyPhoto(owner);
    expect(
      (
        await request(ctx.app)
          .post(`/api/gallery/${String(hidden._id)}/like`)
          .set('Authorization', stranger.auth)
      ).status,
    ).toBe(404);
    expect((await request(ctx.app).post(`/api/gallery/${String(hidden._id)}/view`)).status).toBe(
      404,
    );
  });

  it('deletes the owner’s photo and its file; others get 404', async () => {
    const photo = await legacyPhoto(owner);
    const key = ctx.storage.keyFromUrl(`http://api.test${photo.imageUrl}`)!;
    expect(
      (
        await request(ctx.app)
          .delete(`/api/photos/${String(photo._id)}`)
          .set('Authorization', stranger.auth)
      ).status,
    ).toBe(404);
    expect(
      (
        await request(ctx.app)
          .delete(`/api/photos/${String(photo._id)}`)
          .set('Authorization', owner.auth)
      ).status,
    ).toBe(200);
    expect(await PhotoModel.exists({ _id: photo._id })).toBeNull();
    expect(await storedKeys(ctx.storage, 'legacy')).not.toContain(key);
  });
});

describe('migrateLegacyPhotos', () => {
  it('moves Photo documents into FinalComposite and creates nothing on a second run', async () => {
    await FinalCompositeModel.deleteMany({ source: 'legacy' });
    const user = await signIn(ctx, await createUser());
    const created = new Date('2024-01-02T03:04:05Z');
    const photo = await legacyPhoto(user, {
      isPublic: true,
      likes: 4,
      views: 10,
      createdAt: created,
    });
    await PhotoModel.create({
      userId: user.id,
      imageUrl: 'https://res.cloudinary.com/demo/image/upload/old.png',
      isPublic: false,
    });
    const total = await PhotoModel.countDocuments();

    const first = await migrateLegacyPhotos({
      storage: ctx.storage,
      publicBaseUrl: ctx.config.publicBaseUrl,
    });
    expect(first).toMatchObject({ scanned: total, created: total, alreadyMigrated: 0, failed: [] });
    const migrated = await FinalCompositeModel.findOne({ legacyPhotoId: String(photo._id) }).lean();
    expect(migrated).toMatchObject({
      userId: user.id,
      source: 'legacy',
      isPublic: true,
      likes: 4,
      views: 10,
      templateId: 'old-template',
      compositeKey: ctx.storage.keyFromUrl(`http://api.test${photo.imageUrl}`),
      compositeUrl: `http://api.test${photo.imageUrl}`,
    });
    expect(migrated?.createdAt?.toISOString()).toBe(created.toISOString());

    const countAfterFirst = await FinalCompositeModel.countDocuments();
    const [second, third] = await Promise.all([
      migrateLegacyPhotos({ storage: ctx.storage, publicBaseUrl: ctx.config.publicBaseUrl }),
      migrateLegacyPhotos({ storage: ctx.storage, publicBaseUrl: ctx.config.publicBaseUrl }),
    ]);
    expect(second).toMatchObject({ scanned: total, created: 0, alreadyMigrated: total });
    expect(third).toMatchObject({ scanned: total, created: 0, alreadyMigrated: total });
    expect(await FinalCompositeModel.countDocuments()).toBe(countAfterFirst);

    // The migrated composite shows up in its owner's gallery and, being public, in Explore.
    const gallery = await request(ctx.app).get('/api/composites').set('Authorization', user.auth);
    expect(gallery.body.data.composites.map((c: { _id: string }) => c._id)).toContain(
      String(migrated!._id),
    );
    const explore = await request(ctx.app).get('/api/explore');
    const shown = explore.body.data.composites.find(
      (c: { _id: string }) => c._id === String(migrated!._id),
    );
    expect(shown.compositeUrl).toBe(`http://api.test${photo.imageUrl}`);
    expect((await request(ctx.app).get(photo.imageUrl)).status).toBe(200);
  });
});
