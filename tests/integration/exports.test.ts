import request from 'supertest';
import { GalleryExportModel, NotificationModel, SessionAnimationModel } from '../../src/models';
import { FinalCompositeModel } from '../../src/models';
import { useTestContext } from '../helpers/context';
import { crc32, readZip } from '../helpers/zip';
import { noisyJpeg } from '../fixtures/images';
import { createComposite } from '../factories/composites.factory';
import { createUser, signIn, type TestUser } from '../factories/users.factory';
import { binaryParser } from '../helpers/http-parsers';
import { untilCompleted } from '../helpers/job-status';

const ctx = useTestContext('exports', { EXPORT_LINK_TTL_SECONDS: '7200' });

function finished(user: TestUser, exportId: string) {
  return untilCompleted(ctx, user, `/api/exports/${exportId}`, { timeoutMs: 120_000 });
}

/** `count` composites of the user, each its own stored ~`bytes` JPEG (distinct keys). */
async function seedComposites(user: TestUser, count: number, image: Buffer) {
  const rows = [];
  for (let i = 0; i < count; i += 1) {
    const key = ctx.storage.derivedKey('composites', `seed:${user.id}:${i}`, 'jpg');
    await ctx.storage.saveAt(key, image);
    rows.push({
      sessionId: '0123456789abcdef01234567',
      userId: user.id,
      compositeUrl: ctx.storage.publicUrl(key),
      compositeKey: key,
      source: 'server',
      createdAt: new Date(Date.UTC(2026, 10, 1) + i * 60_000),
    });
  }
  return FinalCompositeModel.insertMany(rows);
}

beforeAll(() => {
  ctx.startWorkers();
});

