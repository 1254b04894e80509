import sharp from 'sharp';
import request from 'supertest';
import type { RunningWorkers } from '../../src/jobs/worker-runner';
import {
  NotificationModel,
  TemplateModel,
  UsageLimitModel,
  UserSubmittedFrameModel,
} from '../../src/models';
import { normalizeSubmissionFrameJob } from '../../src/modules/submissions/normalize-submission-frame';
import { normalizeTemplateFrameJob } from '../../src/modules/templates/normalize-template-frame';
import { createProUser } from '../factories/frames.factory';
import { createAdmin, createUser, signIn, type TestUser } from '../factories/users.factory';
import {
  jpegFrameWithGps,
  PNG_TEXT_SECRET,
  pngFrameWithMetadata,
  slotsOf,
  truncatedPng,
  TWO_HOLES,
} from '../fixtures/frame-uploads';
import { corruptPng, decompressionBombPng, toDataUrl } from '../fixtures/images';
import { jobContextOf, useTestContext } from '../helpers/context';
import { eventually } from '../helpers/eventually';
import { CLEAN, leakedMetadata } from '../helpers/image-metadata';
import { storedKeys } from '../helpers/storage';

/**
 * Frames uploaded by admins (templates) and by Pro users (submissions) are checked from their
 * header on the request path, kept private while a job normalises them, and served only in their
 * normalised form: upright, without EXIF/GPS or text chunks, with the PNG's transparency kept.
 */
const ctx = useTestContext('frame-uploads');

let admin: TestUser;
let other: TestUser;
beforeAll(async () => {
  admin = await signIn(ctx, await createAdmin());
  other = await signIn(ctx, await createUser());
});

let workers: RunningWorkers | undefined;
afterEach(async () => {
  await workers?.close();
  workers = undefined;
});

type Parser = Extract<Parameters<request.Test['parse']>[0], (res: never, callback: never) => void>;

const pathOf = (url: string) => new URL(url).pathname;
const fetchFile = async (url: string) => {
  const res = await request(ctx.app).get(pathOf(url)).buffer(true).parse(binary);
  expect(res.status).toBe(200);
  return res.body as Buffer;
};
const binary: Parser = (res, callback) => {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
};

async function expectClean(url: string): Promise<Buffer> {
  const data = await fetchFile(url);
  expect(await leakedMetadata(data)).toEqual(CLEAN);
  expect(data.includes(PNG_TEXT_SECRET, 0, 'utf8')).toBe(false);
  return data;
}

const createTemplate = (frame: Buffer, mime: string, name: string) =>
  request(ctx.app)
    .post('/api/templates')
    .set('Authorization', admin.auth)
    .send({
      name,
      category: 'Birthday',
      frameUrl: toDataUrl(frame, mime),
      frameCount: 2,
      layoutPositions: slotsOf(TWO_HOLES),
    });

/** A Pro user's frame submission sent as the client's multipart form, the frame a PNG. */
const submitPngFrame = (user: TestUser, name: string, frame: Buffer) =>
  request(ctx.app)
    .post('/api/user-submissions/frames')
    .set('Authorization', user.auth)
    .field('name', name)
    .field('layout', 'vertical')
    .attach('frame', frame, { filename: 'frame.png', contentType: 'image/png' });

const getTemplate = (id: string, user?: TestUser) => {
  const req = request(ctx.app).get(`/api/templates/${id}`);
  return user ? req.set('Authorization', user.auth) : req;
};

const listedTo = async (user: TestUser, id: string) => {
  const res = await request(ctx.app).get('/api/templates?limit=50').set('Authorization', user.auth);
  return res.body.data.templates.some((t: { _id: string }) => t._id === id) as boolean;
};

const startSession = (user: TestUser, templateId: string) =>
  request(ctx.app)
    .post('/api/sessions')
    .set('Authorization', user.auth)
    .send({ sessionName: 'Frame upload session', templateId });

