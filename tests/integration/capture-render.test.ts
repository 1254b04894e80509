import request from 'supertest';
import type { JobContext } from '../../src/jobs/job-context';
import { processors } from '../../src/jobs/registry';
import { CapturedPhotoModel, FinalCompositeModel, PhotoSessionModel } from '../../src/models';
import { useTestContext } from '../helpers/context';
import { createTemplate } from '../factories/sessions.factory';
import { createUser, signIn } from '../factories/users.factory';
import { FOUR_SLOTS } from '../fixtures/frames';
import { near, orientedJpegWithGps, pixelAt, toDataUrl } from '../fixtures/images';
import { CLEAN, leakedMetadata } from '../helpers/image-metadata';

// No worker runs in this file: the captures' normalize jobs stay queued.
const ctx = useTestContext('capture_render');

function jobContext(jobId: string): JobContext {
  return {
    config: ctx.config,
    logger: ctx.logger,
    storage: ctx.storage,
    jobId,
    attemptsMade: 0,
    reportProgress: async () => undefined,
  };
}

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
