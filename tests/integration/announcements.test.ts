import mongoose, { Types } from 'mongoose';
import v8 from 'node:v8';
import vm from 'node:vm';
import request from 'supertest';
import { buildApp } from '../../src/app';
import { JobQueue } from '../../src/jobs/job-queue';
import { AnnouncementModel, NotificationModel, UserModel } from '../../src/models';
import {
  audienceFilter,
  deliverAnnouncementJob,
} from '../../src/modules/notifications/announcement-delivery';
import { createAdmin, createUser, signIn, type TestUser } from '../factories/users.factory';
import { jobContextOf, useTestContext } from '../helpers/context';
import { eventually } from '../helpers/eventually';

// The stand-in answers each batch's `_id > lastId` query by a scan and a sort of what matches (a
// real mongod walks the _id index), so fewer, larger batches keep this test quick on it.
const ctx = useTestContext('announcements', { ANNOUNCEMENT_BATCH_SIZE: '1000' });

const SEEDED = 20_000;
const PRO_EVERY = 10; // every 10th seeded user has an active Pro
const EXPIRED_EVERY = 25; // every 25th (not a 10th) had a Pro that expired
const DELETED_EVERY = 199; // every 199th is a deleted account
const HASH = '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo';

let admin: TestUser;
let member: TestUser;
const expected = { all: 0, pro: 0 };

function jobContext(jobId = 'test') {
  return jobContextOf(ctx, { jobId });
}

/** 20,000 users in a few bulk inserts (complete documents, no per-document validation). */
async function seedUsers(): Promise<void> {
  const now = Date.now();
  const tag = now.toString(36);
  for (let start = 0; start < SEEDED; start += 5000) {
    const docs = Array.from({ length: 5000 }, (_, k) => {
      const i = start + k;
      const pro = i % PRO_EVERY === 0;
      const expired = !pro && i % EXPIRED_EVERY === 0;
      return {
        name: `Seeded ${i}`,
        email: `seeded${i}.${tag}@karyaklik.test`,
        password: HASH,
        role: 'user',
        isActive: true,
        isDeleted: i % DELETED_EVERY === 0,
        isPremium: pro || expired,
        premiumExpiresAt: pro ? new Date(now + 30 * 864e5) : expired ? new Date(now - 864e5) : null,
        createdAt: new Date(now),
        updatedAt: new Date(now),
      };
    });
    await UserModel.insertMany(docs, { ordered: false, lean: true });
  }
}

/** Notifications of an announcement per user: [how many users, the most any user has]. */
async function perUser(announcementId: string): Promise<{ users: number; most: number }> {
  const [row] = await NotificationModel.aggregate<{ users: number; most: number }>([
    { $match: { announcementId } },
    { $group: { _id: '$userId', n: { $sum: 1 } } },
    { $group: { _id: null, users: { $sum: 1 }, most: { $max: '$n' } } },
    { $project: { _id: 0, users: 1, most: 1 } },
  ]);
  return row ?? { users: 0, most: 0 };
}

const post = (body: object, user = admin) =>
  request(ctx.app).post('/api/admin/announcements').set('Authorization', user.auth).send(body);

async function completed(announcementId: string) {
  return eventually(
    async () => {
      const res = await request(ctx.app)
        .get(`/api/admin/announcements/${announcementId}`)
        .set('Authorization', admin.auth);
      expect(res.status).toBe(200);
      expect(res.body.data.announcement.status).not.toBe('failed');
      return res.body.data.announcement.status === 'completed' ? res.body.data.announcement : null;
    },
    120_000,
    100,
  );
}

/**
 * A full garbage collection, so heap figures are live data, not garbage waiting for the collector
 * (jest does not pass --expose-gc; a context made after setting the flag has `gc`).
 */
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

/**
 * Live heap growth while `work` runs: a full collection, then samples (see below) of the heap in
 * use after a full collection (what the job holds, not what it has dropped). Also the peak
 * heapUsed and rss between collections, for the report.
 */