describe('an admin-uploaded template frame', () => {
  it('a PNG with EXIF and text chunks: only admins reach it and no session may use it until its job ran; then every copy is metadata-free and keeps its alpha', async () => {
    const original = await pngFrameWithMetadata();
    expect((await leakedMetadata(original)).gps).toBe(true);
    expect(original.includes(PNG_TEXT_SECRET, 0, 'utf8')).toBe(true);

    const res = await createTemplate(original, 'image/png', 'Pesta PNG');
    expect(res.status).toBe(201);
    const created = res.body.data.template;
    expect(created).toMatchObject({ processing: true, canvasWidth: 600, canvasHeight: 900 });
    const stored = await TemplateModel.findById(created._id).lean();
    expect((await request(ctx.app).get(pathOf(stored!.frameUrl))).status).toBe(404);

    expect((await getTemplate(created._id, other)).status).toBe(404);
    expect((await getTemplate(created._id)).status).toBe(404);
    expect(await listedTo(other, created._id)).toBe(false);
    expect(await listedTo(admin, created._id)).toBe(true);
    const session = await startSession(other, created._id);
    expect(session.status).toBe(409);
    expect(session.body).toMatchObject({ success: false, code: 'CONFLICT' });
    // The admin sees the original through a signed URL.
    const seen = await getTemplate(created._id, admin);
    expect(seen.status).toBe(200);
    expect(await fetchFile(seen.body.data.template.frameUrl)).toEqual(original);

    workers = ctx.startWorkers();
    const done = await eventually(async () => {
      const r = await getTemplate(created._id, other);
      return r.status === 200 && r.body.data.template.thumbnail.endsWith('.webp')
        ? r.body.data.template
        : null;
    }, 30_000);
    expect(done).toMatchObject({ processing: false, canvasWidth: 600, canvasHeight: 900 });
    const frame = await expectClean(done.frameUrl);
    await expectClean(done.thumbnail);
    const { hasAlpha, width, height } = await sharp(frame).metadata();
    expect({ hasAlpha, width, height }).toEqual({ hasAlpha: true, width: 600, height: 900 });
    const hole = TWO_HOLES[0]!;
    const { data } = await sharp(frame)
      .extract({ left: hole.x + 10, top: hole.y + 10, width: 1, height: 1 })
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(data[3]).toBe(0);
    expect(await listedTo(other, created._id)).toBe(true);
    expect((await startSession(other, created._id)).status).toBe(201);
    expect(await storedKeys(ctx.storage, 'incoming')).not.toContain(
      ctx.storage.keyFromUrl(stored!.frameUrl),
    );
  }, 60_000);

  it('a JPEG with GPS and EXIF orientation is stored upright and metadata-free, also when it replaces a frame', async () => {
    workers = ctx.startWorkers();
    const original = await jpegFrameWithGps();
    expect((await leakedMetadata(original)).gps).toBe(true);
    const res = await createTemplate(original, 'image/jpeg', 'Foto Perjalanan');
    expect(res.status).toBe(201);
    // Slots are checked against the upright size the header announces.
    expect(res.body.data.template).toMatchObject({ canvasWidth: 600, canvasHeight: 900 });
    const id = res.body.data.template._id as string;
    const processed = () =>
      eventually(async () => {
        const r = await getTemplate(id, other);
        return r.status === 200 ? r.body.data.template : null;
      }, 30_000);
    const done = await processed();
    const frame = await expectClean(done.frameUrl);
    expect(await sharp(frame).metadata()).toMatchObject({ width: 600, height: 900 });
    const { data } = await sharp(frame)
      .extract({ left: 300, top: 100, width: 1, height: 1 })
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(200);
    expect(data[2]).toBeLessThan(60);

    // An update with a new raster frame hides the template again until its job has run.
    const updated = await request(ctx.app)
      .put(`/api/templates/${id}`)
      .set('Authorization', admin.auth)
      .send({ frameUrl: toDataUrl(await pngFrameWithMetadata(), 'image/png') });
    expect(updated.status).toBe(200);
    expect(updated.body.data.template.processing).toBe(true);
    const again = await processed();
    await expectClean(again.frameUrl);
    expect(again.frameUrl).not.toBe(done.frameUrl);
  }, 60_000);
});

describe('a submitted frame', () => {
  it('keeps frame and thumbnail private and unapprovable until its job ran; then frame, thumbnail and preview are metadata-free', async () => {
    const pro = await signIn(ctx, await createProUser());
    const res = await request(ctx.app)
      .post('/api/user-submissions/frames')
      .set('Authorization', pro.auth)
      .send({
        name: 'Bingkai Rahasia',
        frameUrl: toDataUrl(await pngFrameWithMetadata(), 'image/png'),
        thumbnail: toDataUrl(await jpegFrameWithGps(), 'image/jpeg'),
        frameCount: 2,
        layout: 'vertical',
        frameSpec: { category: 'Birthday' },
        layoutPositions: slotsOf(TWO_HOLES),
      });
    expect(res.status).toBe(200);
    const id = res.body.data._id as string;
    expect(res.body.data.processing).toBe(true);
    const listed = await request(ctx.app)
      .get('/api/user-submissions/frames?status=all')
      .set('Authorization', other.auth);
    expect(listed.body.data.map((s: { _id: string }) => s._id)).not.toContain(id);
    const theirs = await request(ctx.app)
      .delete(`/api/user-submissions/frames/${id}`)
      .set('Authorization', other.auth);
    expect(theirs.status).toBe(404);
    const early = await request(ctx.app)
      .patch(`/api/admin/frame-submissions/${id}/approve`)
      .set('Authorization', admin.auth)
      .send({ isPremium: false });
    expect(early.status).toBe(409);
    expect((await UserSubmittedFrameModel.findById(id).lean())?.status).toBe('pending');

    workers = ctx.startWorkers();
    const row = await eventually(async () => {
      const queue = await request(ctx.app)
        .get('/api/admin/frame-submissions?status=pending&limit=100')
        .set('Authorization', admin.auth);
      const found = queue.body.data.find((s: { _id: string }) => s._id === id);
      return found && !found.processing && found.previewUrl ? found : null;
    }, 30_000);
    const frame = await expectClean(row.frameUrl);
    expect((await sharp(frame).metadata()).hasAlpha).toBe(true);
    const thumbnail = await expectClean(row.thumbnail);
    expect(await sharp(thumbnail).metadata()).toMatchObject({ width: 600, height: 900 });
    await expectClean(row.previewUrl);

    const approved = await request(ctx.app)
      .patch(`/api/admin/frame-submissions/${id}/approve`)
      .set('Authorization', admin.auth)
      .send({ isPremium: false });
    expect(approved.status).toBe(200);
    await expectClean(approved.body.data.template.frameUrl);
  }, 60_000);
});

