import sharp from 'sharp';
import request from 'supertest';
import { SessionAnimationModel } from '../../src/models';
import type { RunningWorkers } from '../../src/jobs/worker-runner';
import { useTestContext } from '../helpers/context';
import { queueIdle } from '../helpers/queues';
import { storedKeys } from '../helpers/storage';
import { near } from '../fixtures/images';
import { FOUR_SLOTS } from '../fixtures/frames';
import { createTemplate } from '../factories/sessions.factory';
import { createUser, signIn, type TestUser } from '../factories/users.factory';
import { CAPTURE_COLORS, uploadCapture } from '../helpers/captures';
import { binaryParser, textParser } from '../helpers/http-parsers';
import { untilCompleted } from '../helpers/job-status';

// FFMPEG_PATH=off: this machine must answer "MP4 unavailable" whatever is installed on it.
// SSE_HEARTBEAT_MS at its maximum (an hour): a status stream that ends within a test's timeout
// was woken by a job event, since streams read on nothing else.
const ctx = useTestContext('animations', { FFMPEG_PATH: 'off', SSE_HEARTBEAT_MS: '3600000' });

async function sessionWithCaptures(user: TestUser, count = 4): Promise<string> {
  const template = await createTemplate(ctx.storage);
  const created = await request(ctx.app)
    .post('/api/sessions')
    .set('Authorization', user.auth)
    .send({ sessionName: 'Animated', templateId: String(template._id) });
  expect(created.status).toBe(201);
  const sessionId: string = created.body.data._id;
  for (const [index, [hex]] of CAPTURE_COLORS.slice(0, count).entries()) {
    const res = await uploadCapture(ctx, user, sessionId, index + 1, hex, {
      photoNumber: index + 1,
    });
    expect(res.status).toBe(201);
  }
  return sessionId;
}

function finished(user: TestUser, sessionId: string, query: Record<string, string>) {
  return untilCompleted(ctx, user, `/api/sessions/${sessionId}/animation`, {
    query,
    timeoutMs: 60_000,
  });
}

async function download(url: string): Promise<Buffer> {
  const res = await request(ctx.app).get(new URL(url).pathname).buffer(true).parse(binaryParser);
  expect(res.status).toBe(200);
  return res.body as Buffer;
}

/** The centre of slot 1 in every frame of the animation, scaled like the animation. */
async function slotColours(image: Buffer, pages: number, scale: number) {
  const slot = FOUR_SLOTS[0]!;
  const x = Math.round((slot.x + slot.width / 2) * scale);
  const y = Math.round((slot.y + slot.height / 2) * scale);
  const colours: Array<[number, number, number]> = [];
  for (let page = 0; page < pages; page += 1) {
    const { data, info } = await sharp(image, { page }).removeAlpha().raw().toBuffer({
      resolveWithObject: true,
    });
    const offset = (y * info.width + x) * 3;
    colours.push([data[offset]!, data[offset + 1]!, data[offset + 2]!]);
  }
  return colours;
}

let workers: RunningWorkers;
beforeAll(() => {
  workers = ctx.startWorkers();
});

