import { Types } from 'mongoose';
import {
  applyMongooseDefaults,
  CapturedPhotoModel,
  CompositeLikeModel,
  FinalCompositeModel,
  PhotoModel,
  PhotoSessionModel,
} from '../../../src/models';
import {
  buildCapturedPhoto,
  buildFinalComposite,
  buildPhoto,
  buildPhotoSession,
} from '../../factories/model.factory';
import { useTestDatabase } from '../../helpers/database';
import { findIndex, invalidPaths, writeErrorCode } from './model-assertions';

applyMongooseDefaults();
useTestDatabase('models_booth');

describe('PhotoSession model', () => {
  it('when a session is created, then it starts active with empty photos and zero total', async () => {
    const session = buildPhotoSession();
    expect(await invalidPaths(session)).toEqual([]);
    expect(session.status).toBe('active');
    expect(session.capturedPhotos).toEqual([]);
    expect(session.finalComposite).toBeNull();
    expect(session.metadata?.totalPhotos).toBe(0);
    expect(session.startedAt).toBeInstanceOf(Date);
    expect(session.renderStatus).toBeNull();
  });

  it('when templateId is free-form like ai-generated-<ts>, then it is stored as the same string', async () => {
    const saved = await buildPhotoSession({ templateId: 'ai-generated-1767500000000' }).save();
    const raw = await PhotoSessionModel.collection.findOne({ _id: saved._id });
    expect(raw?.templateId).toBe('ai-generated-1767500000000');
    expect(typeof raw?.userId).toBe('string');
  });

  it('when sessionName, userId or templateId is missing, then each is required', async () => {
    const session = buildPhotoSession({
      sessionName: undefined,
      userId: undefined,
      templateId: undefined,
    });
    expect(await invalidPaths(session)).toEqual(['sessionName', 'templateId', 'userId']);
  });

  it('when the status or render status is unknown, then it is rejected', async () => {
    expect(
      await invalidPaths(buildPhotoSession({ status: 'paused', renderStatus: 'stuck' })),
    ).toEqual(['renderStatus', 'status']);
  });

  it('when the client merges its own metadata keys, then they are kept beside the typed ones', async () => {
    const saved = await buildPhotoSession({
      metadata: {
        photoCount: 3,
        templateName: 'Wisuda',
        startedAt: '2026-01-04T10:00:00.000Z',
        deviceInfo: { ua: 'x' },
      },
    }).save();
    const stored = await PhotoSessionModel.findById(saved._id).lean();
    expect(stored?.metadata).toMatchObject({
      totalPhotos: 0,
      photoCount: 3,
      templateName: 'Wisuda',
      startedAt: '2026-01-04T10:00:00.000Z',
      deviceInfo: { ua: 'x' },
    });
  });

  it('when a top-level field is not in the schema, then it is not stored', async () => {
    const saved = await buildPhotoSession({ hacked: true }).save();
    expect(await PhotoSessionModel.collection.findOne({ _id: saved._id })).not.toHaveProperty(
      'hacked',
    );
  });

  it('when the database lists the indexes, then the user session list is indexed', async () => {
    expect(
      await findIndex(PhotoSessionModel, { userId: 1, status: 1, createdAt: -1 }),
    ).toBeDefined();
  });
});

describe('CapturedPhoto model', () => {
  it('when a capture is built, then it passes with camera source and no retake', async () => {
    const photo = buildCapturedPhoto({ metadata: { photoNumber: 2, capturedAt: new Date() } });
    expect(await invalidPaths(photo)).toEqual([]);
    expect(photo.metadata).toMatchObject({ source: 'camera', isRetake: false, photoNumber: 2 });
  });

  it('when order is 0 or fractional, then it is rejected', async () => {
    expect(await invalidPaths(buildCapturedPhoto({ order: 0 }))).toEqual(['order']);
    expect(await invalidPaths(buildCapturedPhoto({ order: 1.5 }))).toEqual(['order']);
  });

  it('when slot or photoNumber is below 1, then it is rejected', async () => {
    expect(
      await invalidPaths(buildCapturedPhoto({ slot: 0, metadata: { photoNumber: 0 } })),
    ).toEqual(['metadata.photoNumber', 'slot']);
  });

  it('when two captures of one session repeat an order, then both are stored', async () => {
    const sessionId = new Types.ObjectId().toHexString();
    await buildCapturedPhoto({ sessionId, order: 1 }).save();
    await expect(buildCapturedPhoto({ sessionId, order: 1 }).save()).resolves.toBeDefined();
    expect(await CapturedPhotoModel.countDocuments({ sessionId })).toBe(2);
  });

  it('when the metadata source is unknown, then it is rejected', async () => {
    expect(await invalidPaths(buildCapturedPhoto({ metadata: { source: 'scanner' } }))).toEqual([
      'metadata.source',
    ]);
  });

  it('when photoUrl, sessionId or userId is missing, then each is required', async () => {
    expect(
      await invalidPaths(
        buildCapturedPhoto({ photoUrl: undefined, sessionId: undefined, userId: undefined }),
      ),
    ).toEqual(['photoUrl', 'sessionId', 'userId']);
  });

  it('when the database lists the indexes, then (sessionId, order) is indexed and not unique', async () => {
    const index = await findIndex(CapturedPhotoModel, { sessionId: 1, order: 1 });
    expect(index).toBeDefined();
    expect(index?.unique).toBeFalsy();
  });
});

