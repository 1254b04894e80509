import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import request from 'supertest';
import { renderTemplateThumbnail } from '../../src/jobs/processors/render-template-thumbnail.processor';
import { AnalyticsEventModel, PhotoSessionModel, TemplateModel } from '../../src/models';
import { useTestContext } from '../helpers/context';
import { framePng, FOUR_SLOTS } from '../fixtures/frames';
import { createUser, signIn, type TestUser } from '../factories/users.factory';
import { insertTemplate, insertUserFrame, svgFrame } from '../factories/templates.factory';
import {
  decompressionBombPng,
  noisyJpeg,
  phpFileNamedJpg,
  solidImage,
  toDataUrl,
  truncatedJpeg,
} from '../fixtures/images';
import { SVG_ATTACKS } from '../fixtures/svg-attacks';

const MAX_UPLOAD = 3 * 1024 * 1024;
const ctx = useTestContext('templates', { MAX_UPLOAD_BYTES: String(MAX_UPLOAD) });

let admin: TestUser;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  admin = await signIn(ctx, await createUser({ role: 'admin' }));
  alice = await signIn(ctx, await createUser());
  bob = await signIn(ctx, await createUser());
});

beforeEach(async () => {
  await TemplateModel.deleteMany({});
});

function templateFiles(): string[] {
  const root = path.join(ctx.uploadsDir, 'templates');
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(full);
    }
  };
  walk(root);
  return out.sort();
}

function fileOf(url: string): string {
  const key = ctx.storage.keyFromUrl(url);
  if (!key) throw new Error(`not a storage URL: ${url}`);
  return path.join(ctx.uploadsDir, key);
}

function createBody(overrides: Record<string, unknown> = {}) {
  const { dataUrl, slots } = svgFrame(4);
  return {
    name: 'Pesta Ulang Tahun',
    category: 'Birthday',
    frameUrl: dataUrl,
    isPremium: false,
    frameCount: 4,
    layoutPositions: slots.map(({ x, y, width, height }) => ({ x, y, width, height })),
    isActive: true,
    ...overrides,
  };
}

