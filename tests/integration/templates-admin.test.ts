import sharp from 'sharp';
import request from 'supertest';
import { renderTemplateThumbnail } from '../../src/jobs/processors/render-template-thumbnail.processor';
import { TemplateModel } from '../../src/models';
import { jobContextOf } from '../helpers/context';
import { eventually } from '../helpers/eventually';
import { queueIdle } from '../helpers/queues';
import {
  createTemplateBody,
  fileOf,
  templateFiles,
  TEMPLATE_MAX_UPLOAD,
  useTemplatesContext,
} from '../helpers/templates';
import { framePng, FOUR_SLOTS } from '../fixtures/frames';
import { insertTemplate, svgFrame } from '../factories/templates.factory';
import {
  decompressionBombPng,
  noisyJpeg,
  phpFileNamedJpg,
  solidImage,
  toDataUrl,
  truncatedJpeg,
} from '../fixtures/images';
import { SVG_ATTACKS } from '../fixtures/svg-attacks';

// Creating and editing templates (files, sanitising, thumbnails) and the thumbnail job.
const { ctx, users } = useTemplatesContext('templates_admin');

describe('POST /api/templates', () => {
  it('answers 401 without a token and 403 for a non-admin, storing nothing', async () => {
    await request(ctx.app).post('/api/templates').send(createTemplateBody()).expect(401);
    const res = await request(ctx.app)
      .post('/api/templates')
      .set('Authorization', users.alice.auth)
      .send(createTemplateBody())
      .expect(403);
    expect(res.body).toMatchObject({ success: false, code: 'FORBIDDEN' });
    expect(await TemplateModel.countDocuments()).toBe(0);
    expect(templateFiles(ctx)).toEqual([]);
  });

  it('stores a sanitised SVG frame as a file with an absolute URL and renders a WebP thumbnail in a job', async () => {
    const res = await request(ctx.app)
      .post('/api/templates')
      .set('Authorization', users.admin.auth)
      .send(createTemplateBody({ category: 'Graduation', isPremium: true }))
      .expect(201);
    const created = res.body.data.template;
    expect(created).toMatchObject({
      name: 'Pesta Ulang Tahun',
      category: 'Graduation',
      isPremium: true,
      frameCount: 4,
      canvasWidth: 600,
      canvasHeight: 900,
      createdBy: users.admin.id,
      isActive: true,
    });
    expect(created.frameUrl).toMatch(
      /^http:\/\/api\.test\/uploads\/templates\/[0-9a-f]{2}\/[0-9a-f]{32}\.svg$/,
    );
    const stored = await TemplateModel.findById(created._id).lean();
    expect(stored?.frameUrl).toBe(created.frameUrl);
    expect(stored?.frameUrl.startsWith('data:')).toBe(false);
    expect((await sharp(fileOf(ctx, created.frameUrl)).metadata()).format).toBe('svg');

    ctx.startWorkers();
    const done = await eventually(async () => {
      const doc = await TemplateModel.findById(created._id).lean();
      return doc?.thumbnail.endsWith('.webp') ? doc : null;
    });
    expect(done.thumbnail).toMatch(/^http:\/\/api\.test\/uploads\/templates\/.+\.webp$/);
    const thumb = await sharp(fileOf(ctx, done.thumbnail)).metadata();
    expect(thumb).toMatchObject({ format: 'webp', width: 480, height: 720 });
    // The frame itself is kept: it is both the frame and the thumbnail's source.
    expect(templateFiles(ctx)).toEqual(
      [fileOf(ctx, done.frameUrl), fileOf(ctx, done.thumbnail)].sort(),
    );
  });

  it('accepts multipart frame and thumbnail files and normalises the given thumbnail to WebP', async () => {
    const body = createTemplateBody();
    const res = await request(ctx.app)
      .post('/api/templates')
      .set('Authorization', users.admin.auth)
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
    const original = fileOf(ctx, created.thumbnail);

    ctx.startWorkers();
    const done = await eventually(async () => {
      const doc = await TemplateModel.findById(created._id).lean();
      return doc?.thumbnail.endsWith('.webp') ? doc : null;
    });
    expect(await sharp(fileOf(ctx, done.thumbnail)).metadata()).toMatchObject({
      format: 'webp',
      width: 480,
      height: 720,
    });
    await eventually(async () => !templateFiles(ctx).includes(original));
    expect(templateFiles(ctx)).toEqual(
      expect.arrayContaining([fileOf(ctx, done.frameUrl), fileOf(ctx, done.thumbnail)]),
    );
  });

  it('accepts nine slots and a data-URL PNG thumbnail', async () => {
    const { dataUrl, slots } = svgFrame(9, { width: 900, height: 900 });
    const res = await request(ctx.app)
      .post('/api/templates')
      .set('Authorization', users.admin.auth)
      .send(
        createTemplateBody({
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
          post(
            createTemplateBody({
              frameUrl: toDataUrl(Buffer.alloc(TEMPLATE_MAX_UPLOAD + 10, 1), 'image/png'),
            }),
          ),
        413,
      ],
      ['a PHP file named .jpg', async () => multipart(phpFileNamedJpg(), 'shell.jpg'), 415],
      ['a decompression bomb', async () => multipart(decompressionBombPng(), 'bomb.png'), 413],
      ['a truncated JPEG', async () => multipart(await truncatedJpeg(), 'cut.jpg'), 400],
      [
        'a frame with slots outside it',
        async () =>
          post(
            createTemplateBody({
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
        async () => post(createTemplateBody({ frameCount: 3 })),
        400,
      ],
      ['no frame at all', async () => post(createTemplateBody({ frameUrl: undefined })), 400],
      [
        'a frame URL that is not a data URL',
        async () => post(createTemplateBody({ frameUrl: 'https://evil.example/frame.png' })),
        400,
      ],
      ['an unknown category', async () => post(createTemplateBody({ category: 'Nope' })), 400],
      [
        'an SVG thumbnail with a script',
        async () =>
          post(
            createTemplateBody({
              thumbnail: toDataUrl(Buffer.from(SVG_ATTACKS.script!), 'image/svg+xml'),
            }),
          ),
        400,
      ],
      ...Object.entries(SVG_ATTACKS).map(
        ([name, svg]): [string, () => Promise<request.Response>, number] => [
          `an SVG frame with ${name}`,
          async () =>
            post(createTemplateBody({ frameUrl: toDataUrl(Buffer.from(svg), 'image/svg+xml') })),
          400,
        ],
      ),
    ];

    function post(body: Record<string, unknown>) {
      return request(ctx.app)
        .post('/api/templates')
        .set('Authorization', users.admin.auth)
        .send(body);
    }

    function multipart(file: Buffer, filename: string) {
      return request(ctx.app)
        .post('/api/templates')
        .set('Authorization', users.admin.auth)
        .field('name', 'Bad Upload')
        .field('frameCount', '4')
        .field('layoutPositions', JSON.stringify(FOUR_SLOTS))
        .attach('frame', file, { filename, contentType: 'image/jpeg' });
    }

    it.each(cases)('%s', async (_name, send, status) => {
      await queueIdle(ctx);
      const before = templateFiles(ctx);
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.body.success).toBe(false);
      expect(typeof res.body.message).toBe('string');
      if (status === 400) expect(Array.isArray(res.body.details)).toBe(true);
      expect(await TemplateModel.countDocuments()).toBe(0);
      expect(templateFiles(ctx)).toEqual(before);
    });
  });
});

describe('PUT /api/templates/:id', () => {
  async function created() {
    const res = await request(ctx.app)
      .post('/api/templates')
      .set('Authorization', users.admin.auth)
      .send(createTemplateBody())
      .expect(201);
    return res.body.data.template as { _id: string; frameUrl: string; thumbnail: string };
  }

  it('updates only the fields sent', async () => {
    const template = await insertTemplate({ name: 'Before', category: 'Love' });
    const res = await request(ctx.app)
      .put(`/api/templates/${template._id}`)
      .set('Authorization', users.admin.auth)
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
    const oldFrame = fileOf(ctx, template.frameUrl);
    const { dataUrl } = svgFrame(4, { width: 600, height: 900 });
    const res = await request(ctx.app)
      .put(`/api/templates/${template._id}`)
      .set('Authorization', users.admin.auth)
      .send({ frameUrl: dataUrl })
      .expect(200);
    expect(res.body.data.template.frameUrl).not.toBe(template.frameUrl);
    expect(templateFiles(ctx)).not.toContain(oldFrame);
    expect(templateFiles(ctx)).toContain(fileOf(ctx, res.body.data.template.frameUrl));
  });

  it('re-checks new slots against the stored canvas and needs frameCount with them', async () => {
    const template = await created();
    const outside = await request(ctx.app)
      .put(`/api/templates/${template._id}`)
      .set('Authorization', users.admin.auth)
      .send({ frameCount: 1, layoutPositions: [{ x: 0, y: 0, width: 601, height: 100 }] })
      .expect(400);
    expect(outside.body.details[0].field).toBe('layoutPositions.0');
    await request(ctx.app)
      .put(`/api/templates/${template._id}`)
      .set('Authorization', users.admin.auth)
      .send({ layoutPositions: [{ x: 0, y: 0, width: 100, height: 100 }] })
      .expect(400);
    const ok = await request(ctx.app)
      .put(`/api/templates/${template._id}`)
      .set('Authorization', users.admin.auth)
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
      .set('Authorization', users.alice.auth)
      .send({ name: 'x' })
      .expect(403);
    await request(ctx.app)
      .put('/api/templates/0123456789abcdef01234567')
      .set('Authorization', users.admin.auth)
      .send({ name: 'x' })
      .expect(404);
    const empty = await request(ctx.app)
      .put(`/api/templates/${template._id}`)
      .set('Authorization', users.admin.auth)
      .send({})
      .expect(400);
    expect(empty.body.code).toBe('VALIDATION_FAILED');
    expect((await TemplateModel.findById(template._id).lean())?.name).toBe(template.name);
  });
});

describe('render-template-thumbnail processor', () => {
  const jobContext = () => jobContextOf(ctx);

  it('makes the thumbnail once; a repeated delivery changes nothing and writes no file', async () => {
    await queueIdle(ctx);
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
    const files = templateFiles(ctx);
    const second = await renderTemplateThumbnail(payload, jobContext());

    expect(first.thumbnail).toMatch(/\.webp$/);
    expect(second).toEqual({ skipped: 'thumbnail already made or replaced' });
    expect(templateFiles(ctx)).toEqual(files);
    expect((await TemplateModel.findById(template._id).lean())?.thumbnail).toBe(first.thumbnail);
  });

  it('refuses a payload that is not a template id and a storage key', async () => {
    await expect(
      renderTemplateThumbnail({ templateId: 'x', sourceKey: '../../etc/passwd' }, jobContext()),
    ).rejects.toThrow('bad payload');
  });
});
