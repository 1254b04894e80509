import request from 'supertest';
import { NotificationModel, UsageLimitModel, UserSubmittedFrameModel } from '../../src/models';
import { SVG_ATTACKS } from '../fixtures/svg-attacks';
import {
  decompressionBombPng,
  phpFileNamedJpg,
  solidImage,
  toDataUrl,
  truncatedJpeg,
} from '../fixtures/images';
import { holedFrame, holeGrid } from '../fixtures/frames';
import { createProUser, insertSubmission, submissionBody } from '../factories/frames.factory';
import { createUser, signIn, type TestUser } from '../factories/users.factory';
import { useTestContext } from '../helpers/context';
import { eventually } from '../helpers/eventually';
import { storedKeys } from '../helpers/storage';

const ctx = useTestContext('submissions');
beforeAll(() => {
  ctx.startWorkers();
});

/** The submission as its owner sees it once the normalize-submission-frame job is done. */
async function processed(user: TestUser, id: string) {
  return eventually(async () => {
    const res = await request(ctx.app)
      .get('/api/user-submissions/frames?status=all&limit=100')
      .set('Authorization', user.auth);
    const found = res.body.data.find((s: { _id: string }) => s._id === id);
    return found && !found.processing ? found : null;
  });
}

/** Settles once the job has taken back a submission it could not accept. */
const takenBack = (id: string) =>
  eventually(async () => (await UserSubmittedFrameModel.exists({ _id: id })) === null);

const submit = (user: TestUser, body: Record<string, unknown>) =>
  request(ctx.app).post('/api/user-submissions/frames').set('Authorization', user.auth).send(body);

const pathOf = (url: string) => new URL(url).pathname;