describe('POST /api/sessions/:id/animation', () => {
  it('renders a GIF of a 4-capture session: 4 frames in capture order, 480×720, looping, within 3 MB', async () => {
    const user = await signIn(ctx, await createUser());
    const sessionId = await sessionWithCaptures(user);
    const queued = await request(ctx.app)
      .post(`/api/sessions/${sessionId}/animation`)
      .set('Authorization', user.auth)
      .send({ kind: 'gif', format: 'gif' });
    expect(queued.status).toBe(202);
    expect(queued.body.data).toMatchObject({
      kind: 'gif',
      format: 'gif',
      status: 'queued',
      jobId: `animation-${sessionId}-gif-gif`,
      url: null,
    });

    const done = await finished(user, sessionId, { kind: 'gif', format: 'gif' });
    expect(done).toMatchObject({ width: 480, height: 720, frameCount: 4, frameDelayMs: 500 });
    const gif = await download(done.url);
    expect(gif.length).toBe(done.fileSize);
    expect(gif.length).toBeLessThanOrEqual(3 * 1024 * 1024);
    const meta = await sharp(gif, { animated: true }).metadata();
    expect(meta).toMatchObject({ format: 'gif', pages: 4, loop: 0, width: 480, pageHeight: 720 });
    expect(meta.delay).toEqual([500, 500, 500, 500]);
    const colours = await slotColours(gif, 4, 0.8);
    colours.forEach((colour, i) => expect(near(colour, CAPTURE_COLORS[i]![1], 40)).toBe(true));
  });

  it('renders a boomerang (animated WebP by default): forward then back, 6 frames, looping', async () => {
    const user = await signIn(ctx, await createUser());
    const sessionId = await sessionWithCaptures(user);
    const queued = await request(ctx.app)
      .post(`/api/sessions/${sessionId}/animation`)
      .set('Authorization', user.auth)
      .send({ kind: 'boomerang' });
    expect(queued.status).toBe(202);
    expect(queued.body.data.format).toBe('webp');

    const done = await finished(user, sessionId, { kind: 'boomerang' });
    expect(done).toMatchObject({ width: 480, height: 720, frameCount: 6, frameDelayMs: 200 });
    const webp = await download(done.url);
    expect(webp.length).toBeLessThanOrEqual(3 * 1024 * 1024);
    const meta = await sharp(webp, { animated: true }).metadata();
    expect(meta).toMatchObject({ format: 'webp', pages: 6, loop: 0, width: 480, pageHeight: 720 });
    const colours = await slotColours(webp, 6, 0.8);
    const expected = [0, 1, 2, 3, 2, 1].map((i) => CAPTURE_COLORS[i]![1]);
    colours.forEach((colour, i) => expect(near(colour, expected[i]!, 40)).toBe(true));

    // Asked again: the finished animation, not a new job.
    const again = await request(ctx.app)
      .post(`/api/sessions/${sessionId}/animation`)
      .set('Authorization', user.auth)
      .send({ kind: 'boomerang', format: 'webp' });
    expect(again.status).toBe(200);
    expect(again.body.data).toMatchObject({ _id: done._id, status: 'completed' });
  });

  it('queues one job for concurrent requests of the same animation', async () => {
    const user = await signIn(ctx, await createUser());
    const sessionId = await sessionWithCaptures(user, 2);
    const replies = await Promise.all(
      Array.from({ length: 8 }, () =>
        request(ctx.app)
          .post(`/api/sessions/${sessionId}/animation`)
          .set('Authorization', user.auth)
          .send({ kind: 'gif' }),
      ),
    );
    for (const reply of replies) expect([200, 202]).toContain(reply.status);
    expect(new Set(replies.map((r) => r.body.data._id as string)).size).toBe(1);
    expect(await SessionAnimationModel.countDocuments({ sessionId })).toBe(1);
    const jobs = await ctx.jobs
      .queue('images')
      .getJobs(['waiting', 'active', 'completed', 'delayed', 'prioritized']);
    expect(
      jobs.filter(
        (job) =>
          job.name === 'render-animation' && job.data.animationId === replies[0]!.body.data._id,
      ),
    ).toHaveLength(1);
    await finished(user, sessionId, { kind: 'gif' });
  });

  it('pushes the status over server-sent events: queued while no worker runs, then completed', async () => {
    const user = await signIn(ctx, await createUser());
    const sessionId = await sessionWithCaptures(user, 2);
    await Promise.all(workers.workers.map((w) => w.pause()));
    let resumed = false;
    const resume = async () => {
      if (resumed) return;
      resumed = true;
      await Promise.all(workers.workers.map((w) => w.resume()));
    };
    try {
      await request(ctx.app)
        .post(`/api/sessions/${sessionId}/animation`)
        .set('Authorization', user.auth)
        .send({ kind: 'boomerang', format: 'gif' })
        .expect(202);
      let opened!: () => void;
      const open = new Promise<void>((resolve) => (opened = resolve));
      const streaming = request(ctx.app)
        .get(`/api/sessions/${sessionId}/animation/events`)
        .query({ kind: 'boomerang', format: 'gif' })
        .set('Authorization', user.auth)
        .buffer(true)
        .parse(textParser((text) => text.includes('event: status') && opened()))
        .then((res) => res);
      // The stream has sent its first status (the job cannot have run): only now may it run.
      await open;
      await resume();
      const stream = await streaming;
      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
      const statuses = (stream.body as string)
        .split('\n\n')
        .filter((b) => b.includes('data: '))
        .map((b) => JSON.parse(/^data: (.*)$/m.exec(b)![1]!));
      expect(statuses[0]).toMatchObject({ status: 'queued', progress: 0 });
      const last = statuses[statuses.length - 1]!;
      expect(last).toMatchObject({ status: 'completed', progress: 100, kind: 'boomerang' });
      // Two captures: a boomerang of two is just the two.
      expect(last.frameCount).toBe(2);
    } finally {
      await resume();
    }
  });

  it('answers 422 FORMAT_UNAVAILABLE for MP4 without an encoder, writing nothing', async () => {
    const user = await signIn(ctx, await createUser());
    const sessionId = await sessionWithCaptures(user, 1);
    const res = await request(ctx.app)
      .post(`/api/sessions/${sessionId}/animation`)
      .set('Authorization', user.auth)
      .send({ kind: 'gif', format: 'mp4' });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ success: false, code: 'FORMAT_UNAVAILABLE' });
    expect(res.body.message).toMatch(/MP4/);
    expect(await SessionAnimationModel.countDocuments({ sessionId })).toBe(0);
  });

  it('answers 404 for another user’s session, 401 without a token, 400 for a bad kind or no photos', async () => {
    const owner = await signIn(ctx, await createUser());
    const other = await signIn(ctx, await createUser());
    const sessionId = await sessionWithCaptures(owner, 1);
    const path = `/api/sessions/${sessionId}/animation`;

    const foreign = await request(ctx.app)
      .post(path)
      .set('Authorization', other.auth)
      .send({ kind: 'gif' });
    expect(foreign.status).toBe(404);
    const foreignGet = await request(ctx.app)
      .get(path)
      .query({ kind: 'gif' })
      .set('Authorization', other.auth);
    expect(foreignGet.status).toBe(404);
    const foreignEvents = await request(ctx.app)
      .get(`${path}/events`)
      .query({ kind: 'gif' })
      .set('Authorization', other.auth);
    expect(foreignEvents.status).toBe(404);

    expect((await request(ctx.app).post(path).send({ kind: 'gif' })).status).toBe(401);

    const bad = await request(ctx.app)
      .post(path)
      .set('Authorization', owner.auth)
      .send({ kind: 'spin', format: 'avi' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(bad.body.details)).toMatch(/kind/);
    expect(JSON.stringify(bad.body.details)).toMatch(/format/);

    const template = await createTemplate(ctx.storage);
    const empty = await request(ctx.app)
      .post('/api/sessions')
      .set('Authorization', owner.auth)
      .send({ sessionName: 'Empty', templateId: String(template._id) });
    const none = await request(ctx.app)
      .post(`/api/sessions/${empty.body.data._id}/animation`)
      .set('Authorization', owner.auth)
      .send({ kind: 'gif' });
    expect(none.status).toBe(400);
    expect(await SessionAnimationModel.countDocuments({ userId: owner.id })).toBe(0);
  });
});

