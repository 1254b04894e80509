import request from 'supertest';
import { AnalyticsEventModel, UsageLimitModel, UserGeneratedFrameModel } from '../../src/models';
import { SVG_ATTACKS } from '../fixtures/svg-attacks';
import { solidImage, toDataUrl } from '../fixtures/images';
import { createProUser, GENERATE_BODY, saveFrameBody } from '../factories/frames.factory';
import { createUser, signIn, type TestUser } from '../factories/users.factory';
import { useTestContext } from '../helpers/context';
import { eventually } from '../helpers/eventually';
import { queueIdle } from '../helpers/queues';
import { storedKeys } from '../helpers/storage';

const ctx = useTestContext('ai-frames');

const clientPrompt = (description: string) => ({
  messages: [
    {
      role: 'user',
      content:
        'Kamu adalah asisten desain bingkai foto. Buat spesifikasi bingkai dari deskripsi berikut.\n' +
        `Deskripsi: "${description}"\n` +
        'Balas dengan JSON: ```json\n{ "frameSpec": { "frameCount": 2, "layout": "vertical|horizontal|grid", "backgroundColor": "#hex", "borderColor": "#hex", "gradientFrom": "#hex", "gradientTo": "#hex" } }\n```',
    },
  ],
});

describe('POST /api/ai/chat (#39)', () => {
  it('answers {message, frameSpec} without success and without a token, as the client reads it', async () => {
    const res = await request(ctx.app)
      .post('/api/ai/chat')
      .send(clientPrompt('frame ulang tahun 4 foto, gradasi dari pink ke ungu, border emas'));
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('success');
    expect(typeof res.body.message).toBe('string');
    expect(res.body.frameSpec).toMatchObject({
      frameCount: 4,
      layout: 'grid',
      backgroundColor: '#EC407A',
      borderColor: '#D4AF37',
      gradientFrom: '#EC407A',
      gradientTo: '#8E24AA',
    });
    expect(res.body.message).toContain('```json');
  });

  it('ignores the Bearer token the client sends (even a bad one)', async () => {
    const res = await request(ctx.app)
      .post('/api/ai/chat')
      .set('Authorization', 'Bearer not-a-token')
      .send(clientPrompt('two photos side by side in navy and silver'));
    expect(res.status).toBe(200);
    expect(res.body.frameSpec).toMatchObject({ frameCount: 2, layout: 'horizontal' });
  });

  it.each([
    ['no messages', {}],
    ['an empty list', { messages: [] }],
    ['a message without content', { messages: [{ role: 'user' }] }],
    ['only an empty user message', { messages: [{ role: 'user', content: '   ' }] }],
  ])('answers 400 {error} for %s', async (_name, body) => {
    const res = await request(ctx.app).post('/api/ai/chat').send(body);
    expect(res.status).toBe(400);
    expect(typeof res.body.error).toBe('string');
  });
});