async function liveHeapGrowth<T>(
  label: string,
  work: () => Promise<T>,
): Promise<{ growth: number; value: T }> {
  collectGarbage();
  const base = process.memoryUsage().heapUsed;
  const peak = { live: base, heap: base, rss: 0, gcMs: 0, samples: 0 };
  const started = Date.now();
  // Each sample is a full collection; the next waits 4x as long as it took (at least 500 ms),
  // so sampling costs at most a fifth of the time whatever the heap's size.
  let timer: NodeJS.Timeout | undefined;
  const sample = () => {
    const raw = process.memoryUsage();
    peak.heap = Math.max(peak.heap, raw.heapUsed);
    peak.rss = Math.max(peak.rss, raw.rss);
    const gcStart = Date.now();
    collectGarbage();
    const took = Date.now() - gcStart;
    peak.gcMs += took;
    peak.samples += 1;
    peak.live = Math.max(peak.live, process.memoryUsage().heapUsed);
    timer = setTimeout(sample, Math.max(500, 4 * took));
  };
  timer = setTimeout(sample, 500);
  try {
    const value = await work();
    const raw = process.memoryUsage();
    peak.heap = Math.max(peak.heap, raw.heapUsed);
    peak.rss = Math.max(peak.rss, raw.rss);
    collectGarbage();
    peak.live = Math.max(peak.live, process.memoryUsage().heapUsed);
    process.stdout.write(
      `[announcements] ${label}: live heap base ${mb(base)} MB, peak +${mb(peak.live - base)} MB; heapUsed peak ${mb(peak.heap)} MB, rss peak ${mb(peak.rss)} MB; ${Date.now() - started} ms, ${peak.samples} samples, ${peak.gcMs} ms in GC\n`,
    );
    return { growth: peak.live - base, value };
  } finally {
    clearTimeout(timer);
  }
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

beforeAll(async () => {
  const started = Date.now();
  await seedUsers();
  admin = await signIn(ctx, await createAdmin());
  member = await signIn(ctx, await createUser());
  expected.all = await UserModel.countDocuments(audienceFilter('all', new Date()));
  expected.pro = await UserModel.countDocuments(audienceFilter('pro', new Date()));
  process.stdout.write(
    `[announcements] seeded ${SEEDED} users in ${Date.now() - started} ms (${expected.all} reachable, ${expected.pro} Pro)\n`,
  );
  ctx.startWorkers();
}, 120_000);

describe('POST /api/admin/announcements', () => {
  it('answers 401 without a token, 403 to a non-admin, and 400 with details for a bad body; nothing is recorded', async () => {
    const before = await AnnouncementModel.countDocuments();
    const body = { title: 'Hi', message: 'Hello', audience: 'all' };
    await request(ctx.app).post('/api/admin/announcements').send(body).expect(401);
    expect((await post(body, member)).status).toBe(403);
    const bad = await post({ title: '', message: 'x'.repeat(2001), audience: 'vip', link: '//x' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ success: false, code: 'VALIDATION_FAILED' });
    const fields = (bad.body.details as { field: string }[]).map((d) => d.field);
    expect(fields).toEqual(
      expect.arrayContaining(['body.title', 'body.message', 'body.audience', 'body.link']),
    );
    expect(await AnnouncementModel.countDocuments()).toBe(before);
  });

  it('when an admin announces to everyone, then it answers 202 at once and the job gives each of the 20,000 users exactly one notification, with flat memory', async () => {
    const { growth: deliveryGrowth, value: announcement } = await liveHeapGrowth(
      'delivery to all',
      async () => {
        const res = await post({
          title: 'New frames',
          message: 'Twelve new frames for the holidays.',
          audience: 'all',
          link: '/templates',
        });
        expect(res.status).toBe(202);
        expect(res.body).toMatchObject({ success: true });
        expect(res.body.data.announcement).toMatchObject({ status: 'queued', delivered: 0 });
        return completed(res.body.data.announcement.id as string);
      },
    );
    expect(announcement).toMatchObject({ audience: 'all', delivered: expected.all });
    expect(await perUser(announcement.id)).toEqual({ users: expected.all, most: 1 });
    const deleted = await UserModel.findOne({ isDeleted: true }).select('_id').lean();
    expect(
      await NotificationModel.countDocuments({
        announcementId: announcement.id,
        userId: String(deleted?._id),
      }),
    ).toBe(0);
    const one = await NotificationModel.findOne({ announcementId: announcement.id }).lean();
    expect(one).toMatchObject({
      title: 'New frames',
      type: 'system',
      isRead: false,
      actionUrl: '/templates',
    });
    const bell = await request(ctx.app)
      .get('/api/notifications?limit=5')
      .set('Authorization', member.auth)
      .expect(200);
    expect(bell.body.data.notifications[0]).toMatchObject({ title: 'New frames', isRead: false });

    // What the job would hold if it loaded the audience at once, measured the same way.
    const { growth: loadAllGrowth, value: all } = await liveHeapGrowth('loading all users', () =>
      UserModel.find(audienceFilter('all', new Date())).lean(),
    );
    expect(all).toHaveLength(expected.all);
    process.stdout.write(
      `[announcements] live heap growth: delivery ${mb(deliveryGrowth)} MB vs loading all users ${mb(loadAllGrowth)} MB (ratio ${(deliveryGrowth / loadAllGrowth).toFixed(2)})\n`,
    );
    expect(deliveryGrowth).toBeLessThan(loadAllGrowth * 0.5);
  }, 180_000);

  it('when an admin announces to Pro users, then only users with an active Pro get it', async () => {
    const res = await post({
      title: 'Pro only',
      message: 'A frame pack for Pro.',
      audience: 'pro',
    });
    expect(res.status).toBe(202);
    const announcement = await completed(res.body.data.announcement.id as string);
    expect(announcement.delivered).toBe(expected.pro);
    expect(await perUser(announcement.id)).toEqual({ users: expected.pro, most: 1 });
    const reached = await NotificationModel.find({ announcementId: announcement.id })
      .select('userId')
      .lean();
    const pro = await UserModel.find(audienceFilter('pro', new Date())).select('_id').lean();
    expect(reached.map((n) => n.userId).sort()).toEqual(pro.map((u) => String(u._id)).sort());
    const lapsed = await UserModel.findOne({
      isPremium: true,
      premiumExpiresAt: mongoose.trusted({ $lt: new Date() }),
    })
      .select('_id')
      .lean();
    expect(lapsed).not.toBeNull();
    expect(
      await NotificationModel.countDocuments({
        announcementId: announcement.id,
        userId: String(lapsed?._id),
      }),
    ).toBe(0);
  }, 120_000);

  it('lists announcements newest first with status and delivered counts', async () => {
    const res = await request(ctx.app)
      .get('/api/admin/announcements?limit=2')
      .set('Authorization', admin.auth)
      .expect(200);
    expect(res.body.data.announcements).toHaveLength(2);
    expect(res.body.data.announcements[0]).toMatchObject({
      title: 'Pro only',
      status: 'completed',
      delivered: expected.pro,
    });
    expect(res.body.data.announcements[1]).toMatchObject({
      title: 'New frames',
      delivered: expected.all,
    });
    expect(res.body.data.pagination).toMatchObject({ page: 1, limit: 2 });
    await request(ctx.app)
      .get('/api/admin/announcements')
      .set('Authorization', member.auth)
      .expect(403);
    await request(ctx.app)
      .get(`/api/admin/announcements/${new Types.ObjectId().toHexString()}`)
      .set('Authorization', admin.auth)
      .expect(404);
  });
});

describe('when the delivery cannot be queued', () => {
  it('answers 503 and keeps no announcement (nothing half-sent)', async () => {
    const jobs = new JobQueue(ctx.redis, `${ctx.config.queuePrefix}:closed`);
    await jobs.close();
    const app = buildApp({ ...ctx, jobs });
    const before = await AnnouncementModel.countDocuments();
    const res = await request(app)
      .post('/api/admin/announcements')
      .set('Authorization', admin.auth)
      .send({ title: 'Lost', message: 'Never queued', audience: 'all' });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ success: false, code: 'SERVICE_UNAVAILABLE' });
    expect(await AnnouncementModel.countDocuments()).toBe(before);
    expect(await AnnouncementModel.countDocuments({ title: 'Lost' })).toBe(0);
  });
});

