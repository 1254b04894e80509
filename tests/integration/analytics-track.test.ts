import type { Express } from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import { buildApp } from '../../src/app';
import type { Config } from '../../src/config';
import { AnalyticsEventModel } from '../../src/models/analytics-event.model';
import { ANALYTICS_TTL_SECONDS } from '../../src/models/enums';
import { createAnalyticsWriter } from '../../src/modules/analytics/event-writer';
import { insertTemplate } from '../factories/templates.factory';
import { useTestContext } from '../helpers/context';

const ctx = useTestContext('analytics_track', { ANALYTICS_FLUSH_INTERVAL_MS: '50' });

const MOBILE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148';

let appSequence = 0;
/** An app with its own limiter counters and the given analytics settings. */
function appWith(analytics: Partial<Config['analytics']>, extra: Partial<Config> = {}) {
  appSequence += 1;
  const config: Config = {
    ...ctx.config,
    queuePrefix: `${ctx.config.queuePrefix}:app${appSequence}`,
    analytics: { ...ctx.config.analytics, ...analytics },
    ...extra,
  };
  const writer = createAnalyticsWriter(config, ctx.logger);
  const app = buildApp({ ...ctx, config, analytics: writer });
  return { app, writer };
}

const track = (app: Express, body: unknown) =>
  request(app)
    .post('/api/analytics/track')
    .set('Content-Type', 'application/json')
    .send(body as object);

describe('POST /api/analytics/track (#61)', () => {
  it('when the client sends an event without a token, then it answers 201 with the event id and stores device, IP and referrer', async () => {
    const sessionId = `s-${Date.now()}`;
    const res = await request(ctx.app)
      .post('/api/analytics/track')
      .set('User-Agent', MOBILE_UA)
      .set('Referer', 'https://karyaklik.netlify.app/booth')
      .send({
        eventType: 'photo_capture',
        eventCategory: 'photo',
        sessionId,
        templateId: 'tpl-1',
        userId: 'anon-123',
        metadata: { photoIndex: 2, camera: { facing: 'user' } },
      });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ success: true, message: 'Event tracked' });
    const { eventId } = res.body.data;
    expect(mongoose.isValidObjectId(eventId)).toBe(true);

    await ctx.analytics.flush();
    const stored = await AnalyticsEventModel.findById(eventId).lean();
    expect(stored).toMatchObject({
      eventType: 'photo_capture',
      eventCategory: 'photo',
      sessionId,
      templateId: 'tpl-1',
      userId: 'anon-123',
      metadata: { photoIndex: 2, camera: { facing: 'user' } },
      deviceInfo: { type: 'Mobile', userAgent: MOBILE_UA },
      referrer: 'https://karyaklik.netlify.app/booth',
      ipAddress: expect.stringMatching(/127\.0\.0\.1|::1/),
    });
    expect(stored?.timestamp).toBeInstanceOf(Date);
  });

  it('when the writer is not flushed by hand, then its timer writes the event within the flush interval', async () => {
    const res = await track(ctx.app, { eventType: 'page_view', eventCategory: 'page' });
    expect(res.status).toBe(201);
    const deadline = Date.now() + 10_000;
    let stored = null;
    while (!stored && Date.now() < deadline) {
      stored = await AnalyticsEventModel.findById(res.body.data.eventId).lean();
      if (!stored) await new Promise((r) => setTimeout(r, 50));
    }
    expect(stored).toMatchObject({ eventType: 'page_view', deviceInfo: { type: 'Desktop' } });
  });

  it('when the event type and category are custom but well-formed, then they are accepted', async () => {
    const res = await track(ctx.app, { eventType: 'booth_filter_change', eventCategory: 'booth' });
    expect(res.status).toBe(201);
  });

  it.each([
    ['an empty body', {}],
    ['a missing category', { eventType: 'page_view' }],
    ['a missing type', { eventCategory: 'page' }],
    ['a type longer than 50', { eventType: 'x'.repeat(51), eventCategory: 'page' }],
    ['a type that is not an identifier', { eventType: 'drop table', eventCategory: 'page' }],
    ['a non-object metadata', { eventType: 'a', eventCategory: 'b', metadata: 'text' }],
    [
      'metadata nested deeper than 4 levels',
      { eventType: 'a', eventCategory: 'b', metadata: { a: { b: { c: { d: { e: 1 } } } } } },
    ],
    [
      'metadata larger than 4 KiB',
      { eventType: 'a', eventCategory: 'b', metadata: { blob: 'x'.repeat(5000) } },
    ],
    [
      'metadata with an operator key',
      { eventType: 'a', eventCategory: 'b', metadata: { $where: 'sleep(1000)' } },
    ],
    ['metadata with a dotted key', { eventType: 'a', eventCategory: 'b', metadata: { 'a.b': 1 } }],
    [
      'metadata with more than 50 keys',
      {
        eventType: 'a',
        eventCategory: 'b',
        metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])),
      },
    ],
    [
      'a sessionId longer than 100',
      { eventType: 'a', eventCategory: 'b', sessionId: 's'.repeat(101) },
    ],
  ])('when the body has %s, then it answers 400 and stores nothing', async (_label, body) => {
    await ctx.analytics.flush();
    const before = await AnalyticsEventModel.countDocuments({});
    const res = await track(ctx.app, body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ success: false, code: 'VALIDATION_FAILED' });
    await ctx.analytics.flush();
    expect(await AnalyticsEventModel.countDocuments({})).toBe(before);
  });

  it('when the body is not valid JSON, then it answers 400', async () => {
    const res = await request(ctx.app)
      .post('/api/analytics/track')
      .set('Content-Type', 'application/json')
      .send('{"eventType":');
    expect(res.status).toBe(400);
    expect(res.body.success).toBe(false);
  });

  it('stores events with a TTL index of 90 days on timestamp', async () => {
    const indexes = await AnalyticsEventModel.collection.indexes();
    const ttl = indexes.find((i) => i.expireAfterSeconds !== undefined);
    expect(ttl).toMatchObject({ key: { timestamp: 1 }, expireAfterSeconds: ANALYTICS_TTL_SECONDS });
    expect(ANALYTICS_TTL_SECONDS).toBe(90 * 24 * 3600);
  });
});