describe('POST /api/ai/generate-frame (#40)', () => {
  let pro: TestUser;
  beforeAll(async () => {
    pro = await signIn(ctx, await createProUser());
  });

  it('answers 401 without a token', async () => {
    const res = await request(ctx.app).post('/api/ai/generate-frame').send(GENERATE_BODY);
    expect(res.status).toBe(401);
    expect(res.body.success).toBe(false);
    expect(typeof res.body.error).toBe('string');
  });

  it('draws a 600×900 SVG for a Pro user, counts the generation and records frame_generated', async () => {
    const res = await request(ctx.app)
      .post('/api/ai/generate-frame')
      .set('Authorization', pro.auth)
      .send(GENERATE_BODY);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, contentType: 'image/svg+xml' });
    expect(res.body.image).not.toMatch(/^data:/);
    const svg = Buffer.from(res.body.image, 'base64').toString('utf8');
    expect(svg).toMatch(/^<svg[^>]+width="600" height="900"/);
    expect(svg).toContain('mask="url(#holes)"');
    expect(res.body.layoutPositions).toHaveLength(3);
    const day = await UsageLimitModel.findOne({ userId: pro.id }).lean();
    expect(day).toMatchObject({
      packageType: 'pro',
      aiGenerationCount: 1,
      aiGenerationLimit: null,
    });
    const event = await AnalyticsEventModel.findOne({
      eventType: 'frame_generated',
      userId: pro.id,
    }).lean();
    expect(event).toMatchObject({ eventCategory: 'ai', metadata: { frameCount: 3 } });
  });

  it('answers 429 with upgradeUrl to a free user and draws nothing', async () => {
    const free = await signIn(ctx, await createUser());
    const res = await request(ctx.app)
      .post('/api/ai/generate-frame')
      .set('Authorization', free.auth)
      .send(GENERATE_BODY);
    expect(res.status).toBe(429);
    expect(res.body).toMatchObject({
      success: false,
      error: 'Daily AI generation limit reached',
      packageType: 'free',
      upgradeUrl: '/upgrade-pro',
    });
    expect(typeof res.body.details).toBe('string');
    expect(res.body.image).toBeUndefined();
    expect(await AnalyticsEventModel.countDocuments({ userId: free.id })).toBe(0);
  });

  it.each([
    ['frameCount 7', { frameCount: 7 }],
    ['frameCount 1', { frameCount: 1 }],
    ['an unknown layout', { layout: 'diagonal' }],
    ['a colour name instead of #RRGGBB', { backgroundColor: 'blue' }],
    ['a short hex colour', { borderColor: '#fff' }],
    ['thickness 11', { borderThickness: 11 }],
    ['radius 51', { borderRadius: 51 }],
  ])('answers 400 with details for %s and counts nothing', async (_name, change) => {
    const user = await signIn(ctx, await createProUser());
    const res = await request(ctx.app)
      .post('/api/ai/generate-frame')
      .set('Authorization', user.auth)
      .send({ ...GENERATE_BODY, ...change });
    expect(res.status).toBe(400);
    expect(res.body.success).toBe(false);
    expect(Array.isArray(res.body.details)).toBe(true);
    expect(await UsageLimitModel.countDocuments({ userId: user.id, aiGenerationCount: 1 })).toBe(0);
  });

  it('accepts what the chat answered, passed straight on', async () => {
    const chat = await request(ctx.app)
      .post('/api/ai/chat')
      .send(clientPrompt('wisuda 2 foto menyamping, biru dongker dan emas'));
    const res = await request(ctx.app)
      .post('/api/ai/generate-frame')
      .set('Authorization', pro.auth)
      .send({ ...chat.body.frameSpec, borderThickness: 2, borderRadius: 8 });
    expect(res.status).toBe(200);
    expect(res.body.layoutPositions).toHaveLength(2);
  });
});

