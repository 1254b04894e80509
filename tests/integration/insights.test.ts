import { DateTime } from 'luxon';
import { Types } from 'mongoose';
import request from 'supertest';
import { AnalyticsEventModel } from '../../src/models/analytics-event.model';
import { FinalCompositeModel } from '../../src/models/final-composite.model';
import { PaymentModel } from '../../src/models/payment.model';
import { PhotoSessionModel } from '../../src/models/photo-session.model';
import { TemplateModel } from '../../src/models/template.model';
import { UserModel } from '../../src/models/user.model';
import { startOfBusinessDay } from '../../src/modules/analytics/dashboard.service';
import { buildTemplate } from '../factories/model.factory';
import { createAdmin, createUser, signIn } from '../factories/users.factory';
import { useTestContext } from '../helpers/context';

const ctx = useTestContext('insights', { RATE_LIMIT_ENABLED: 'false' });

const ZONE = 'Asia/Jakarta';
const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
const jakartaDate = (at: Date) => DateTime.fromJSDate(at).setZone(ZONE).toISODate();
const oid = () => new Types.ObjectId();

let adminAuth = '';
beforeAll(async () => {
  adminAuth = (await signIn(ctx, await createAdmin())).auth;
});

const get = (path: string) => request(ctx.app).get(path).set('Authorization', adminAuth);

/** Stored with the given createdAt (mongoose timestamps would overwrite it). */
async function backdate(model: 'templates' | 'finalcomposites' | 'users', id: unknown, at: Date) {
  const collection = {
    templates: TemplateModel,
    finalcomposites: FinalCompositeModel,
    users: UserModel,
  }[model].collection;
  await collection.updateOne({ _id: id as Types.ObjectId }, { $set: { createdAt: at } });
}

describe('admin routes refuse others', () => {
  it.each([
    ['/api/dashboard/stats', 401],
    ['/api/dashboard/templates', 401],
    ['/api/dashboard/activity', 401],
    ['/api/analytics', 403],
    ['/api/analytics/funnel', 403],
    ['/api/analytics/revenue', 403],
    ['/api/analytics/export/events.csv', 403],
    ['/api/analytics/export/funnel.csv', 403],
  ] as const)('%s answers 401 without a token and %i to a non-admin', async (path, denied) => {
    expect((await request(ctx.app).get(path)).status).toBe(401);
    const user = await signIn(ctx, await createUser());
    const res = await request(ctx.app).get(path).set('Authorization', user.auth);
    expect(res.status).toBe(denied);
    expect(res.body).toMatchObject({ success: false, message: 'Admin access only' });
  });
});