describe('a bad frame file is refused from its header with nothing stored', () => {
  const textAsPng = Buffer.from('This is a note, not a picture.\n'.repeat(20));
  const cases: Array<[string, () => Promise<Buffer>, number]> = [
    ['a text file named .png', async () => textAsPng, 415],
    ['a truncated PNG', async () => truncatedPng(await pngFrameWithMetadata()), 400],
    ['a PNG header announcing 30000×30000 pixels', async () => decompressionBombPng(), 413],
  ];

  async function everything() {
    return {
      files: (await storedKeys(ctx.storage)).sort(),
      templates: await TemplateModel.countDocuments(),
      submissions: await UserSubmittedFrameModel.countDocuments(),
    };
  }

  it.each(cases)(
    '%s: template create (multipart) and frame submission',
    async (_name, file, status) => {
      const data = await file();
      const pro = await signIn(ctx, await createProUser());
      const before = await everything();
      const template = await request(ctx.app)
        .post('/api/templates')
        .set('Authorization', admin.auth)
        .field('name', 'Bad Frame')
        .field('category', 'Birthday')
        .field('frameCount', '2')
        .field('layoutPositions', JSON.stringify(slotsOf(TWO_HOLES)))
        .attach('frame', data, { filename: 'frame.png', contentType: 'image/png' });
      expect(template.status).toBe(status);
      expect(template.body).toMatchObject({ success: false });
      const submission = await submitPngFrame(pro, 'Bad Frame', data);
      expect(submission.status).toBe(status);
      expect(submission.body).toMatchObject({ success: false, error: expect.any(String) });
      expect(await everything()).toEqual(before);
      const day = await UsageLimitModel.findOne({ userId: pro.id }).lean();
      expect(day?.frameUploadCount ?? 0).toBe(0);
    },
  );
});

describe('the frame jobs, called as BullMQ would deliver them', () => {
  const jobContext = () => jobContextOf(ctx);

  it('a repeated delivery changes nothing and writes no file', async () => {
    const res = await createTemplate(await pngFrameWithMetadata(), 'image/png', 'Sekali Saja');
    const id = res.body.data.template._id as string;
    const source = ctx.storage.keyFromUrl((await TemplateModel.findById(id).lean())!.frameUrl)!;
    const payload = { templateId: id, frameKey: source };
    const first = await normalizeTemplateFrameJob(payload, jobContext());
    expect(first).toMatchObject({ frameKey: expect.stringMatching(/^templates\//) });
    const after = { doc: await TemplateModel.findById(id).lean(), files: await storedKeys(ctx.storage) };
    expect(await normalizeTemplateFrameJob(payload, jobContext())).toHaveProperty('skipped');
    expect({ doc: await TemplateModel.findById(id).lean(), files: await storedKeys(ctx.storage) }).toEqual(after);
  }); // prettier-ignore

  it('a complete file whose pixels do not decode: the template stays hidden with the reason; the submission is taken back and its unit given back', async () => {
    const broken = corruptPng(1000);
    const res = await createTemplate(broken, 'image/png', 'Rusak');
    expect(res.status).toBe(201);
    const id = res.body.data.template._id as string;
    const source = ctx.storage.keyFromUrl((await TemplateModel.findById(id).lean())!.frameUrl)!;
    await expect(normalizeTemplateFrameJob({ templateId: id, frameKey: source }, jobContext())).rejects.toThrow(/normalize-template-frame/); // prettier-ignore
    const seen = await getTemplate(id, admin);
    expect(seen.body.data.template).toMatchObject({ processing: true, processingError: expect.stringMatching(/could not be read/) }); // prettier-ignore
    expect((await getTemplate(id, other)).status).toBe(404);

    const pro = await signIn(ctx, await createProUser());
    const submitted = await submitPngFrame(pro, 'Rusak Juga', broken);
    expect(submitted.status).toBe(200);
    const submissionId = submitted.body.data._id as string;
    const stored = await UserSubmittedFrameModel.findById(submissionId).lean();
    await expect(normalizeSubmissionFrameJob({ submissionId, frameKey: stored!.frameKey! }, jobContext())).rejects.toThrow(/normalize-submission-frame/); // prettier-ignore
    expect(await UserSubmittedFrameModel.exists({ _id: submissionId })).toBeNull();
    expect(await ctx.storage.exists(stored!.frameKey!)).toBe(false);
    expect((await UsageLimitModel.findOne({ userId: pro.id }).lean())?.frameUploadCount).toBe(0);
    const told = await NotificationModel.findOne({ userId: pro.id }).sort({ createdAt: -1 }).lean();
    expect(told).toMatchObject({ title: 'Your frame could not be submitted' });
  });
});
