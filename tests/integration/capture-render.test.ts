import request from 'supertest';
import type { JobContext } from '../../src/jobs/job-context';
import { processors } from '../../src/job-processors';
import {
  AnalyticsEventModel,
  CapturedPhotoModel,
  FinalCompositeModel,
  PhotoSessionModel,
} from '../../src/models';
import { jobContextOf, useTestContext } from '../helpers/context';
import { createTemplate } from '../factories/sessions.factory';
import { createUser, signIn } from '../factories/users.factory';
import { FOUR_SLOTS } from '../fixtures/frames';
import { near, orientedJpegWithGps, pixelAt, toDataUrl } from '../fixtures/images';
import { CLEAN, leakedMetadata } from '../helpers/image-metadata';

// No worker runs in this file: the captures' normalize jobs stay queued.
const ctx = useTestContext('capture_render');

const jobContext = (jobId: string): JobContext => jobContextOf(ctx, { jobId });

describe('a render that finds captures not yet normalised', () => {
  it('still produces an upright composite without any metadata', async () => {
    const user = await signIn(ctx, await createUser());
    const template = await createTemplate(ctx.storage);
    const created = await request(ctx.app)
      .post('/api/sessions')
      .set('Authorization', user.auth)
      .send({ sessionName: 'Raw', templateId: String(template._id) });
    const sessionId: string = created.body.data._id;
    // Stored 40×20 with EXIF orientation 6 and GPS: upright it is 20×40, red on top, blue below.
    const photo = toDataUrl(await orientedJpegWithGps());
    for (const order of [1, 2, 3, 4]) {
      const res = await request(ctx.app)
        .post('/api/photos/upload')
        .set('Authorization', user.auth)
        .send({ sessionId, photoUrl: photo, order });
      expect(res.status).toBe(201);
    }
    const captures = await CapturedPhotoModel.find({ sessionId }).lean();
    expect(
      captures.every((c) => c.processing === true && c.photoKey?.startsWith('incoming/')),
    ).toBe(true);

    const asked = await request(ctx.app)
      .post(`/api/sessions/${sessionId}/composite`)
      .set('Authorization', user.auth);
    expect(asked.status).toBe(202);
    const jobId: string = asked.body.data.jobId;
    await processors['render-composite']({ sessionId, userId: user.id }, jobContext(jobId));

    const composite = await FinalCompositeModel.findOne({ sessionId }).lean();
    const jpeg = await ctx.storage.read(composite!.compositeKey!);
    expect(await leakedMetadata(jpeg)).toEqual(CLEAN);
    for (const slot of FOUR_SLOTS) {
      const x = slot.x + Math.floor(slot.width / 2);
      expect(near(await pixelAt(jpeg, x, slot.y + 20), [255, 0, 0])).toBe(true);
      expect(near(await pixelAt(jpeg, x, slot.y + slot.height - 20), [0, 0, 255])).toBe(true);
    }
    const thumbnail = await ctx.storage.read(composite!.thumbnailKey!);
    expect(await leakedMetadata(thumbnail)).toEqual(CLEAN);
    expect((await PhotoSessionModel.findById(sessionId).lean())?.renderStatus).toBe('completed');
  });
});

describe('the composite_created event', () => {
  it('is written with the composite: a crash right after creating it loses neither, and a retry adds no second one', async () => {
    const user = await signIn(ctx, await createUser());
    const template = await createTemplate(ctx.storage);
    const created = await request(ctx.app)
      .post('/api/sessions')
      .set('Authorization', user.auth)
      .send({ sessionName: 'Crash', templateId: String(template._id) });
    const sessionId: string = created.body.data._id;
    const photo = toDataUrl(await orientedJpegWithGps());
    for (const order of [1, 2]) {
      await request(ctx.app)
        .post('/api/photos/upload')
        .set('Authorization', user.auth)
        .send({ sessionId, photoUrl: photo, order });
    }
    const asked = await request(ctx.app)
      .post(`/api/sessions/${sessionId}/composite`)
      .set('Authorization', user.auth);
    const jobId: string = asked.body.data.jobId;

    // The worker dies right after the composite is created: the next write (completing the
    // session) never happens.
    const updateOne = PhotoSessionModel.updateOne.bind(PhotoSessionModel);
    const crash = jest.spyOn(PhotoSessionModel, 'updateOne').mockImplementation(((
      filter: Parameters<typeof updateOne>[0],
      update: Parameters<typeof updateOne>[1],
    ) => {
      const set = (update as { $set?: { status?: string } } | undefined)?.$set;
      if (set?.status === 'completed') throw new Error('worker killed');
      return updateOne(filter, update);
    }) as typeof PhotoSessionModel.updateOne);
    await expect(
      processors['render-composite']({ sessionId, userId: user.id }, jobContext(jobId)),
    ).rejects.toThrow('worker killed');
    crash.mockRestore();
    expect(await FinalCompositeModel.countDocuments({ sessionId })).toBe(1);
    const events = () =>
      AnalyticsEventModel.countDocuments({ eventType: 'composite_created', sessionId });
    expect(await events()).toBe(1);

    // The retry finds the composite, completes the session and writes no second event.
    const retried = { ...jobContext(jobId), attemptsMade: 1 };
    await expect(
      processors['render-composite']({ sessionId, userId: user.id }, retried),
    ).resolves.toMatchObject({ created: false });
    expect(await FinalCompositeModel.countDocuments({ sessionId })).toBe(1);
    expect(await events()).toBe(1);
    expect((await PhotoSessionModel.findById(sessionId).lean())?.renderStatus).toBe('completed');
  });
});