describe('animations in the gallery', () => {
  it('lists them with the composite (signed while private, plain once shared) and deletes them with it', async () => {
    const user = await signIn(ctx, await createUser());
    const sessionId = await sessionWithCaptures(user);
    await request(ctx.app)
      .post(`/api/sessions/${sessionId}/composite`)
      .set('Authorization', user.auth)
      .expect(202);
    await request(ctx.app)
      .post(`/api/sessions/${sessionId}/animation`)
      .set('Authorization', user.auth)
      .send({ kind: 'gif' })
      .expect(202);
    const animation = await finished(user, sessionId, { kind: 'gif' });
    await queueIdle(ctx);

    const mine = await request(ctx.app).get('/api/composites').set('Authorization', user.auth);
    expect(mine.status).toBe(200);
    const composite = mine.body.data.composites.find(
      (c: { sessionId: string }) => c.sessionId === sessionId,
    );
    expect(composite.animations).toHaveLength(1);
    expect(composite.animations[0]).toMatchObject({ _id: animation._id, kind: 'gif' });
    expect(composite.animations[0].url).toMatch(/\/uploads\/s\/\d+\//);
    const plainPath = `/uploads/${animation.url.split('/uploads/s/')[1].split('/').slice(2).join('/')}`;
    expect((await request(ctx.app).get(plainPath)).status).toBe(404);

    const shared = await request(ctx.app)
      .get(`/api/share/${composite._id}`)
      .set('Authorization', user.auth);
    expect(shared.status).toBe(200);
    const visitor = await request(ctx.app).get(`/api/share/public/${composite._id}`);
    expect(visitor.status).toBe(200);
    const publicAnimation = visitor.body.data.composite.animations[0];
    expect(publicAnimation.url).toBe(`http://api.test${plainPath}`);
    const served = await request(ctx.app).get(plainPath).buffer(true).parse(binaryParser);
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('image/webp');

    const key = plainPath.slice('/uploads/'.length);
    expect(await storedKeys(ctx.storage, 'animations')).toContain(key);
    await request(ctx.app)
      .delete(`/api/composites/${composite._id}`)
      .set('Authorization', user.auth)
      .expect(200);
    expect(await SessionAnimationModel.countDocuments({ sessionId })).toBe(0);
    expect(await storedKeys(ctx.storage, 'animations')).not.toContain(key);
  });
});