async function waitFor<T>(
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Thumbnail jobs of earlier tests write files; wait for them before comparing directory listings. */
async function imageJobsIdle(): Promise<void> {
  await waitFor(async () => {
    const counts = await ctx.jobs
      .queue('images')
      .getJobCounts('active', 'waiting', 'delayed', 'prioritized');
    return Object.values(counts).every((n) => n === 0);
  });
}

describe('GET /api/templates', () => {
  it('lists active public templates newest first with the fields the gallery reads and no data.total', async () => {
    const older = await insertTemplate({
      createdAt: new Date('2024-01-01'),
      createdBy: admin.id,
      isAIGenerated: true,
    });
    const newer = await insertTemplate({ createdAt: new Date('2024-06-01') });
    await insertTemplate({ isActive: false });

    const res = await request(ctx.app).get('/api/templates?limit=12&page=1').expect(200);

    expect(res.body.success).toBe(true);
    expect(res.body.data.total).toBeUndefined();
    expect(res.body.data.pagination).toEqual({ page: 1, limit: 12, total: 2, pages: 1 });
    const [first, second] = res.body.data.templates;
    expect([first._id, second._id]).toEqual([String(newer._id), String(older._id)]);
    expect(second).toMatchObject({
      name: older.name,
      category: 'Birthday',
      thumbnail: older.thumbnail,
      frameUrl: older.frameUrl,
      isPremium: false,
      frameCount: 3,
      isActive: true,
      isAIGenerated: true,
      createdBy: admin.id,
      creatorName: 'Community Creator',
      visibility: 'public',
    });
    expect(first.creatorName).toBe('Anonymous');
    expect(second.layoutPositions[0]).toEqual({
      x: 20,
      y: 20,
      width: 270,
      height: 370,
      borderRadius: 0,
      rotation: 0,
    });
    expect(typeof second.createdAt).toBe('string');
    expect(typeof second.updatedAt).toBe('string');
  });

  it('filters by category unless All, by isPremium and by isActive, and pages', async () => {
    await insertTemplate({ category: 'Wedding', isPremium: true });
    await insertTemplate({ category: 'Wedding' });
    await insertTemplate({ category: 'Graduation' });
    await insertTemplate({ category: 'Wedding', isActive: false });

    const wedding = await request(ctx.app).get('/api/templates?category=Wedding').expect(200);
    expect(wedding.body.data.templates).toHaveLength(2);
    const all = await request(ctx.app).get('/api/templates?category=All').expect(200);
    expect(all.body.data.templates).toHaveLength(3);
    const premium = await request(ctx.app).get('/api/templates?isPremium=true').expect(200);
    expect(premium.body.data.templates.map((t: { isPremium: boolean }) => t.isPremium)).toEqual([
      true,
    ]);
    const inactive = await request(ctx.app).get('/api/templates?isActive=false').expect(200);
    expect(inactive.body.data.templates.map((t: { isActive: boolean }) => t.isActive)).toEqual([
      false,
    ]);

    const page2 = await request(ctx.app).get('/api/templates?limit=2&page=2').expect(200);
    expect(page2.body.data.templates).toHaveLength(1);
    expect(page2.body.data.pagination).toEqual({ page: 2, limit: 2, total: 3, pages: 2 });
  });

  it('shows a private template only to its owner; templates without a visibility field stay public', async () => {
    const mine = await insertTemplate({ visibility: 'private', createdBy: alice.id });
    const legacy = await insertTemplate();
    await TemplateModel.collection.updateOne({ _id: legacy._id }, { $unset: { visibility: '' } });

    const anonymous = await request(ctx.app).get('/api/templates').expect(200);
    expect(anonymous.body.data.templates.map((t: { _id: string }) => t._id)).toEqual([
      String(legacy._id),
    ]);
    expect(anonymous.body.data.templates[0].visibility).toBe('public');
    const owner = await request(ctx.app)
      .get('/api/templates')
      .set('Authorization', alice.auth)
      .expect(200);
    expect(owner.body.data.templates.map((t: { _id: string }) => t._id)).toEqual([
      String(legacy._id),
      String(mine._id),
    ]);
    const other = await request(ctx.app)
      .get('/api/templates')
      .set('Authorization', bob.auth)
      .expect(200);
    expect(other.body.data.templates).toHaveLength(1);
  });

  it('answers 401 for an invalid token even though auth is optional', async () => {
    const res = await request(ctx.app)
      .get('/api/templates')
      .set('Authorization', 'Bearer nope')
      .expect(401);
    expect(res.body).toMatchObject({ success: false, code: 'UNAUTHENTICATED' });
  });

  it('answers 400 with details for bad filters', async () => {
    const res = await request(ctx.app)
      .get('/api/templates?limit=0&category=Nope&page=x')
      .expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.map((e: { field: string }) => e.field).sort()).toEqual([
      'query.category',
      'query.limit',
      'query.page',
    ]);
  });
});

describe('GET /api/templates/:id', () => {
  it('returns the full template and records a template_view event', async () => {
    const template = await insertTemplate({ isPremium: true, category: 'Love' });
    const res = await request(ctx.app)
      .get(`/api/templates/${template._id}`)
      .set('Authorization', alice.auth)
      .expect(200);
    expect(res.body.data.template).toMatchObject({
      _id: String(template._id),
      name: template.name,
      frameUrl: template.frameUrl,
      frameCount: 3,
      isPremium: true,
      thumbnail: template.thumbnail,
      category: 'Love',
    });
    expect(res.body.data.template.layoutPositions).toHaveLength(3);
    const event = await waitFor(() =>
      AnalyticsEventModel.findOne({
        eventType: 'template_view',
        templateId: String(template._id),
      }).lean(),
    );
    expect(event).toMatchObject({ eventCategory: 'template', userId: alice.id });
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    await request(ctx.app).get('/api/templates/0123456789abcdef01234567').expect(404);
    const bad = await request(ctx.app).get('/api/templates/not-an-id').expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });

  it("answers 404 for another user's private template and 200 for the owner", async () => {
    const template = await insertTemplate({ visibility: 'private', createdBy: alice.id });
    await request(ctx.app)
      .get(`/api/templates/${template._id}`)
      .set('Authorization', bob.auth)
      .expect(404);
    await request(ctx.app).get(`/api/templates/${template._id}`).expect(404);
    await request(ctx.app)
      .get(`/api/templates/${template._id}`)
      .set('Authorization', alice.auth)
      .expect(200);
  });

  it("resolves the caller's own AI frame in the template shape, and nobody else's", async () => {
    const frame = await insertUserFrame(alice.id);
    const res = await request(ctx.app)
      .get(`/api/templates/${frame._id}`)
      .set('Authorization', alice.auth)
      .expect(200);
    expect(res.body.data.template).toMatchObject({
      _id: String(frame._id),
      name: frame.name,
      frameUrl: frame.frameUrl,
      frameCount: 2,
      isPremium: false,
      isAIGenerated: true,
      visibility: 'private',
      category: 'AI Generated',
    });
    await request(ctx.app)
      .get(`/api/templates/${frame._id}`)
      .set('Authorization', bob.auth)
      .expect(404);
  });
});