describe('POST /api/user-submissions/frames (#46)', () => {
  let pro: TestUser;
  beforeAll(async () => {
    pro = await signIn(ctx, await createProUser());
  });

  it('stores a pending submission with private files and answers 200 {success, data, message}', async () => {
    const body = await submissionBody(3);
    const res = await submit(pro, body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, message: 'Frame submitted for review' });
    // Answered before any decode: the original waits privately for its job.
    expect(res.body.data.processing).toBe(true);
    expect(res.body.data.thumbnail).toMatch(/^http:\/\/api\.test\/uploads\/s\/\d+\/[\w-]+\/incoming\//);
    const jobs = await ctx.jobs.queue('images').getJobs(['waiting', 'active', 'completed']);
    expect(jobs.some((j) => j.name === 'normalize-submission-frame' && j.data.submissionId === res.body.data._id)).toBe(true);
    const done = await processed(pro, res.body.data._id);
    expect(done).toMatchObject({
      name: body.name,
      description: body.description,
      status: 'pending',
      frameCount: 3,
      layout: 'vertical',
      isPremium: false,
      rejectionReason: null,
      suggestedLayoutPositions: null,
      frameSpec: { category: 'Birthday' },
    });
    expect(done.frameSpec).not.toHaveProperty('userId');
    expect(done._id).toMatch(/^[0-9a-f]{24}$/);
    expect(done.previewUrl).toBeUndefined();
    // Files are served through signed URLs only, never from their plain address.
    expect(done.thumbnail).toMatch(/^http:\/\/api\.test\/uploads\/s\/\d+\/[\w-]+\/submissions\//);
    expect((await request(ctx.app).get(pathOf(done.frameUrl))).status).toBe(200);
    const stored = await UserSubmittedFrameModel.findById(res.body.data._id).lean();
    expect(stored?.frameUrl).not.toMatch(/^data:/);
    expect((await request(ctx.app).get(pathOf(stored!.frameUrl))).status).toBe(404);
    const day = await UsageLimitModel.findOne({ userId: pro.id }).lean();
    expect(day).toMatchObject({ packageType: 'pro', frameUploadCount: 1 });
  }); // prettier-ignore

  it('accepts the frame as a multipart file', async () => {
    const holes = holeGrid(2, 1);
    const res = await request(ctx.app)
      .post('/api/user-submissions/frames')
      .set('Authorization', pro.auth)
      .field('name', 'Multipart Frame')
      .field('layout', 'vertical')
      .attach('frame', await holedFrame(holes), { filename: 'f.png', contentType: 'image/png' });
    expect(res.status).toBe(200);
    expect(await processed(pro, res.body.data._id)).toMatchObject({
      frameCount: 2,
      layout: 'vertical',
    });
  });

  describe('photo slots from the frame’s transparency', () => {
    it('finds the holes when no slots are sent (within 2 px), and counts them', async () => {
      const holes = holeGrid(6, 3);
      const body = await submissionBody(6, {
        frameUrl: toDataUrl(await holedFrame(holes, { format: 'webp' }), 'image/webp'),
        layoutPositions: undefined,
        frameCount: undefined,
        layout: undefined,
      });
      const res = await submit(pro, body);
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ frameCount: null, layoutPositions: [] });
      const done = await processed(pro, res.body.data._id);
      expect(done).toMatchObject({ frameCount: 6, layout: 'grid' });
      done.layoutPositions.forEach((slot: Record<string, number>, i: number) => {
        for (const key of ['x', 'y', 'width', 'height'] as const)
          expect(Math.abs(slot[key]! - holes[i]![key])).toBeLessThanOrEqual(2);
      });
    });

    it('keeps slots that miss the holes but offers the holes back as a correction', async () => {
      const body = await submissionBody(3);
      const shifted = (body.layoutPositions as Array<Record<string, number>>).map((s) => ({
        ...s,
        y: s.y + 60,
      }));
      const res = await submit(pro, { ...body, layoutPositions: shifted });
      expect(res.status).toBe(200);
      const done = await processed(pro, res.body.data._id);
      expect(done.layoutPositions.map((s: { y: number }) => s.y)).toEqual(shifted.map((s) => s.y));
      expect(done.suggestedLayoutPositions).toHaveLength(3);
      expect(done.suggestedLayoutPositions[0].y).toBe(body.layoutPositions[0]!.y);
    });

    it('takes the submission back (files, unit) and tells the user why when frameCount disagrees with the holes, or there are no holes to find', async () => {
      const user = await signIn(ctx, await createProUser());
      const holes = await submissionBody(3, { layoutPositions: undefined, frameCount: 4 });
      const opaque = await submissionBody(2, {
        frameUrl: toDataUrl(await solidImage(600, 900, '#123456', 'png'), 'image/png'),
        thumbnail: undefined,
        layoutPositions: undefined,
        frameCount: undefined,
      });
      for (const body of [holes, opaque]) {
        const res = await submit(user, body);
        expect(res.status).toBe(200);
        const stored = await UserSubmittedFrameModel.findById(res.body.data._id).lean();
        await takenBack(res.body.data._id);
        expect(await ctx.storage.exists(stored!.frameKey!)).toBe(false);
        expect(await ctx.storage.exists(stored!.thumbnailKey!)).toBe(false);
      }
      const told = await NotificationModel.find({
        userId: user.id,
        title: 'Your frame could not be submitted',
      }).lean();
      expect(told.map((n) => n.message).sort()).toEqual([
        expect.stringMatching(/frameCount is 4 but the frame has 3 transparent photo holes/),
        expect.stringMatching(/Send layoutPositions: the frame has no transparent photo holes/),
      ].sort()); // prettier-ignore
      const day = await UsageLimitModel.findOne({ userId: user.id }).lean();
      expect(day?.frameUploadCount).toBe(0);
    });
  });

  it('answers 429 with upgradeUrl to a free user and stores nothing', async () => {
    const free = await signIn(ctx, await createUser());
    const before = await storedKeys(ctx.storage, 'submissions');
    const res = await submit(free, await submissionBody(2));
    expect(res.status).toBe(429);
    expect(res.body).toMatchObject({
      success: false,
      error: 'Daily frame upload limit reached',
      upgradeUrl: '/upgrade-pro',
    });
    expect(await UserSubmittedFrameModel.countDocuments({ userId: free.id })).toBe(0);
    expect(await storedKeys(ctx.storage, 'submissions')).toEqual(before);
  });

  it('answers 401 without a token', async () => {
    const res = await request(ctx.app)
      .post('/api/user-submissions/frames')
      .send(await submissionBody(2));
    expect(res.status).toBe(401);
    expect(res.body.success).toBe(false);
  });

  describe('refuses bad input: nothing stored, no upload counted', () => {
    const svgFrame = (svg: string) => ({ frameUrl: toDataUrl(Buffer.from(svg), 'image/svg+xml') });
    const cases: Array<[string, () => Promise<Record<string, unknown>>, number]> = [
      ['a missing name', async () => submissionBody(2, { name: undefined }), 400],
      ['no frame', async () => submissionBody(2, { frameUrl: undefined }), 400],
      ['frameCount 10', async () => submissionBody(2, { frameCount: 10 }), 400],
      ['an unknown layout', async () => submissionBody(2, { layout: 'diagonal' }), 400],
      ['positions that do not match frameCount', async () => submissionBody(2, { frameCount: 3 }), 400],
      ['a slot outside the frame', async () => submissionBody(2, { layoutPositions: [{ x: 0, y: 0, width: 100, height: 100 }, { x: 550, y: 850, width: 100, height: 100 }] }), 400],
      ['a frame that is a URL', async () => submissionBody(2, { frameUrl: 'https://evil.example/f.png' }), 400],
      ['a truncated image', async () => submissionBody(2, { frameUrl: toDataUrl(await truncatedJpeg()) }), 400],
      ['a PHP file', async () => submissionBody(2, { frameUrl: toDataUrl(phpFileNamedJpg()) }), 415],
      ['a decompression bomb', async () => submissionBody(2, { frameUrl: toDataUrl(decompressionBombPng(), 'image/png') }), 413],
      ['an SVG thumbnail with a script', async () => submissionBody(2, { thumbnail: svgFrame(SVG_ATTACKS.script!).frameUrl }), 400],
      ...Object.entries(SVG_ATTACKS).map(
        ([name, svg]): [string, () => Promise<Record<string, unknown>>, number] => [
          `an SVG frame with ${name}`,
          async () => submissionBody(1, svgFrame(svg)),
          400,
        ],
      ),
    ]; // prettier-ignore

    it.each(cases)('%s', async (_name, body, status) => {
      const user = await signIn(ctx, await createProUser());
      const before = await storedKeys(ctx.storage, 'submissions');
      const waiting = await storedKeys(ctx.storage, 'incoming');
      const res = await submit(user, await body());
      expect(res.status).toBe(status);
      expect(res.body.success).toBe(false);
      expect(typeof res.body.error).toBe('string');
      if (status === 400) expect(res.body.details).toBeDefined();
      expect(await UserSubmittedFrameModel.countDocuments({ userId: user.id })).toBe(0);
      expect(await storedKeys(ctx.storage, 'submissions')).toEqual(before);
      expect(await storedKeys(ctx.storage, 'incoming')).toEqual(waiting);
      const day = await UsageLimitModel.findOne({ userId: user.id }).lean();
      expect(day?.frameUploadCount ?? 0).toBe(0);
    });
  });
});

