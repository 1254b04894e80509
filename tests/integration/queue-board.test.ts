import { Worker } from 'bullmq';
import request from 'supertest';
import { createRedis } from '../../src/lib/redis';
import { UserModel } from '../../src/models';
import { createAdmin, createUser, signIn } from '../factories/users.factory';
import { useTestContext } from '../helpers/context';
import { eventually } from '../helpers/eventually';

const ctx = useTestContext('queue_board');
const BOARD = '/api/admin/queues';

/** An admin's one-time link, opened: the session cookie it sets. */
async function openBoardAsAdmin(): Promise<{ cookie: string; adminId: string }> {
  const admin = await signIn(ctx, await createAdmin());
  const link = await request(ctx.app).post(`${BOARD}/session`).set('Authorization', admin.auth);
  expect(link.status).toBe(201);
  const url = new URL(link.body.data.url as string);
  expect(url.pathname).toBe(`${BOARD}/login`);
  const opened = await request(ctx.app).get(`${url.pathname}${url.search}`);
  expect(opened.status).toBe(303);
  expect(opened.headers.location).toBe(`${BOARD}/`);
  const setCookie = ([] as string[]).concat(opened.headers['set-cookie'] ?? []);
  expect(setCookie[0]).toMatch(/HttpOnly/i);
  expect(setCookie[0]).toMatch(/SameSite=Strict/i);
  expect(setCookie[0]).toContain(`Path=${BOARD}`);
  // The link works once only.
  expect((await request(ctx.app).get(`${url.pathname}${url.search}`)).status).toBe(401);
  return { cookie: setCookie[0]!.split(';')[0]!, adminId: admin.id };
}

describe('the queue dashboard', () => {
  it('anonymous → 401, a user → 403, on the board and on the link endpoint', async () => {
    expect((await request(ctx.app).get(`${BOARD}/`)).status).toBe(401);
    expect((await request(ctx.app).get(`${BOARD}/api/queues`)).status).toBe(401);
    expect((await request(ctx.app).post(`${BOARD}/session`)).status).toBe(401);
    const user = await signIn(ctx, await createUser());
    expect((await request(ctx.app).get(`${BOARD}/`).set('Authorization', user.auth)).status).toBe(
      403,
    );
    expect(
      (await request(ctx.app).get(`${BOARD}/api/queues`).set('Authorization', user.auth)).status,
    ).toBe(403);
    expect(
      (await request(ctx.app).post(`${BOARD}/session`).set('Authorization', user.auth)).status,
    ).toBe(403);
    expect(
      (await request(ctx.app).get(`${BOARD}/`).set('Cookie', 'kk_queue_board=forged')).status,
    ).toBe(401);
    expect((await request(ctx.app).get(`${BOARD}/login?code=guessed`)).status).toBe(401);
  });

  it('an admin gets the board through a one-time link, with both queues, and can pause, resume, retry and clean', async () => {
    const { cookie } = await openBoardAsAdmin();
    const page = await request(ctx.app).get(`${BOARD}/`).set('Cookie', cookie);
    expect(page.status).toBe(200);
    expect(page.text).toContain('KaryaKlik queues');
    const queues = await request(ctx.app).get(`${BOARD}/api/queues`).set('Cookie', cookie);
    expect(queues.status).toBe(200);
    const names = (queues.body.queues as { name: string }[]).map((q) => q.name).sort();
    expect(names).toEqual(['background', 'images']);

    // Pause and resume a queue.
    const pause = await request(ctx.app)
      .put(`${BOARD}/api/queues/background/pause`)
      .set('Cookie', cookie);
    expect(pause.status).toBe(200);
    expect(await ctx.jobs.queue('background').isPaused()).toBe(true);
    await request(ctx.app)
      .put(`${BOARD}/api/queues/background/resume`)
      .set('Cookie', cookie)
      .expect(200);
    expect(await ctx.jobs.queue('background').isPaused()).toBe(false);

    // A failed job is retried, then failed jobs are cleaned.
    const queue = ctx.jobs.queue('background');
    const connection = createRedis(ctx.config.redisUrl, 'worker');
    const failing = new Worker(
      'background',
      async () => {
        throw new Error('simulated failure');
      },
      { connection, prefix: ctx.config.queuePrefix },
    );
    await queue.add('remove-files', { keys: [] }, { attempts: 1 });
    await eventually(async () => (await queue.getFailedCount()) === 1);
    await failing.close();
    await connection.quit();
    const retry = await request(ctx.app)
      .put(`${BOARD}/api/queues/background/retry/failed`)
      .set('Cookie', cookie);
    expect(retry.status).toBe(200);
    expect(await queue.getFailedCount()).toBe(0);
    expect(await queue.getWaitingCount()).toBe(1);
    const cleaned = await request(ctx.app)
      .put(`${BOARD}/api/queues/background/clean/completed`)
      .set('Cookie', cookie);
    expect(cleaned.status).toBe(200);
    await queue.add('remove-files', { keys: [] }, { attempts: 1 });
    const clean = await request(ctx.app)
      .put(`${BOARD}/api/queues/background/empty`)
      .set('Cookie', cookie);
    expect(clean.status).toBe(200);
    expect(await queue.getWaitingCount()).toBe(0);
  });

  it('an admin token works on the board directly; a session stops working once its admin is demoted', async () => {
    const admin = await signIn(ctx, await createAdmin());
    expect(
      (await request(ctx.app).get(`${BOARD}/api/queues`).set('Authorization', admin.auth)).status,
    ).toBe(200);
    const { cookie, adminId } = await openBoardAsAdmin();
    expect((await request(ctx.app).get(`${BOARD}/api/queues`).set('Cookie', cookie)).status).toBe(
      200,
    );
    await UserModel.updateOne({ _id: adminId }, { role: 'user' });
    expect((await request(ctx.app).get(`${BOARD}/api/queues`).set('Cookie', cookie)).status).toBe(
      403,
    );
  });
});