describe('POST /api/templates', () => {
  it('answers 401 without a token and 403 for a non-admin, storing nothing', async () => {
    await request(ctx.app).post('/api/templates').send(createBody()).expect(401);
    const res = await request(ctx.app)
      .post('/api/templates')
      .set('Authorization', alice.auth)
      .send(createBody())
      .expect(403);
    expect(res.body).toMatchObject({ success: false, code: 'FORBIDDEN' });
    expect(await TemplateModel.countDocuments()).toBe(0);
    expect(templateFiles()).toEqual([]);
  });

  it('stores a sanitised SVG frame as a file with an absolute URL and renders a WebP thumbnail in a job', async () => {
    const res = await request(ctx.app)
      .post('/api/templates')
      .set('Authorization', admin.auth)
      .send(createBody({ category: 'Graduation', isPremium: true }))
      .expect(201);
    const created = res.body.data.template;
    expect(created).toMatchObject({
      name: 'Pesta Ulang Tahun',
      category: 'Graduation',
      isPremium: true,
      frameCount: 4,
      canvasWidth: 600,
      canvasHeight: 900,
      createdBy: admin.id,
      isActive: true,
    });
    expect(created.frameUrl).toMatch(
      /^http:\/\/api\.test\/uploads\/templates\/[0-9a-f]{2}\/[0-9a-f]{32}\.svg$/,
    );
    const stored = await TemplateModel.findById(created._id).lean();
    expect(stored?.frameUrl).toBe(created.frameUrl);
    expect(stored?.frameUrl.startsWith('data:')).toBe(false);
    expect((await sharp(fileOf(created.frameUrl)).metadata()).format).toBe('svg');

    ctx.startWorkers();
    const done = await waitFor(async () => {
      const doc = await TemplateModel.findById(created._id).lean();
      return doc?.thumbnail.endsWith('.webp') ? doc : null;
    });
    expect(done.thumbnail).toMatch(/^http:\/\/api\.test\/uploads\/templates\/.+\.webp$/);
    const thumb = await sharp(fileOf(done.thumbnail)).metadata();
    expect(thumb).toMatchObject({ format: 'webp', width: 480, height: 720 });
    // The frame itself is kept: it is both the frame and the thumbnail's source.
    expect(templateFiles()).toEqual([fileOf(done.frameUrl), fileOf(done.thumbnail)].sort());
  });

  it('accepts multipart frame and thumbnail files and normalises the given thumbnail to WebP', async () => {
    const body = createBody();
    const res = await request(ctx.app)
      .post('/api/templates')
      .set('Authorization', admin.auth)
      .field('name', 'Multipart Frame')
      .field('category', 'Wedding')
      .field('frameCount', '4')
      .field('isPremium', 'true')
      .field('layoutPositions', JSON.stringify(FOUR_SLOTS))
      .attach('frame', await framePng(), { filename: 'frame.png', contentType: 'image/png' })
      .attach('thumbnail', await noisyJpeg(800, 1200), {
        filename: 'thumb.jpg',
        contentType: 'image/jpeg',
      })
      .expect(201);
    expect(body.name).toBe('Pesta Ulang Tahun');
    const created = res.body.data.template;
    expect(created).toMatchObject({
      name: 'Multipart Frame',
      category: 'Wedding',
      isPremium: true,
      canvasWidth: 600,
      canvasHeight: 900,
    });
    expect(created.frameUrl).toMatch(/\.png$/);
    expect(created.thumbnail).toMatch(/\.jpg$/);
    const original = fileOf(created.thumbnail);

    ctx.startWorkers();
    const done = await waitFor(async () => {
      const doc = await TemplateModel.findById(created._id).lean();
      return doc?.thumbnail.endsWith('.webp') ? doc : null;
    });
    expect(await sharp(fileOf(done.thumbnail)).metadata()).toMatchObject({
      format: 'webp',
      width: 480,
      height: 720,
    });
    await waitFor(async () => !templateFiles().includes(original));
    expect(templateFiles()).toEqual(
      expect.arrayContaining([fileOf(done.frameUrl), fileOf(done.thumbnail)]),
    );
  });

  it('accepts nine slots and a data-URL PNG thumbnail', async () => {
    const { dataUrl, slots } = svgFrame(9, { width: 900, height: 900 });
    const res = await request(ctx.app)
      .post('/api/templates')
      .set('Authorization', admin.auth)
      .send(
        createBody({
          frameUrl: dataUrl,
          frameCount: 9,
          layoutPositions: slots,
          thumbnail: toDataUrl(await solidImage(90, 90, '#abcdef', 'png'), 'image/png'),
        }),
      )
      .expect(201);
    expect(res.body.data.template.layoutPositions).toHaveLength(9);
    expect(res.body.data.template.thumbnail).toMatch(/\.png$/);
  });

  describe('refuses bad input with a 4xx and leaves nothing behind', () => {
    const cases: Array<[string, () => Promise<request.Response>, number]> = [
      [
        'an oversized frame',
        async () =>
          post(createBody({ frameUrl: toDataUrl(Buffer.alloc(MAX_UPLOAD + 10, 1), 'image/png') })),
        413,
      ],
      ['a PHP file named .jpg', async () => multipart(phpFileNamedJpg(), 'shell.jpg'), 415],
      ['a decompression bomb', async () => multipart(decompressionBombPng(), 'bomb.png'), 413],
      ['a truncated JPEG', async () => multipart(await truncatedJpeg(), 'cut.jpg'), 400],
      [
        'a frame with slots outside it',
        async () =>
          post(
            createBody({
              layoutPositions: [
                ...FOUR_SLOTS.slice(0, 3),
                { x: 500, y: 800, width: 200, height: 200 },
              ],
            }),
          ),
        400,
      ],
      [
        'positions that do not match frameCount',
        async () => post(createBody({ frameCount: 3 })),
        400,
      ],
      ['no frame at all', async () => post(createBody({ frameUrl: undefined })), 400],
      [
        'a frame URL that is not a data URL',
        async () => post(createBody({ frameUrl: 'https://evil.example/frame.png' })),
        400,
      ],
      ['an unknown category', async () => post(createBody({ category: 'Nope' })), 400],
      [
        'an SVG thumbnail with a script',
        async () =>
          post(
            createBody({ thumbnail: toDataUrl(Buffer.from(SVG_ATTACKS.script!), 'image/svg+xml') }),
          ),
        400,
      ],
      ...Object.entries(SVG_ATTACKS).map(
        ([name, svg]): [string, () => Promise<request.Response>, number] => [
          `an SVG frame with ${name}`,
          async () => post(createBody({ frameUrl: toDataUrl(Buffer.from(svg), 'image/svg+xml') })),
          400,
        ],
      ),
    ];

    function post(body: Record<string, unknown>) {
      return request(ctx.app).post('/api/templates').set('Authorization', admin.auth).send(body);
    }

    function multipart(file: Buffer, filename: string) {
      return request(ctx.app)
        .post('/api/templates')
        .set('Authorization', admin.auth)
        .field('name', 'Bad Upload')
        .field('frameCount', '4')
        .field('layoutPositions', JSON.stringify(FOUR_SLOTS))
        .attach('frame', file, { filename, contentType: 'image/jpeg' });
    }

    it.each(cases)('%s', async (_name, send, status) => {
      await imageJobsIdle();
      const before = templateFiles();
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.body.success).toBe(false);
      expect(typeof res.body.message).toBe('string');
      if (status === 400) expect(Array.isArray(res.body.details)).toBe(true);
      expect(await TemplateModel.countDocuments()).toBe(0);
      expect(templateFiles()).toEqual(before);
    });
  });
});