describe('GET /api/dashboard/* (#63–#65)', () => {
  const now = new Date();
  const todayStart = startOfBusinessDay(now);
  let templateA: { _id: Types.ObjectId; name: string };

  beforeAll(async () => {
    templateA = await buildTemplate({ name: 'Pastel Birthday' }).save();
    await buildTemplate({ name: 'Wedding Gold', category: 'Wedding' }).save();
    const old = await buildTemplate({ name: 'Old One' }).save();
    await backdate('templates', old._id, new Date(now.getTime() - 10 * DAY));
    await buildTemplate({ name: 'Private', visibility: 'private' }).save();
    await buildTemplate({ name: 'Retired', isActive: false }).save();

    const made = async (templateId: string, at: Date) => {
      const c = await FinalCompositeModel.create({
        sessionId: oid().toHexString(),
        userId: oid().toHexString(),
        templateId,
        compositeUrl: 'http://api.test/c.png',
      });
      await backdate('finalcomposites', c._id, at);
    };
    await made(String(templateA._id), now);
    await made(String(templateA._id), new Date(now.getTime() - 1000));
    await made(String(old._id), new Date(todayStart.getTime() - 60_000));
    await made('ai-generated-1700000000000', new Date(todayStart.getTime() - 120_000));

    await createUser({ lastLogin: new Date(now.getTime() - HOUR) });
    await createUser({ lastLogin: new Date(now.getTime() - 2 * HOUR) });
    await createUser({ lastLogin: new Date(now.getTime() - 2 * DAY) });
    await createUser({ lastLogin: new Date(now.getTime() - HOUR), isDeleted: true });

    await AnalyticsEventModel.insertMany(
      [1, 2, 3].map(() => ({
        eventType: 'composite_download',
        eventCategory: 'gallery',
        timestamp: now,
      })),
    );
    await AnalyticsEventModel.create({
      eventType: 'page_view',
      eventCategory: 'page',
      timestamp: now,
    });
  });

  it('stats: every value means what its key says, as numbers', async () => {
    const res = await get('/api/dashboard/stats');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success: true,
      data: {
        totalTemplates: 3,
        weekTemplates: 2,
        totalPhotos: 4,
        todayPhotos: 2,
        activeUsers: 2,
        totalDownloads: 3,
      },
    });
  });

  it('templates: the most used templates of the week with their real names, as the page reads them', async () => {
    const res = await get('/api/dashboard/templates');
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body.data)).toBe(true);
    expect(res.body.data[0]).toMatchObject({
      id: String(templateA._id),
      name: 'Pastel Birthday',
      category: 'Birthday',
      photos: 2,
      status: 'Active',
      lastUpdated: expect.any(String),
    });
    const names = res.body.data.map((row: { name: string }) => row.name);
    expect(names).toEqual(expect.arrayContaining(['Old One', 'AI frame']));
    expect(res.body.data).toHaveLength(3);
  });

  it('activity: the newest events of each kind merged newest first, with human times', async () => {
    const res = await get('/api/dashboard/activity');
    expect(res.status).toBe(200);
    const rows = res.body.data as {
      action: string;
      detail: string;
      time: string;
      type: string;
      timestamp: string;
    }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(4);
    for (const row of rows) {
      expect(row).toMatchObject({
        action: expect.any(String),
        detail: expect.any(String),
        time: expect.any(String),
        type: expect.stringMatching(/^(create|photo|user)$/),
      });
    }
    const times = rows.map((r) => Date.parse(r.timestamp));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(new Set(rows.map((r) => r.type)).size).toBeGreaterThan(1);
  });
});