describe('FinalComposite model', () => {
  it('when a composite is built, then it is private, unshared, client-made, with zero likes and views', async () => {
    const composite = buildFinalComposite();
    expect(await invalidPaths(composite)).toEqual([]);
    expect(composite).toMatchObject({
      isPublic: false,
      shareEnabled: false,
      likes: 0,
      views: 0,
      source: 'client',
    });
  });

  it('when likes or views go negative, then they are rejected', async () => {
    expect(await invalidPaths(buildFinalComposite({ likes: -1, views: -1 }))).toEqual([
      'likes',
      'views',
    ]);
  });

  it('when the source is unknown, then it is rejected', async () => {
    expect(await invalidPaths(buildFinalComposite({ source: 'import' }))).toContain('source');
  });

  it('when a non-legacy composite has no session, then sessionId is required; a legacy one needs none', async () => {
    expect(await invalidPaths(buildFinalComposite({ sessionId: undefined }))).toEqual([
      'sessionId',
    ]);
    expect(
      await invalidPaths(
        buildFinalComposite({ sessionId: undefined, source: 'legacy', legacyPhotoId: 'p1' }),
      ),
    ).toEqual([]);
  });

  it('when templateId is free-form, then it is kept as a string', async () => {
    const saved = await buildFinalComposite({ templateId: 'ai-generated-42' }).save();
    expect((await FinalCompositeModel.collection.findOne({ _id: saved._id }))?.templateId).toBe(
      'ai-generated-42',
    );
  });

  it('when a user likes the same composite twice, then the second like fails with 11000', async () => {
    const compositeId = new Types.ObjectId().toHexString();
    await CompositeLikeModel.create({ compositeId, userId: 'u1' });
    expect(await writeErrorCode(CompositeLikeModel.create({ compositeId, userId: 'u1' }))).toBe(
      11000,
    );
    await expect(CompositeLikeModel.create({ compositeId, userId: 'u2' })).resolves.toBeDefined();
    expect(await findIndex(CompositeLikeModel, { compositeId: 1, userId: 1 })).toMatchObject({
      unique: true,
    });
  });

  it('when two composites share a renderJobId, then the second fails with 11000', async () => {
    await buildFinalComposite({ renderJobId: 'render-job-1', source: 'server' }).save();
    expect(
      await writeErrorCode(
        buildFinalComposite({ renderJobId: 'render-job-1', source: 'server' }).save(),
      ),
    ).toBe(11000);
  });

  it('when two composites share a legacyPhotoId, then the second fails with 11000', async () => {
    await buildFinalComposite({ legacyPhotoId: 'legacy-1', source: 'legacy' }).save();
    expect(
      await writeErrorCode(
        buildFinalComposite({ legacyPhotoId: 'legacy-1', source: 'legacy' }).save(),
      ),
    ).toBe(11000);
  });

  it('when many composites have neither renderJobId nor legacyPhotoId, then all are stored', async () => {
    await buildFinalComposite().save();
    await expect(buildFinalComposite().save()).resolves.toBeDefined();
  });

  it('when the database lists the indexes, then gallery, explore, session, template and idempotency indexes exist', async () => {
    expect(await findIndex(FinalCompositeModel, { userId: 1, createdAt: -1 })).toBeDefined();
    expect(await findIndex(FinalCompositeModel, { isPublic: 1, createdAt: -1 })).toBeDefined();
    expect(await findIndex(FinalCompositeModel, { isPublic: 1, likes: -1, _id: -1 })).toBeDefined();
    expect(await findIndex(FinalCompositeModel, { sessionId: 1 })).toBeDefined();
    expect(await findIndex(FinalCompositeModel, { templateId: 1, createdAt: -1 })).toBeDefined();
    expect(await findIndex(FinalCompositeModel, { renderJobId: 1 })).toMatchObject({
      unique: true,
      partialFilterExpression: { renderJobId: { $type: 'string' } },
    });
    expect(await findIndex(FinalCompositeModel, { legacyPhotoId: 1 })).toMatchObject({
      unique: true,
      partialFilterExpression: { legacyPhotoId: { $type: 'string' } },
    });
  });
});

describe('Photo model (deprecated)', () => {
  it('when a legacy photo is built, then it is private with zero counters and an ObjectId owner', async () => {
    const photo = buildPhoto();
    expect(await invalidPaths(photo)).toEqual([]);
    expect(photo).toMatchObject({ isPublic: false, likes: 0, views: 0 });
    expect(photo.userId).toBeInstanceOf(Types.ObjectId);
  });

  it('when imageUrl or userId is missing, then each is required', async () => {
    expect(await invalidPaths(buildPhoto({ imageUrl: undefined, userId: undefined }))).toEqual([
      'imageUrl',
      'userId',
    ]);
  });

  it('when the database lists the indexes, then the legacy gallery lists are indexed', async () => {
    expect(await findIndex(PhotoModel, { userId: 1, createdAt: -1 })).toBeDefined();
    expect(await findIndex(PhotoModel, { isPublic: 1, createdAt: -1 })).toBeDefined();
  });
});