describe('PUT /api/templates/:id', () => {
  async function created() {
    const res = await request(ctx.app)
      .post('/api/templates')
      .set('Authorization', admin.auth)
      .send(createBody())
      .expect(201);
    return res.body.data.template as { _id: string; frameUrl: string; thumbnail: string };
  }

  it('updates only the fields sent', async () => {
    const template = await insertTemplate({ name: 'Before', category: 'Love' });
    const res = await request(ctx.app)
      .put(`/api/templates/${template._id}`)
      .set('Authorization', admin.auth)
      .send({ name: 'After', isPremium: true })
      .expect(200);
    expect(res.body.data.template).toMatchObject({
      name: 'After',
      isPremium: true,
      category: 'Love',
      isActive: true,
    });
    const stored = await TemplateModel.findById(template._id).lean();
    expect(stored).toMatchObject({ name: 'After', isPremium: true, category: 'Love' });
  });

  it('replaces the frame file, removes the old one and re-renders the thumbnail', async () => {
    const template = await created();
    const oldFrame = fileOf(template.frameUrl);
    const { dataUrl } = svgFrame(4, { width: 600, height: 900 });
    const res = await request(ctx.app)
      .put(`/api/templates/${template._id}`)
      .set('Authorization', admin.auth)
      .send({ frameUrl: dataUrl })
      .expect(200);
    expect(res.body.data.template.frameUrl).not.toBe(template.frameUrl);
    expect(templateFiles()).not.toContain(oldFrame);
    expect(templateFiles()).toContain(fileOf(res.body.data.template.frameUrl));
  });

  it('re-checks new slots against the stored canvas and needs frameCount with them', async () => {
    const template = await created();
    const outside = await request(ctx.app)
      .put(`/api/templates/${template._id}`)
      .set('Authorization', admin.auth)
      .send({ frameCount: 1, layoutPositions: [{ x: 0, y: 0, width: 601, height: 100 }] })
      .expect(400);
    expect(outside.body.details[0].field).toBe('layoutPositions.0');
    await request(ctx.app)
      .put(`/api/templates/${template._id}`)
      .set('Authorization', admin.auth)
      .send({ layoutPositions: [{ x: 0, y: 0, width: 100, height: 100 }] })
      .expect(400);
    const ok = await request(ctx.app)
      .put(`/api/templates/${template._id}`)
      .set('Authorization', admin.auth)
      .send({ frameCount: 1, layoutPositions: [{ x: 0, y: 0, width: 600, height: 900 }] })
      .expect(200);
    expect(ok.body.data.template.frameCount).toBe(1);
    expect((await TemplateModel.findById(template._id).lean())?.layoutPositions).toHaveLength(1);
  });

  it('answers 401, 403, 404 and 400 as the contract says', async () => {
    const template = await insertTemplate();
    await request(ctx.app).put(`/api/templates/${template._id}`).send({ name: 'x' }).expect(401);
    await request(ctx.app)
      .put(`/api/templates/${template._id}`)
      .set('Authorization', alice.auth)
      .send({ name: 'x' })
      .expect(403);
    await request(ctx.app)
      .put('/api/templates/0123456789abcdef01234567')
      .set('Authorization', admin.auth)
      .send({ name: 'x' })
      .expect(404);
    const empty = await request(ctx.app)
      .put(`/api/templates/${template._id}`)
      .set('Authorization', admin.auth)
      .send({})
      .expect(400);
    expect(empty.body.code).toBe('VALIDATION_FAILED');
    expect((await TemplateModel.findById(template._id).lean())?.name).toBe(template.name);
  });
});