describe('GET /api/user-submissions/frames (#47)', () => {
  it('lists my submissions newest first with count, total and top-level hasMore', async () => {
    const user = await signIn(ctx, await createUser());
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(String((await insertSubmission(user.id))._id));
    await insertSubmission(user.id, { status: 'rejected', rejectionReason: 'Blurry' });
    await insertSubmission(String((await createUser())._id));
    const first = await request(ctx.app)
      .get('/api/user-submissions/frames?limit=2&skip=0')
      .set('Authorization', user.auth);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ success: true, count: 2, total: 4, hasMore: true });
    expect(first.body.data[0]).toMatchObject({ status: 'rejected', rejectionReason: 'Blurry' });
    for (const key of ['_id', 'thumbnail', 'name', 'description', 'status', 'frameCount', 'createdAt', 'approvedAt'])
      expect(first.body.data[0]).toHaveProperty(key); // prettier-ignore
    const last = await request(ctx.app)
      .get('/api/user-submissions/frames?limit=2&skip=2')
      .set('Authorization', user.auth);
    expect(last.body).toMatchObject({ count: 2, total: 4, hasMore: false });
    const pending = await request(ctx.app)
      .get('/api/user-submissions/frames?status=pending')
      .set('Authorization', user.auth);
    expect(pending.body.data.map((s: { _id: string }) => s._id).sort()).toEqual(ids.sort());
    const bad = await request(ctx.app)
      .get('/api/user-submissions/frames?status=lost')
      .set('Authorization', user.auth);
    expect(bad.status).toBe(400);
    expect((await request(ctx.app).get('/api/user-submissions/frames')).status).toBe(401);
  });
});

describe('DELETE /api/user-submissions/frames/:id (#48)', () => {
  it('withdraws a pending submission with its files', async () => {
    const pro = await signIn(ctx, await createProUser());
    const created = await submit(pro, await submissionBody(2));
    await processed(pro, created.body.data._id);
    const stored = await UserSubmittedFrameModel.findById(created.body.data._id).lean();
    const res = await request(ctx.app)
      .delete(`/api/user-submissions/frames/${created.body.data._id}`)
      .set('Authorization', pro.auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, message: 'Submission deleted' });
    expect(await UserSubmittedFrameModel.findById(created.body.data._id).lean()).toBeNull();
    expect(await ctx.storage.exists(stored!.frameKey!)).toBe(false);
    expect(await ctx.storage.exists(stored!.thumbnailKey!)).toBe(false);
  });

  it('answers 400 for a decided submission, 404 for someone else’s, 400 for a bad id', async () => {
    const user = await signIn(ctx, await createUser());
    const approved = await insertSubmission(user.id, { status: 'approved' });
    const decided = await request(ctx.app)
      .delete(`/api/user-submissions/frames/${String(approved._id)}`)
      .set('Authorization', user.auth);
    expect(decided.status).toBe(400);
    expect(decided.body).toMatchObject({ success: false, error: 'Cannot delete approved submissions' });
    const theirs = await insertSubmission(String((await createUser())._id));
    const other = await request(ctx.app)
      .delete(`/api/user-submissions/frames/${String(theirs._id)}`)
      .set('Authorization', user.auth);
    expect(other.status).toBe(404);
    expect(await UserSubmittedFrameModel.exists({ _id: theirs._id })).not.toBeNull();
    const bad = await request(ctx.app)
      .delete('/api/user-submissions/frames/123')
      .set('Authorization', user.auth);
    expect(bad.status).toBe(400);
  }); // prettier-ignore
});
