import sharp from 'sharp';
import request from 'supertest';
import { AnalyticsEventModel, FinalCompositeModel, PhotoSessionModel } from '../../src/models';
import { useTestContext } from '../helpers/context';
import { near, pixelAt } from '../fixtures/images';
import { createTemplate } from '../factories/sessions.factory';
import { FOUR_SLOTS, FRAME_COLOR, FRAME_STICKER } from '../fixtures/frames';
import { createUser, signIn } from '../factories/users.factory';
import { CAPTURE_COLORS, uploadCapture } from '../helpers/captures';
import { binaryParser, sseEvents, textParser } from '../helpers/http-parsers';

const ctx = useTestContext('booth_e2e');

it('runs the booth end to end: session, four captures, server render, gallery, likes, share, public link', async () => {
  ctx.startWorkers();
  const owner = await signIn(ctx, await createUser());
  const visitor = await signIn(ctx, await createUser());
  const template = await createTemplate(ctx.storage);

  const created = await request(ctx.app)
    .post('/api/sessions')
    .set('Authorization', owner.auth)
    .send({
      sessionName: 'Photo Session e2e',
      templateId: String(template._id),
      metadata: { photoCount: 4, templateName: 'Birthday fun' },
    });
  expect(created.status).toBe(201);
  const sessionId: string = created.body.data._id;

  // Landscape captures are cover-fitted into portrait slots.
  for (const [index, [hex]] of CAPTURE_COLORS.entries()) {
    const res = await uploadCapture(
      ctx,
      owner,
      sessionId,
      index + 1,
      hex,
      { photoNumber: index + 1, capturedAt: new Date().toISOString() },
      { width: 640, height: 480 },
    );
    expect(res.status).toBe(201);
  }

  const queued = await request(ctx.app)
    .post(`/api/sessions/${sessionId}/composite`)
    .set('Authorization', owner.auth);
  expect(queued.status).toBe(202);
  expect(queued.body.data).toMatchObject({
    jobId: `render-${sessionId}`,
    status: expect.stringMatching(/^(queued|active)$/),
  });
  const again = await request(ctx.app)
    .post(`/api/sessions/${sessionId}/composite`)
    .set('Authorization', owner.auth);
  expect([200, 202]).toContain(again.status);
  expect(again.body.data.jobId).toBe(`render-${sessionId}`);

  const stream = await request(ctx.app)
    .get(`/api/sessions/${sessionId}/events`)
    .set('Authorization', owner.auth)
    .buffer(true)
    .parse(textParser());
  expect(stream.status).toBe(200);
  expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
  const events = sseEvents(stream.body as string);
  expect(events.every((e) => e.event === 'status')).toBe(true);
  const last = events[events.length - 1]!;
  expect(last.data).toMatchObject({
    status: 'completed',
    progress: 100,
    jobId: `render-${sessionId}`,
  });

  const status = await request(ctx.app)
    .get(`/api/sessions/${sessionId}/composite`)
    .set('Authorization', owner.auth);
  expect(status.status).toBe(200);
  expect(status.body.data).toMatchObject({ status: 'completed', progress: 100 });
  const composite = status.body.data.composite;
  expect(composite).toMatchObject({
    sessionId,
    templateId: String(template._id),
    isPublic: false,
    likes: 0,
    source: 'server',
  });
  expect(composite.metadata).toMatchObject({
    width: 600,
    height: 900,
    format: 'jpeg',
    photosUsed: 4,
    templateName: 'Birthday fun',
  });

  // The rendered image: frame on top, each slot showing its own photo.
  const image = await request(ctx.app)
    .get(new URL(composite.compositeUrl).pathname)
    .buffer(true)
    .parse(binaryParser);
  expect(image.status).toBe(200);
  const jpeg = image.body as Buffer;
  const meta = await sharp(jpeg).metadata();
  expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 600, 900]);
  expect(near(await pixelAt(jpeg, 10, 10), FRAME_COLOR)).toBe(true);
  expect(near(await pixelAt(jpeg, 300, 450), FRAME_COLOR)).toBe(true);
  expect(near(await pixelAt(jpeg, FRAME_STICKER.x + 20, FRAME_STICKER.y + 20), FRAME_COLOR)).toBe(
    true,
  );
  for (const [index, slot] of FOUR_SLOTS.entries()) {
    const expected = CAPTURE_COLORS[index]![1];
    const center = await pixelAt(
      jpeg,
      slot.x + Math.floor(slot.width / 2),
      slot.y + Math.floor(slot.height / 2),
    );
    expect(near(center, expected)).toBe(true);
    const corner = await pixelAt(jpeg, slot.x + slot.width - 5, slot.y + slot.height - 5);
    expect(near(corner, expected)).toBe(true);
  }

  const thumbnail = await request(ctx.app)
    .get(new URL(composite.thumbnailUrl).pathname)
    .buffer(true)
    .parse(binaryParser);
  const thumbMeta = await sharp(thumbnail.body as Buffer).metadata();
  // Thumbnails fit a 400×400 box, keeping the 2:3 frame's aspect ratio.
  expect([thumbMeta.format, thumbMeta.width, thumbMeta.height]).toEqual(['webp', 267, 400]);

  const stored = await FinalCompositeModel.find({ sessionId }).lean();
  expect(stored).toHaveLength(1);
  expect(stored[0]).toMatchObject({
    userId: owner.id,
    renderJobId: `render-${sessionId}`,
    source: 'server',
  });
  const session = await PhotoSessionModel.findById(sessionId).lean();
  expect(session).toMatchObject({
    status: 'completed',
    finalComposite: String(stored[0]!._id),
    renderStatus: 'completed',
  });
  expect(session?.completedAt).toBeInstanceOf(Date);
  expect(
    await AnalyticsEventModel.countDocuments({ eventType: 'composite_created', sessionId }),
  ).toBe(1);

  // After completion, asking again answers the existing composite.
  const after = await request(ctx.app)
    .post(`/api/sessions/${sessionId}/composite`)
    .set('Authorization', owner.auth);
  expect(after.status).toBe(200);
  expect(after.body.data).toMatchObject({ status: 'completed', composite: { _id: composite._id } });

  const gallery = await request(ctx.app)
    .get('/api/composites?page=1&limit=20')
    .set('Authorization', owner.auth);
  expect(gallery.body.data.composites.map((c: { _id: string }) => c._id)).toEqual([composite._id]);
  expect(gallery.body.data.pagination).toMatchObject({ page: 1, pages: 1 });

  const like1 = await request(ctx.app)
    .post(`/api/composites/${composite._id}/like`)
    .set('Authorization', owner.auth);
  const like2 = await request(ctx.app)
    .post(`/api/composites/${composite._id}/like`)
    .set('Authorization', owner.auth);
  expect([like1.body.data.likes, like2.body.data.likes]).toEqual([1, 1]);

  const share = await request(ctx.app)
    .get(`/api/share/${composite._id}`)
    .set('Authorization', owner.auth);
  expect(share.status).toBe(200);
  expect(share.body.data.shareUrl).toBe(`http://app.test/share/${composite._id}`);
  expect(share.body.data.qrCode).toMatch(/^data:image\/png;base64,/);

  const opened = await request(ctx.app)
    .get(`/api/share/public/${composite._id}`)
    .set('Authorization', visitor.auth);
  expect(opened.status).toBe(200);
  expect(opened.body.data.composite).toMatchObject({
    _id: composite._id,
    likes: 1,
    views: 1,
    metadata: { templateName: 'Birthday fun' },
  });
  expect(opened.body.data.shareUrl).toBe(`http://app.test/share/${composite._id}`);
  // Shared by link: its file is served from the plain URL to anyone.
  expect(opened.body.data.composite.compositeUrl).toMatch(
    /^http:\/\/api\.test\/uploads\/composites\//,
  );
  const publicImage = await request(ctx.app).get(
    new URL(opened.body.data.composite.compositeUrl).pathname,
  );
  expect(publicImage.status).toBe(200);
});
