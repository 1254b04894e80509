import type { Express } from 'express';
import request from 'supertest';
import { buildApp } from '../../src/app';
import { createRedis } from '../../src/lib/redis';
import { createUser, DEFAULT_PASSWORD, uniqueEmail } from '../factories/users.factory';
import { useTestContext } from '../helpers/context';

const ctx = useTestContext('rate_limit', { RATE_LIMIT_ENABLED: 'true' });

let appSequence = 0;
/** An app whose limiter counters start from zero (its own Redis key prefix). */
function freshApp(): Express {
  appSequence += 1;
  return buildApp({
    ...ctx,
    config: { ...ctx.config, queuePrefix: `${ctx.config.queuePrefix}:app${appSequence}` },
  });
}

const badLogin = (app: Express, email: string) =>
  request(app).post('/api/auth/login').send({ email, password: 'wrong-password' });

describe('login limits', () => {
  it('when an account has 10 failed logins in a row, then the eleventh attempt answers 429 in envelope A', async () => {
    const app = freshApp();
    const user = await createUser();
    for (let i = 0; i < 10; i += 1) expect((await badLogin(app, user.email)).status).toBe(401);
    const eleventh = await request(app)
      .post('/api/auth/login')
      .send({ email: user.email.toUpperCase(), password: DEFAULT_PASSWORD });
    expect(eleventh.status).toBe(429);
    expect(eleventh.body).toMatchObject({
      success: false,
      message: expect.stringMatching(/too many/i),
      code: 'RATE_LIMITED',
    });
    expect(Number(eleventh.headers['retry-after'])).toBeGreaterThan(0);

    const other = await createUser();
    expect(
      (
        await request(app)
          .post('/api/auth/login')
          .send({ email: other.email, password: DEFAULT_PASSWORD })
      ).status,
    ).toBe(200);
  });

  it("a successful login resets the account's count of failures", async () => {
    const app = freshApp();
    const user = await createUser();
    for (let i = 0; i < 9; i += 1) await badLogin(app, user.email);
    expect(
      (
        await request(app)
          .post('/api/auth/login')
          .send({ email: user.email, password: DEFAULT_PASSWORD })
      ).status,
    ).toBe(200);
    for (let i = 0; i < 10; i += 1) expect((await badLogin(app, user.email)).status).toBe(401);
    expect((await badLogin(app, user.email)).status).toBe(429);
  });

  it('limits failed logins per address across accounts', async () => {
    const app = freshApp();
    const statuses: number[] = [];
    for (let i = 0; i < 51; i += 1)
      statuses.push((await badLogin(app, uniqueEmail('spray'))).status);
    expect(statuses.slice(0, 50).every((s) => s === 401)).toBe(true);
    expect(statuses[50]).toBe(429);
  });

  it('takes about as long for an unknown e-mail as for a wrong password (a dummy hash is verified)', async () => {
    const app = freshApp();
    const user = await createUser();
    const time = async (email: string) => {
      const started = process.hrtime.bigint();
      await badLogin(app, email);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const median = (values: number[]) =>
      [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    const wrong: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      wrong.push(await time(user.email));
      unknown.push(await time(uniqueEmail('nobody')));
    }
    expect(median(unknown)).toBeGreaterThan(median(wrong) * 0.25);
  });
});

describe('register, forgot-password and Google limits', () => {
  it('limits password-reset requests per account (4th in an hour → 429) and per address', async () => {
    const app = freshApp();
    const email = uniqueEmail('forgot');
    for (let i = 0; i < 3; i += 1)
      expect((await request(app).post('/api/auth/forgot-password').send({ email })).status).toBe(
        200,
      );
    const fourth = await request(app).post('/api/auth/forgot-password').send({ email });
    expect(fourth.status).toBe(429);
    expect(fourth.body).toMatchObject({ success: false, code: 'RATE_LIMITED' });

    const other = freshApp();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i += 1)
      statuses.push(
        (
          await request(other)
            .post('/api/auth/forgot-password')
            .send({ email: uniqueEmail('spray') })
        ).status,
      );
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it('limits sign-ups per account', async () => {
    const app = freshApp();
    const email = uniqueEmail('signup');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1)
      statuses.push(
        (
          await request(app)
            .post('/api/auth/register')
            .send({ name: 'Rate Test', email, password: 'long-enough-1' })
        ).status,
      );
    expect(statuses).toEqual([201, 409, 409, 409, 409, 429]);
  });

  it('limits Google sign-in per address', async () => {
    const app = freshApp();
    const statuses: number[] = [];
    for (let i = 0; i < 31; i += 1)
      statuses.push(
        (await request(app).post('/api/auth/google').send({ token: 'not.a.token' })).status,
      );
    expect(statuses.slice(0, 30).every((s) => s !== 429)).toBe(true);
    expect(statuses[30]).toBe(429);
  });

  it('when Redis is down, then limited endpoints fail closed with 503', async () => {
    const deadRedis = createRedis('redis://127.0.0.1:1', 'http');
    const app = buildApp({ ...ctx, redis: deadRedis });
    const res = await request(app)
      .post('/api/auth/login')
      .send({ email: uniqueEmail(), password: 'whatever-123' });
    expect(res.status).toBe(503);
    expect(res.body.success).toBe(false);
    deadRedis.disconnect();
  });
});