describe('POST /api/ai/save-frame (#41)', () => {
  let pro: TestUser;
  beforeAll(async () => {
    pro = await signIn(ctx, await createProUser());
  });

  const save = (user: TestUser, body: Record<string, unknown>) =>
    request(ctx.app).post('/api/ai/save-frame').set('Authorization', user.auth).send(body);

  it('stores the SVG as a file and answers 201 with the template shape the client reads', async () => {
    const body = saveFrameBody();
    const res = await save(pro, body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ success: true, message: 'Frame saved' });
    expect(res.body.template).toMatchObject({
      name: body.name,
      category: 'AI Generated',
      visibility: 'private',
      isAIGenerated: true,
      frameCount: 3,
    });
    expect(res.body.template.id).toMatch(/^[0-9a-f]{24}$/);
    expect(res.body.template.frameUrl).toMatch(/^http:\/\/api\.test\/uploads\/frames\/.+\.svg$/);
    expect(typeof res.body.template.thumbnail).toBe('string');
    const stored = await UserGeneratedFrameModel.findById(res.body.template.id).lean();
    expect(stored).toMatchObject({ userId: pro.id, canvasWidth: 600, canvasHeight: 900 });
    expect(stored?.frameUrl).not.toMatch(/^data:/);
    expect(stored?.thumbnail).not.toMatch(/^data:/);
    expect(stored?.layoutPositions).toHaveLength(3);
    const file = await request(ctx.app).get(new URL(stored!.frameUrl).pathname);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('image/svg+xml');
  });

  it('makes a WebP thumbnail in a job', async () => {
    ctx.startWorkers();
    const res = await save(pro, saveFrameBody());
    const frame = await eventually(async () => {
      const doc = await UserGeneratedFrameModel.findById(res.body.template.id).lean();
      return doc?.thumbnail?.endsWith('.webp') ? doc : null;
    });
    const thumb = await request(ctx.app).get(new URL(frame.thumbnail!).pathname);
    expect(thumb.status).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/webp');
  });

  it('answers 409 for a second frame with the same name, leaving no extra file', async () => {
    const body = saveFrameBody();
    expect((await save(pro, body)).status).toBe(201);
    await queueIdle(ctx);
    const before = await storedKeys(ctx.storage, 'frames');
    const res = await save(pro, body);
    expect(res.status).toBe(409);
    expect(typeof res.body.error).toBe('string');
    expect((await storedKeys(ctx.storage, 'frames')).length).toBe(before.length);
  });

  it('answers 401 without a token and 403 with upgradeUrl to a free user', async () => {
    expect((await request(ctx.app).post('/api/ai/save-frame').send(saveFrameBody())).status).toBe(
      401,
    );
    const free = await signIn(ctx, await createUser());
    const res = await save(free, saveFrameBody());
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ success: false, upgradeUrl: '/upgrade-pro' });
  });

  describe('refuses bad input with nothing stored', () => {
    const big = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="900"><desc>${'x'.repeat(5 * 1024 * 1024)}</desc></svg>`;
    const cases: Array<[string, () => Promise<Record<string, unknown>>, number]> = [
      ['a missing name', async () => saveFrameBody({ name: undefined }), 400],
      ['a two-letter name', async () => saveFrameBody({ name: 'ab' }), 400],
      ['a bad visibility', async () => saveFrameBody({ visibility: 'friends' }), 400],
      ['frameCount 7 in the spec', async () => saveFrameBody({ frameSpec: { frameCount: 7 } }), 400],
      ['a missing frame', async () => saveFrameBody({ frameDataUrl: undefined }), 400],
      ['a frame that is a URL', async () => saveFrameBody({ frameDataUrl: 'https://evil.example/f.svg' }), 400],
      ['a PNG instead of an SVG', async () => saveFrameBody({ frameDataUrl: toDataUrl(await solidImage(60, 90, '#fff', 'png'), 'image/png') }), 415],
      ['an SVG over 5 MB', async () => saveFrameBody({ frameDataUrl: toDataUrl(Buffer.from(big), 'image/svg+xml') }), 413],
      ...Object.entries(SVG_ATTACKS).map(
        ([name, svg]): [string, () => Promise<Record<string, unknown>>, number] => [
          `an SVG with ${name}`,
          async () => saveFrameBody({ frameDataUrl: toDataUrl(Buffer.from(svg), 'image/svg+xml') }),
          400,
        ],
      ),
    ]; // prettier-ignore

    it.each(cases)('%s', async (_name, body, status) => {
      const user = await signIn(ctx, await createProUser());
      await queueIdle(ctx);
      const before = await storedKeys(ctx.storage, 'frames');
      const res = await save(user, await body());
      expect(res.status).toBe(status);
      expect(res.body.success).toBe(false);
      expect(typeof res.body.error).toBe('string');
      if (status === 400) expect(res.body.details).toBeDefined();
      expect(await UserGeneratedFrameModel.countDocuments({ userId: user.id })).toBe(0);
      expect(await storedKeys(ctx.storage, 'frames')).toEqual(before);
    });
  });
});
