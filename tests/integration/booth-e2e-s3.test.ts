import sharp from 'sharp';
import request from 'supertest';
import { FinalCompositeModel, PhotoSessionModel } from '../../src/models';
import { useTestContext } from '../helpers/context';
import { eventually } from '../helpers/eventually';
import {
  localFiles,
  startAppProcess,
  stopAppProcess,
  waitUntilReady,
  type AppProcess,
} from '../helpers/processes';
import { storedKeys } from '../helpers/storage';
import { near, pixelAt, solidImage, toDataUrl } from '../fixtures/images';
import { createTemplate } from '../factories/sessions.factory';
import { FOUR_SLOTS, FRAME_COLOR } from '../fixtures/frames';
import { createUser, signIn } from '../factories/users.factory';
import { CAPTURE_COLORS } from '../helpers/captures';

// The test's own context writes the template and reads the database; everything else happens
// in two API and two worker processes that share only MongoDB, Redis and the bucket.
const ctx = useTestContext('booth_e2e_s3', { STORAGE_DRIVER: 's3' });

let apis: AppProcess[] = [];
let workers: AppProcess[] = [];

beforeAll(async () => {
  apis = await Promise.all([
    startAppProcess('api', ctx.config),
    startAppProcess('api', ctx.config),
  ]);
  workers = await Promise.all([
    startAppProcess('worker', ctx.config),
    startAppProcess('worker', ctx.config),
  ]);
  await Promise.all(apis.map((api) => waitUntilReady(api, 120_000)));
}, 180_000);

afterAll(async () => {
  await Promise.all([...apis, ...workers].map(stopAppProcess));
}, 60_000);

const binary = (res: request.Response): Buffer => Buffer.from(res.body as Buffer);

it('runs the booth on S3 across processes: captures → server render → share, nothing on local disk', async () => {
  let turn = 0;
  // Round-robin over the API processes, like a load balancer.
  const api = () => request(apis[turn++ % apis.length]!.url);
  const owner = await signIn(ctx, await createUser());
  const visitor = await signIn(ctx, await createUser());
  const template = await createTemplate(ctx.storage);

  const created = await api()
    .post('/api/sessions')
    .set('Authorization', owner.auth)
    .send({
      sessionName: 'Photo Session s3',
      templateId: String(template._id),
      metadata: { photoCount: 4, templateName: 'Birthday fun' },
    });
  expect(created.status).toBe(201);
  const sessionId: string = created.body.data._id;

  for (const [index, [hex]] of CAPTURE_COLORS.entries()) {
    const res = await api()
      .post('/api/photos/upload')
      .set('Authorization', owner.auth)
      .send({
        sessionId,
        photoUrl: toDataUrl(await solidImage(640, 480, hex)),
        order: index + 1,
        metadata: { photoNumber: index + 1, capturedAt: new Date().toISOString() },
      });
    expect(res.status).toBe(201);
    // Each capture is served by the other API process than the one that stored it.
    const photo = await api().get(new URL(res.body.data.photoUrl).pathname).buffer(true);
    expect(photo.status).toBe(200);
    expect((await sharp(binary(photo)).metadata()).format).toBe('jpeg');
  }

  const queued = await api()
    .post(`/api/sessions/${sessionId}/composite`)
    .set('Authorization', owner.auth);
  expect(queued.status).toBe(202);

  const composite = await eventually(
    async () => {
      const status = await api()
        .get(`/api/sessions/${sessionId}/composite`)
        .set('Authorization', owner.auth);
      expect(status.body.data.status).not.toBe('failed');
      return status.body.data.status === 'completed' ? status.body.data.composite : undefined;
    },
    120_000,
    500,
  );
  expect(composite).toMatchObject({ sessionId, source: 'server', isPublic: false });

  const image = await api().get(new URL(composite.compositeUrl).pathname).buffer(true);
  expect(image.status).toBe(200);
  expect(image.headers['x-content-type-options']).toBe('nosniff');
  const jpeg = binary(image);
  const meta = await sharp(jpeg).metadata();
  expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 600, 900]);
  expect(near(await pixelAt(jpeg, 10, 10), FRAME_COLOR)).toBe(true);
  for (const [index, slot] of FOUR_SLOTS.entries()) {
    const center = await pixelAt(
      jpeg,
      slot.x + Math.floor(slot.width / 2),
      slot.y + Math.floor(slot.height / 2),
    );
    expect(near(center, CAPTURE_COLORS[index]![1])).toBe(true);
  }
  const thumbnail = await api().get(new URL(composite.thumbnailUrl).pathname).buffer(true);
  expect(thumbnail.status).toBe(200);
  expect((await sharp(binary(thumbnail)).metadata()).format).toBe('webp');

  const share = await api().get(`/api/share/${composite._id}`).set('Authorization', owner.auth);
  expect(share.status).toBe(200);
  expect(share.body.data.shareUrl).toBe(`http://app.test/share/${composite._id}`);
  const opened = await api()
    .get(`/api/share/public/${composite._id}`)
    .set('Authorization', visitor.auth);
  expect(opened.status).toBe(200);
  const shared = await api()
    .get(new URL(opened.body.data.composite.compositeUrl).pathname)
    .buffer(true);
  expect(shared.status).toBe(200);
  expect(binary(shared).equals(jpeg)).toBe(true);

  const stored = await FinalCompositeModel.findById(composite._id).lean();
  const session = await PhotoSessionModel.findById(sessionId).lean();
  expect(session).toMatchObject({ status: 'completed', finalComposite: String(stored!._id) });
  // Every file is in the bucket; no process wrote one to its own disk.
  const keys = await storedKeys(ctx.storage);
  expect(keys).toEqual(
    expect.arrayContaining([stored!.compositeKey, stored!.thumbnailKey].filter(Boolean)),
  );
  expect(keys.filter((key) => key.startsWith('captures/')).length).toBeGreaterThanOrEqual(4);
  for (const proc of [...apis, ...workers]) expect(localFiles(proc)).toEqual([]);
  expect(localFiles({ uploadsDir: ctx.uploadsDir } as AppProcess)).toEqual([]);
}, 300_000);