describe('deliver-announcement job', () => {
  it('when the same delivery runs twice at once after a crash left it half done, then each user still gets exactly one notification', async () => {
    const admins = await UserModel.findOne({ role: 'admin' }).select('_id').lean();
    const announcement = await AnnouncementModel.create({
      title: 'Twice',
      message: 'Delivered by two racing jobs',
      audience: 'all',
      createdBy: admins?._id,
      status: 'sending',
      audienceAsOf: new Date(),
    });
    const announcementId = String(announcement._id);
    // The crash: the first 3,000 users were written, but the recorded progress stops at 1,000.
    const firstUsers = await UserModel.find(audienceFilter('all', new Date()))
      .sort({ _id: 1 })
      .limit(3000)
      .select('_id')
      .lean();
    await NotificationModel.insertMany(
      firstUsers.map((u) => ({
        userId: String(u._id),
        title: 'Twice',
        message: 'Delivered by two racing jobs',
        type: 'system',
        announcementId,
      })),
    );
    await AnnouncementModel.updateOne(
      { _id: announcement._id },
      { $set: { lastId: firstUsers[999]?._id, delivered: 1000 } },
    );

    const results = await Promise.all([
      deliverAnnouncementJob({ announcementId }, jobContext('a')),
      deliverAnnouncementJob({ announcementId }, jobContext('b')),
    ]);
    expect(results).toHaveLength(2);
    expect(await perUser(announcementId)).toEqual({ users: expected.all, most: 1 });
    const stored = await AnnouncementModel.findById(announcementId).lean();
    expect(stored).toMatchObject({ status: 'completed', delivered: expected.all });

    // A third delivery of a completed announcement changes nothing.
    expect(await deliverAnnouncementJob({ announcementId }, jobContext('c'))).toEqual({
      skipped: 'already delivered',
    });
    expect(await perUser(announcementId)).toEqual({ users: expected.all, most: 1 });
  }, 180_000);

  it('refuses a payload that is not an announcement id, and one that no longer exists', async () => {
    await expect(deliverAnnouncementJob({ announcementId: 'x' }, jobContext())).rejects.toThrow(
      'announcementId is required',
    );
    await expect(
      deliverAnnouncementJob({ announcementId: new Types.ObjectId().toHexString() }, jobContext()),
    ).rejects.toThrow('no longer exists');
  });
});