describe('gallery export', () => {
  it('streams 200 composites and an animation into a ZIP, notifies once with a signed expiring link, and keeps memory flat', async () => {
    const user = await signIn(ctx, await createUser());
    const image = await noisyJpeg(600, 900);
    const composites = await seedComposites(user, 200, image);
    const animationKey = ctx.storage.derivedKey('animations', `seed:${user.id}`, 'webp');
    await ctx.storage.saveAt(animationKey, Buffer.from('RIFF....WEBPfake-but-bytes'));
    await SessionAnimationModel.create({
      sessionId: '0123456789abcdef01234567',
      userId: user.id,
      kind: 'boomerang',
      format: 'webp',
      status: 'completed',
      jobId: `seed-${user.id}`,
      fileKey: animationKey,
    });
    const stranger = await signIn(ctx, await createUser());
    await createComposite(ctx.storage, stranger.id);

    const memory = { base: process.memoryUsage().rss, peak: 0 };
    const sampler = setInterval(() => {
      memory.peak = Math.max(memory.peak, process.memoryUsage().rss);
    }, 20);
    let done;
    try {
      const queued = await request(ctx.app).post('/api/exports').set('Authorization', user.auth);
      expect(queued.status).toBe(202);
      expect(queued.body.data).toMatchObject({ status: 'queued', downloadUrl: null });
      done = await finished(user, queued.body.data._id);
    } finally {
      clearInterval(sampler);
    }
    const job = await ctx.jobs.queue('background').getJob(`export-${String(done._id)}`);
    const result = job?.returnvalue as { items: number; bytes: number; peakBufferedBytes: number };
    const archiveMb = done.fileSize / 1024 / 1024;
    const bufferedMb = result.peakBufferedBytes / 1024 / 1024;
    const rssMb = (memory.peak - memory.base) / 1024 / 1024;
    console.log(
      `export: ${result.items} entries, ${archiveMb.toFixed(1)} MB archive, peak bytes held by the job ${bufferedMb.toFixed(2)} MB, test-process RSS growth ${rssMb.toFixed(1)} MB`,
    );
    expect(done).toMatchObject({ itemCount: 201, expired: false });
    expect(result).toMatchObject({ items: 201, bytes: done.fileSize });
    // Buffering the archive (or all its entries) would hold at least its size at some moment;
    // streaming holds about one read chunk per stage.
    expect(archiveMb).toBeGreaterThan(20);
    expect(bufferedMb).toBeLessThan(2);

    const notifications = await NotificationModel.find({ userId: user.id }).lean();
    expect(notifications).toHaveLength(1);
    const link = notifications[0]!.actionUrl as string;
    const expires = Number(/\/uploads\/s\/(\d+)\//.exec(link)?.[1]);
    const now = Date.now() / 1000;
    expect(expires).toBeGreaterThanOrEqual(now + 7200 - 60);
    expect(expires).toBeLessThanOrEqual(now + 7200 + 3600);

    const path = new URL(link).pathname;
    const zipRes = await request(ctx.app).get(path).buffer(true).parse(binaryParser);
    expect(zipRes.status).toBe(200);
    expect(zipRes.headers['content-type']).toBe('application/zip');
    const entries = readZip(zipRes.body as Buffer);
    expect(entries).toHaveLength(201);
    const names = entries.map((e) => e.name);
    expect(names.filter((n) => n.startsWith('composites/'))).toHaveLength(200);
    expect(names).toContain(`composites/2026-11-01-${String(composites[0]!._id)}.jpg`);
    expect(names.filter((n) => /^animations\/.*-boomerang\.webp$/.test(n))).toHaveLength(1);
    for (const entry of entries) {
      expect(entry.method).toBe(0);
      expect(entry.data.length).toBe(entry.size);
      expect(crc32(entry.data) >>> 0).toBe(entry.crc);
    }
    expect(entries[0]!.data.equals(image)).toBe(true);

    const tampered = path.replace(/\/uploads\/s\/(\d+)\/([^/]+)\//, '/uploads/s/$1/AAAA$2/');
    expect((await request(ctx.app).get(tampered)).status).toBe(404);
    const plain = `/uploads/${path.split('/').slice(5).join('/')}`;
    expect((await request(ctx.app).get(plain)).status).toBe(404);
  }, 180_000);

  it('lets one export be in flight per user: concurrent requests get one 202 and 409s, one job', async () => {
    const user = await signIn(ctx, await createUser());
    await createComposite(ctx.storage, user.id);
    const replies = await Promise.all(
      Array.from({ length: 6 }, () =>
        request(ctx.app).post('/api/exports').set('Authorization', user.auth),
      ),
    );
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses).toEqual([202, 409, 409, 409, 409, 409]);
    const accepted = replies.find((r) => r.status === 202)!.body.data;
    for (const reply of replies.filter((r) => r.status === 409)) {
      expect(reply.body.code).toBe('CONFLICT');
      expect(reply.body.export._id).toBe(accepted._id);
    }
    expect(await GalleryExportModel.countDocuments({ userId: user.id })).toBe(1);
    const jobs = await ctx.jobs
      .queue('background')
      .getJobs(['waiting', 'active', 'completed', 'delayed', 'prioritized']);
    expect(
      jobs.filter((j) => j.name === 'export-gallery' && j.data.exportId === accepted._id),
    ).toHaveLength(1);

    await finished(user, accepted._id);
    const next = await request(ctx.app).post('/api/exports').set('Authorization', user.auth);
    expect(next.status).toBe(202);
    await finished(user, next.body.data._id);
    const listed = await request(ctx.app).get('/api/exports').set('Authorization', user.auth);
    expect(listed.body.data.map((e: { _id: string }) => e._id)).toEqual([
      next.body.data._id,
      accepted._id,
    ]);
  });

  it('answers 409 while the in-flight export’s job is still being added (its id stored, the job not yet in the queue)', async () => {
    const user = await signIn(ctx, await createUser());
    const running = await GalleryExportModel.create({
      userId: user.id,
      status: 'queued',
      inFlight: true,
      jobId: 'export-being-added',
    });
    const res = await request(ctx.app).post('/api/exports').set('Authorization', user.auth);
    expect(res.status).toBe(409);
    expect(res.body.export._id).toBe(String(running._id));
    const stored = await GalleryExportModel.findById(running._id).lean();
    expect(stored).toMatchObject({ status: 'queued', inFlight: true });
    expect(await GalleryExportModel.countDocuments({ userId: user.id })).toBe(1);
  });

  it('answers 404 for another user’s export and 401 without a token', async () => {
    const owner = await signIn(ctx, await createUser());
    const other = await signIn(ctx, await createUser());
    await createComposite(ctx.storage, owner.id);
    const queued = await request(ctx.app).post('/api/exports').set('Authorization', owner.auth);
    expect(queued.status).toBe(202);
    const foreign = await request(ctx.app)
      .get(`/api/exports/${queued.body.data._id}`)
      .set('Authorization', other.auth);
    expect(foreign.status).toBe(404);
    expect((await request(ctx.app).post('/api/exports')).status).toBe(401);
    expect(
      (await request(ctx.app).get('/api/exports/nope').set('Authorization', owner.auth)).status,
    ).toBe(400);
    await finished(owner, queued.body.data._id);
  });
});
