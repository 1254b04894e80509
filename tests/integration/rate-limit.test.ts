import type { Express } from 'express';
import request from 'supertest';
import { buildApp } from '../../src/app';
import type { Config } from '../../src/config';
import { createRedis } from '../../src/lib/redis';
import { createUser, DEFAULT_PASSWORD, uniqueEmail } from '../factories/users.factory';
import { useTestContext } from '../helpers/context';

// One proxy hop is trusted, so tests choose the client address with X-Forwarded-For.
const ctx = useTestContext('rate_limit', { RATE_LIMIT_ENABLED: 'true', TRUST_PROXY: '1' });

let appSequence = 0;
/** An app whose limiter counters start from zero (its own Redis key prefix). */
function freshApp(authLimits: Partial<Config['authLimits']> = {}): Express {
  appSequence += 1;
  return buildApp({
    ...ctx,
    config: {
      ...ctx.config,
      queuePrefix: `${ctx.config.queuePrefix}:app${appSequence}`,
      authLimits: { ...ctx.config.authLimits, ...authLimits },
    },
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

  it('limits login attempts per address at LOGIN_ATTEMPTS_PER_IP (a flood guard)', async () => {
    const app = freshApp({ loginAttemptsPerIp: 5 });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1)
      statuses.push((await badLogin(app, uniqueEmail('spray'))).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
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

describe('limits that fit a venue', () => {
  it('300 guests sign up and log in from one address without a 429, while 50 wrong passwords on the admin from another address are refused for that account there only', async () => {
    const app = freshApp();
    const venue = '203.0.113.7';
    const attacker = '198.51.100.9';
    const admin = await createUser({ role: 'admin' });

    const guess = async () =>
      (
        await request(app)
          .post('/api/auth/login')
          .set('X-Forwarded-For', attacker)
          .send({ email: admin.email, password: 'not-the-password' })
      ).status;
    const guesses: number[] = [];
    for (let i = 0; i < 50; i += 1) guesses.push(await guess());
    const limit = ctx.config.authLimits.loginFailuresPerAccount;
    expect(guesses.slice(0, limit).every((s) => s === 401)).toBe(true);
    expect(guesses.slice(limit).every((s) => s === 429)).toBe(true);

    // The admin, from the venue, is not locked out by the guessing elsewhere.
    const adminLogin = await request(app)
      .post('/api/auth/login')
      .set('X-Forwarded-For', venue)
      .send({ email: admin.email, password: DEFAULT_PASSWORD });
    expect(adminLogin.status).toBe(200);
    // Another account logs in from the guessing address: failures of others never refuse it.
    const bystander = await createUser();
    const fromAttackerIp = await request(app)
      .post('/api/auth/login')
      .set('X-Forwarded-For', attacker)
      .send({ email: bystander.email, password: DEFAULT_PASSWORD });
    expect(fromAttackerIp.status).toBe(200);

    const statuses: number[] = [];
    const guest = async (n: number) => {
      const email = uniqueEmail(`guest${n}`);
      const signup = await request(app)
        .post('/api/auth/register')
        .set('X-Forwarded-For', venue)
        .send({ name: `Guest ${n}`, email, password: 'guest-password-1' });
      const login = await request(app)
        .post('/api/auth/login')
        .set('X-Forwarded-For', venue)
        .send({ email, password: 'guest-password-1' });
      statuses.push(signup.status, login.status);
    };
    for (let n = 0; n < 300; n += 6) await Promise.all([0, 1, 2, 3, 4, 5].map((i) => guest(n + i)));
    expect(statuses).toHaveLength(600);
    expect(statuses.filter((s) => s === 429)).toEqual([]);
    expect(new Set(statuses)).toEqual(new Set([200, 201]));

    // Still refused for the admin from the guessing address.
    expect(await guess()).toBe(429);
  }, 600_000);
});