describe('DELETE /api/templates/:id', () => {
  it('soft-deletes: the template leaves the default list but stays readable by id', async () => {
    const template = await insertTemplate();
    const res = await request(ctx.app)
      .delete(`/api/templates/${template._id}`)
      .set('Authorization', admin.auth)
      .expect(200);
    expect(res.body).toEqual({ success: true, message: 'Template deleted' });
    expect((await TemplateModel.findById(template._id).lean())?.isActive).toBe(false);
    const list = await request(ctx.app).get('/api/templates').expect(200);
    expect(list.body.data.templates).toHaveLength(0);
    await request(ctx.app).get(`/api/templates/${template._id}`).expect(200);
  });

  it('answers 401, 403 and 404', async () => {
    const template = await insertTemplate();
    await request(ctx.app).delete(`/api/templates/${template._id}`).expect(401);
    await request(ctx.app)
      .delete(`/api/templates/${template._id}`)
      .set('Authorization', bob.auth)
      .expect(403);
    await request(ctx.app)
      .delete('/api/templates/0123456789abcdef01234567')
      .set('Authorization', admin.auth)
      .expect(404);
    expect((await TemplateModel.findById(template._id).lean())?.isActive).toBe(true);
  });
});

describe('render-template-thumbnail processor', () => {
  function jobContext() {
    return {
      config: ctx.config,
      logger: ctx.logger,
      storage: ctx.storage,
      jobId: 'test',
      attemptsMade: 0,
      reportProgress: async () => undefined,
    };
  }

  it('makes the thumbnail once; a repeated delivery changes nothing and writes no file', async () => {
    await imageJobsIdle();
    const { svg, slots } = svgFrame(2, { width: 600, height: 900 });
    const frame = await ctx.storage.save('templates', 'svg', Buffer.from(svg));
    const frameUrl = ctx.storage.publicUrl(frame.key);
    const template = await insertTemplate({
      frameUrl,
      thumbnail: frameUrl,
      frameCount: 2,
      layoutPositions: slots,
      canvasWidth: 600,
      canvasHeight: 900,
    });
    const payload = { templateId: String(template._id), sourceKey: frame.key };

    const first = await renderTemplateThumbnail(payload, jobContext());
    const files = templateFiles();
    const second = await renderTemplateThumbnail(payload, jobContext());

    expect(first.thumbnail).toMatch(/\.webp$/);
    expect(second).toEqual({ skipped: 'thumbnail already made or replaced' });
    expect(templateFiles()).toEqual(files);
    expect((await TemplateModel.findById(template._id).lean())?.thumbnail).toBe(first.thumbnail);
  });

  it('refuses a payload that is not a template id and a storage key', async () => {
    await expect(
      renderTemplateThumbnail({ templateId: 'x', sourceKey: '../../etc/passwd' }, jobContext()),
    ).rejects.toThrow('bad payload');
  });
});

describe('GET /api/templates/:id/stats', () => {
  it('counts views, sessions and composites for admins and answers 401 to others', async () => {
    const template = await insertTemplate({ usageCount: 4 });
    const templateId = String(template._id);
    await AnalyticsEventModel.create([
      { eventType: 'template_view', eventCategory: 'template', templateId },
      { eventType: 'template_view', eventCategory: 'template', templateId },
    ]);
    await PhotoSessionModel.create({ userId: alice.id, templateId, sessionName: 'Stats session' });
    const res = await request(ctx.app)
      .get(`/api/templates/${templateId}/stats`)
      .set('Authorization', admin.auth)
      .expect(200);
    expect(res.body.data.stats).toEqual({
      templateId,
      name: template.name,
      usageCount: 4,
      views: 2,
      sessions: 1,
      composites: 0,
    });
    await request(ctx.app)
      .get(`/api/templates/${templateId}/stats`)
      .set('Authorization', alice.auth)
      .expect(401);
    await request(ctx.app).get(`/api/templates/${templateId}/stats`).expect(401);
    await request(ctx.app)
      .get('/api/templates/0123456789abcdef01234567/stats')
      .set('Authorization', admin.auth)
      .expect(404);
  });
});