describe('limits of /analytics/track', () => {
  it('when one address sends more than the per-minute limit, then it answers 429 while another address is still served', async () => {
    const { app, writer } = appWith({ trackLimitPerMinute: 5 }, { trustProxy: true });
    const from = (ip: string) =>
      request(app)
        .post('/api/analytics/track')
        .set('X-Forwarded-For', ip)
        .send({ eventType: 'page_view', eventCategory: 'page' });
    for (let i = 0; i < 5; i += 1) expect((await from('203.0.113.7')).status).toBe(201);
    const limited = await from('203.0.113.7');
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ success: false, code: 'RATE_LIMITED' });
    expect((await from('198.51.100.9')).status).toBe(201);
    await writer.close();
  });

  it('when the buffer is full, then it answers 503 and the accepted events are still written', async () => {
    const { app, writer } = appWith({ bufferMax: 2, batchSize: 100, flushIntervalMs: 60_000 });
    const tag = `full-${Date.now()}`;
    const body = { eventType: 'page_view', eventCategory: 'page', sessionId: tag };
    expect((await track(app, body)).status).toBe(201);
    expect((await track(app, body)).status).toBe(201);
    const refused = await track(app, body);
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ success: false, code: 'SERVICE_UNAVAILABLE' });
    await writer.close();
    expect(await AnalyticsEventModel.countDocuments({ sessionId: tag })).toBe(2);
  });

  it('when the process stops gracefully, then every accepted event is written (nothing lost)', async () => {
    const { app, writer } = appWith({
      batchSize: 7,
      flushIntervalMs: 60_000,
      bufferMax: 10_000,
      trackLimitPerMinute: 1000,
    });
    const tag = `stop-${Date.now()}`;
    const accepted = await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        track(app, {
          eventType: 'page_view',
          eventCategory: 'page',
          sessionId: tag,
          metadata: { i },
        }),
      ),
    );
    expect(accepted.every((res) => res.status === 201)).toBe(true);
    await writer.close();
    const ids = accepted.map((res) => res.body.data.eventId as string).sort();
    const stored = await AnalyticsEventModel.find({ sessionId: tag }).select('_id').lean();
    expect(stored.map((doc) => String(doc._id)).sort()).toEqual(ids);
    expect((await track(app, { eventType: 'a', eventCategory: 'b' })).status).toBe(503);
  });
});

describe('server-side template_view', () => {
  it('when a template is opened, then its view goes through the batch writer: buffered at once, stored on flush', async () => {
    const { app, writer } = appWith({ batchSize: 100, flushIntervalMs: 60_000 });
    const template = await insertTemplate();
    const templateId = String(template._id);
    await request(app)
      .get(`/api/templates/${templateId}`)
      .set('User-Agent', MOBILE_UA)
      .set('Referer', 'https://karyaklik.netlify.app/templates')
      .expect(200);
    expect(writer.stats().buffered).toBe(1);
    expect(await AnalyticsEventModel.countDocuments({ templateId })).toBe(0);

    await writer.flush();
    const stored = await AnalyticsEventModel.find({ templateId }).lean();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      eventType: 'template_view',
      eventCategory: 'template',
      deviceInfo: { type: 'Mobile', userAgent: MOBILE_UA },
      referrer: 'https://karyaklik.netlify.app/templates',
    });
    expect(stored[0]?.userId).toBeUndefined();
    await writer.close();
  });
});