describe('GET /api/analytics (#62) and the events CSV', () => {
  // A Jakarta midnight three days ago: 17:00 UTC of the day before.
  const midnight = DateTime.now().setZone(ZONE).startOf('day').minus({ days: 3 }).toJSDate();
  const range = `startDate=${new Date(midnight.getTime() - DAY).toISOString()}&endDate=${new Date(
    midnight.getTime() + DAY,
  ).toISOString()}`;
  const dayBefore = jakartaDate(new Date(midnight.getTime() - 1));
  const dayOf = jakartaDate(midnight);

  beforeAll(async () => {
    const desktop = { type: 'Desktop' };
    const mobile = { type: 'Mobile' };
    await AnalyticsEventModel.insertMany([
      {
        eventType: 'page_view',
        eventCategory: 'page',
        userId: 'u1',
        sessionId: 's1',
        deviceInfo: desktop,
        timestamp: new Date(midnight.getTime() - 1000),
        referrer: '=HYPERLINK("http://x")',
      },
      {
        eventType: 'template_view',
        eventCategory: 'template',
        userId: 'u1',
        templateId: 'tA',
        deviceInfo: mobile,
        timestamp: midnight,
      },
      // 20:30 UTC: still the same UTC date as the first event, already the next Jakarta day.
      {
        eventType: 'template_view',
        eventCategory: 'template',
        userId: 'u2',
        sessionId: 's2',
        templateId: 'tA',
        deviceInfo: mobile,
        timestamp: new Date(midnight.getTime() + 3.5 * HOUR),
      },
      {
        eventType: 'photo_capture',
        eventCategory: 'photo',
        sessionId: 's2',
        templateId: 'tB',
        deviceInfo: desktop,
        timestamp: new Date(midnight.getTime() + 10 * HOUR),
      },
      {
        eventType: 'page_view',
        eventCategory: 'page',
        userId: 'u9',
        timestamp: new Date(midnight.getTime() + DAY + 1000),
      },
    ]);
  });

  it('answers the numbers the Analytics page reads, with Jakarta day buckets on both sides of midnight', async () => {
    const res = await get(`/api/analytics?${range}`);
    expect(res.status).toBe(200);
    const data = res.body.data;
    expect(data.overview).toEqual({ totalEvents: 4, uniqueUsers: 2, uniqueSessions: 2 });
    expect(data.eventsOverTime).toEqual([
      { date: dayBefore, count: 1 },
      { date: dayOf, count: 3 },
    ]);
    expect(data.eventsByCategory).toEqual([
      { _id: 'template', count: 2 },
      { _id: 'page', count: 1 },
      { _id: 'photo', count: 1 },
    ]);
    expect(data.deviceBreakdown).toEqual([
      { _id: 'Desktop', count: 2 },
      { _id: 'Mobile', count: 2 },
    ]);
    expect(data.topTemplates).toEqual([
      { _id: 'tA', count: 2 },
      { _id: 'tB', count: 1 },
    ]);
    expect(data.eventsByType[0]).toEqual({ _id: 'template_view', count: 2 });
    expect(data.recentEvents).toHaveLength(4);
    expect(data.recentEvents[0]).toMatchObject({
      eventType: 'photo_capture',
      eventCategory: 'photo',
      userId: null,
      timestamp: new Date(midnight.getTime() + 10 * HOUR).toISOString(),
    });
  });

  it('answers 400 for an inverted or too long range', async () => {
    const inverted = await get(
      '/api/analytics?startDate=2026-02-01T00:00:00Z&endDate=2026-01-01T00:00:00Z',
    );
    expect(inverted.status).toBe(400);
    const long = await get(
      '/api/analytics?startDate=2024-01-01T00:00:00Z&endDate=2026-01-01T00:00:00Z',
    );
    expect(long.status).toBe(400);
    expect((await get('/api/analytics?startDate=yesterday')).status).toBe(400);
  });

  it('streams the range as CSV, oldest first, formulas neutralised', async () => {
    const res = await get(`/api/analytics/export/events.csv?${range}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="events_.*\.csv"/);
    const lines = res.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'timestamp,eventType,eventCategory,userId,sessionId,templateId,device,ipAddress,referrer,metadata',
    );
    expect(lines).toHaveLength(5);
    expect(lines[1]).toContain('page_view');
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(lines[4]).toContain('photo_capture');

    const byType = await get(`/api/analytics/export/events.csv?${range}&eventType=template_view`);
    expect(byType.text.trim().split('\r\n')).toHaveLength(3);
  });

  it('streams a large export in chunks without a Content-Length (no whole-file buffer)', async () => {
    const start = new Date(midnight.getTime() - 20 * DAY);
    await AnalyticsEventModel.insertMany(
      Array.from({ length: 3000 }, (_, i) => ({
        eventType: 'bulk_event',
        eventCategory: 'page',
        timestamp: new Date(start.getTime() + i * 1000),
      })),
    );
    const res = await get(
      `/api/analytics/export/events.csv?startDate=${start.toISOString()}&endDate=${new Date(start.getTime() + DAY).toISOString()}&eventType=bulk_event`,
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.text.trim().split('\r\n')).toHaveLength(3001);
  });
});

describe('GET /api/analytics/funnel and /revenue', () => {
  const now = Date.now();
  const started = new Date(now - DAY);
  const range = `startDate=${new Date(now - 2 * DAY).toISOString()}&endDate=${new Date(now + 60_000).toISOString()}`;
  const templateT = `funnel-${oid().toHexString()}`;
  const templateU = `funnel-${oid().toHexString()}`;

  /** `n` sessions of `templateId` that went as far as the journey says. */
  async function journeys(
    n: number,
    templateId: string,
    journey: {
      captures?: boolean;
      composite?: boolean;
      shared?: 'public' | 'link';
      download?: boolean;
      pro?: 'after' | 'before';
    },
  ) {
    for (let i = 0; i < n; i += 1) {
      const userId = oid();
      const sessionId = oid();
      await PhotoSessionModel.collection.insertOne({
        _id: sessionId,
        userId: userId.toHexString(),
        templateId,
        sessionName: 'Funnel',
        status: journey.composite ? 'completed' : 'active',
        capturedPhotos: journey.captures ? [oid().toHexString(), oid().toHexString()] : [],
        createdAt: started,
        updatedAt: started,
      });
      if (journey.composite) {
        await FinalCompositeModel.create({
          sessionId: sessionId.toHexString(),
          userId: userId.toHexString(),
          templateId,
          compositeUrl: 'http://api.test/c.png',
          isPublic: journey.shared === 'public',
          shareEnabled: journey.shared === 'link',
        });
      }
      if (journey.download) {
        await AnalyticsEventModel.create({
          eventType: 'composite_download',
          eventCategory: 'gallery',
          sessionId: sessionId.toHexString(),
          timestamp: new Date(),
        });
      }
      if (journey.pro) {
        await PaymentModel.create({
          userId,
          amount: 150000,
          status: 'approved',
          isOpen: false,
          approvedAt: journey.pro === 'after' ? new Date(now - HOUR) : new Date(now - 1.5 * DAY),
        });
      }
    }
  }

  beforeAll(async () => {
    await journeys(10, templateT, {});
    await journeys(1, templateT, { pro: 'after' }); // bought Pro but never captured: not counted
    await journeys(8, templateT, { captures: true });
    await journeys(6, templateT, { captures: true, composite: true });
    await journeys(3, templateT, { captures: true, composite: true, shared: 'public' });
    await journeys(1, templateT, {
      captures: true,
      composite: true,
      shared: 'public',
      pro: 'after',
    });
    await journeys(2, templateT, { captures: true, composite: true, shared: 'link' });
    await journeys(2, templateT, { captures: true, composite: true, download: true, pro: 'after' });
    await journeys(1, templateT, {
      captures: true,
      composite: true,
      download: true,
      pro: 'before',
    });
    await journeys(5, templateU, { captures: true });
  });

  it('counts each step of a known journey mix per template, with every rate', async () => {
    const res = await get(`/api/analytics/funnel?${range}&templateId=${templateT}`);
    expect(res.status).toBe(200);
    const { overall, byTemplate } = res.body.data;
    // started 34, captured 23, composite 15, shared or downloaded 9, Pro 3.
    expect(overall).toEqual([
      { stage: 'started', count: 34, rateFromPrevious: 1, rateFromStart: 1 },
      { stage: 'captured', count: 23, rateFromPrevious: 0.6765, rateFromStart: 0.6765 },
      { stage: 'composite', count: 15, rateFromPrevious: 0.6522, rateFromStart: 0.4412 },
      { stage: 'sharedOrDownloaded', count: 9, rateFromPrevious: 0.6, rateFromStart: 0.2647 },
      { stage: 'pro', count: 3, rateFromPrevious: 0.3333, rateFromStart: 0.0882 },
    ]);
    expect(byTemplate).toEqual([{ templateId: templateT, steps: overall }]);
  });

  it('overall adds up the templates, each listed with its own steps', async () => {
    const res = await get(`/api/analytics/funnel?${range}`);
    const { overall, byTemplate } = res.body.data;
    expect(overall.map((s: { count: number }) => s.count)).toEqual([39, 28, 15, 9, 3]);
    const u = byTemplate.find((row: { templateId: string }) => row.templateId === templateU);
    expect(u.steps.map((s: { count: number }) => s.count)).toEqual([5, 5, 0, 0, 0]);
    expect(u.steps[2]).toMatchObject({ rateFromPrevious: 0, rateFromStart: 0 });
  });

  it('exports the funnel as CSV: one overall row, one per template', async () => {
    const res = await get(`/api/analytics/export/funnel.csv?${range}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.text.trim().split('\r\n');
    expect(lines[0]).toMatch(
      /^templateId,started,started_rateFromPrevious,started_rateFromStart,captured,/,
    );
    expect(lines[1]).toMatch(/^ALL,39,1,1,28,/);
    expect(lines).toHaveLength(4);
  });

  it('sums approved payments by Jakarta day of approval, on both sides of midnight', async () => {
    const midnight = DateTime.now().setZone(ZONE).startOf('day').minus({ days: 20 }).toJSDate();
    const pay = (approvedAt: Date, amount: number, status: 'approved' | 'rejected' = 'approved') =>
      PaymentModel.create({ userId: oid(), amount, status, isOpen: false, approvedAt });
    await pay(new Date(midnight.getTime() - 1000), 150000);
    await pay(midnight, 150000);
    await pay(new Date(midnight.getTime() + 5 * HOUR), 100000);
    await pay(new Date(midnight.getTime() + HOUR), 999999, 'rejected');
    const res = await get(
      `/api/analytics/revenue?startDate=${new Date(midnight.getTime() - DAY).toISOString()}&endDate=${new Date(midnight.getTime() + DAY).toISOString()}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      currency: 'IDR',
      total: 400000,
      payments: 3,
      days: [
        { date: jakartaDate(new Date(midnight.getTime() - 1000)), revenue: 150000, payments: 1 },
        { date: jakartaDate(midnight), revenue: 250000, payments: 2 },
      ],
    });
  });
});
