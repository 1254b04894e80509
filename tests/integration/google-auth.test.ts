import request from 'supertest';
import { NotificationModel } from '../../src/models/notification.model';
import { UserModel } from '../../src/models/user.model';
import {
  bearer,
  createAdmin,
  createUser,
  DEFAULT_PASSWORD,
  uniqueEmail,
} from '../factories/users.factory';
import { useTestContext } from '../helpers/context';
import { useOAuthProvider } from '../helpers/oauth-provider';

const provider = useOAuthProvider();
const ctx = useTestContext('google_auth', provider.env);
const RETURN_TO = 'http://app.test/auth/google/done';

let subSequence = 0;
const newSub = () => `google-sub-${Date.now()}-${(subSequence += 1)}`;

describe('POST /api/auth/google with an ID token (#4)', () => {
  it('creates a Google-only account and answers A-top {success, message, token, user} without data', async () => {
    const admin = await createAdmin();
    const email = uniqueEmail('gnew');
    const sub = newSub();
    const idToken = await provider.idToken({
      sub,
      email,
      name: 'Budi Santoso',
      picture: 'https://lh3.googleusercontent.test/a/photo.jpg',
    });
    const res = await request(ctx.app).post('/api/auth/google').send({ token: idToken });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      success: true,
      message: expect.any(String),
      token: expect.any(String),
    });
    expect(res.body.data).toBeUndefined();
    expect(res.body.user).toMatchObject({
      id: expect.any(String),
      name: 'Budi Santoso',
      email,
      role: 'user',
      profilePicture: 'https://lh3.googleusercontent.test/a/photo.jpg',
      isEmailVerified: true,
    });
    const stored = await UserModel.findOne({ email }).select('+password').lean();
    expect(stored).toMatchObject({ googleId: sub, isEmailVerified: true });
    expect(stored?.password).toBeUndefined();
    expect(
      await NotificationModel.countDocuments({ userId: res.body.user.id, type: 'system' }),
    ).toBe(1);
    const adminNote = await NotificationModel.findOne({
      userId: String(admin._id),
      'data.kind': 'sign-up',
      'data.latest.userId': res.body.user.id,
    }).lean();
    expect(adminNote).toMatchObject({ type: 'user', title: expect.stringMatching(/new account/) });
    expect(adminNote?.message).toContain(res.body.user.email);

    const verify = await request(ctx.app).get('/api/auth/verify').set(bearer(res.body.token));
    expect(verify.status).toBe(200);
    expect(verify.body.data.user.id).toBe(res.body.user.id);

    const again = await request(ctx.app)
      .post('/api/auth/google')
      .send({ token: await provider.idToken({ sub, email }) });
    expect(again.status).toBe(200);
    expect(again.body.user.id).toBe(res.body.user.id);
  });

  it('links Google to an existing password account when Google says the e-mail is verified', async () => {
    const user = await createUser();
    const sub = newSub();
    const res = await request(ctx.app)
      .post('/api/auth/google')
      .send({ token: await provider.idToken({ sub, email: user.email, email_verified: true }) });
    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(String(user._id));
    const stored = await UserModel.findById(user._id).select('+password').lean();
    expect(stored).toMatchObject({ googleId: sub, isEmailVerified: true });
    expect(stored?.password).toMatch(/^\$argon2id\$/);
    const login = await request(ctx.app)
      .post('/api/auth/login')
      .send({ email: user.email, password: DEFAULT_PASSWORD });
    expect(login.status).toBe(200);
  });

  it('refuses to link when Google has not verified the e-mail of an existing account (409)', async () => {
    const user = await createUser();
    const res = await request(ctx.app)
      .post('/api/auth/google')
      .send({
        token: await provider.idToken({ sub: newSub(), email: user.email, email_verified: false }),
      });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      success: false,
      message: expect.stringMatching(/not verified/i),
    });
    expect((await UserModel.findById(user._id).lean())?.googleId).toBeUndefined();
  });

  it.each([
    ['a wrong audience', { aud: 'someone-elses-client-id' }, {}, /invalid_token/],
    ['an expired token', {}, { expiresIn: -120 }, /invalid_token/],
    ['a wrong issuer', { iss: 'https://accounts.evil.test' }, {}, /invalid_token/],
    [
      'a token issued in the future',
      { iat: Math.floor(Date.now() / 1000) + 600 },
      {},
      /Token used too early/,
    ],
    [
      'a token not valid yet',
      { nbf: Math.floor(Date.now() / 1000) + 600 },
      {},
      /Token used too early/,
    ],
  ])('answers 401 for %s', async (_label, claims, options, message) => {
    const res = await request(ctx.app)
      .post('/api/auth/google')
      .send({
        token: await provider.idToken(
          { sub: newSub(), email: uniqueEmail('bad'), ...claims },
          options,
        ),
      });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ success: false, message: expect.stringMatching(message) });
  });

  it('answers 401 for a token whose signature was tampered with, and 400 without a token', async () => {
    const token = await provider.idToken({ sub: newSub(), email: uniqueEmail('tamper') });
    const [header, payload] = token.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()),
        email: 'admin@karyaklik.test',
      }),
    ).toString('base64url');
    const forged = await request(ctx.app)
      .post('/api/auth/google')
      .send({ token: `${header}.${forgedPayload}.${token.split('.')[2]}` });
    expect(forged.status).toBe(401);
    expect((await request(ctx.app).post('/api/auth/google').send({})).status).toBe(400);
    expect(
      (await request(ctx.app).post('/api/auth/google').send({ token: 'not.a.jwt' })).status,
    ).toBe(401);
  });

  it('refuses a deleted account with 401 and does not link Google to it', async () => {
    const user = await createUser({ isDeleted: true, isActive: false });
    const res = await request(ctx.app)
      .post('/api/auth/google')
      .send({ token: await provider.idToken({ sub: newSub(), email: user.email }) });
    expect(res.status).toBe(401);
    expect((await UserModel.findById(user._id).lean())?.googleId).toBeUndefined();
  });

  it('refuses a deactivated account with 403', async () => {
    const sub = newSub();
    const user = await createUser({ googleId: sub, isActive: false });
    const res = await request(ctx.app)
      .post('/api/auth/google')
      .send({ token: await provider.idToken({ sub, email: user.email }) });
    expect(res.status).toBe(403);
  });
});

/** Runs start → provider authorize → our callback; returns the callback's response. */
async function runRedirectFlow(userinfo: Record<string, unknown>, returnTo = RETURN_TO) {
  await provider.setUserinfo(userinfo);
  const start = await request(ctx.app).get('/api/auth/google/start').query({ returnTo });
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.location ?? '');
  expect(authorize.origin + authorize.pathname).toBe(`${provider.url}/authorize`);
  expect(authorize.searchParams.get('redirect_uri')).toBe(
    'http://api.test/api/auth/google/callback',
  );
  expect(authorize.searchParams.get('client_id')).toBe(ctx.config.google.clientId);
  expect(authorize.searchParams.get('state')).toEqual(expect.any(String));

  const consent = await fetch(authorize, { redirect: 'manual' });
  const callback = new URL(consent.headers.get('location') ?? '');
  expect(callback.pathname).toBe('/api/auth/google/callback');
  const res = await request(ctx.app).get(`${callback.pathname}${callback.search}`);
  return {
    res,
    callbackPath: `${callback.pathname}${callback.search}`,
    state: authorize.searchParams.get('state') ?? '',
  };
}

describe('redirect flow: /api/auth/google/start → callback → exchange (§21)', () => {
  it('signs in, sends the browser back with a one-time code (no token in any URL), and the code works once', async () => {
    const email = uniqueEmail('redirect');
    const { res, callbackPath } = await runRedirectFlow({
      sub: newSub(),
      email,
      email_verified: true,
      name: 'Rina Redirect',
    });
    expect(res.status).toBe(302);
    const back = new URL(res.headers.location ?? '');
    expect(back.origin + back.pathname).toBe(RETURN_TO);
    const code = back.searchParams.get('code');
    expect(code).toEqual(expect.any(String));
    expect(res.headers.location).not.toMatch(/token|eyJ/);

    const exchange = await request(ctx.app).post('/api/auth/google/exchange').send({ code });
    expect(exchange.status).toBe(200);
    expect(exchange.body.data).toMatchObject({
      token: expect.any(String),
      refreshToken: expect.any(String),
      user: { email, name: 'Rina Redirect', role: 'user' },
    });
    expect(
      (await request(ctx.app).get('/api/auth/verify').set(bearer(exchange.body.data.token))).status,
    ).toBe(200);

    const replayedCode = await request(ctx.app).post('/api/auth/google/exchange').send({ code });
    expect(replayedCode.status).toBe(400);
    expect(replayedCode.body.success).toBe(false);

    const replayedState = await request(ctx.app).get(callbackPath);
    expect(replayedState.status).toBe(400);
    expect(replayedState.headers.location).toBeUndefined();
  });

  it('links by verified e-mail and refuses an unverified e-mail that matches an account', async () => {
    const linked = await createUser();
    const linkSub = newSub();
    const ok = await runRedirectFlow({ sub: linkSub, email: linked.email, email_verified: true });
    const code = new URL(ok.res.headers.location ?? '').searchParams.get('code');
    const exchange = await request(ctx.app).post('/api/auth/google/exchange').send({ code });
    expect(exchange.body.data.user.id).toBe(String(linked._id));
    expect((await UserModel.findById(linked._id).lean())?.googleId).toBe(linkSub);

    const victim = await createUser();
    const refused = await runRedirectFlow({
      sub: newSub(),
      email: victim.email,
      email_verified: false,
    });
    expect(refused.res.status).toBe(302);
    const back = new URL(refused.res.headers.location ?? '');
    expect(back.searchParams.get('error')).toBe('conflict');
    expect(back.searchParams.get('code')).toBeNull();
    expect((await UserModel.findById(victim._id).lean())?.googleId).toBeUndefined();
  });

  it('answers 400 to a forged or missing state, without redirecting anywhere', async () => {
    const forged = await request(ctx.app)
      .get('/api/auth/google/callback')
      .query({ code: 'provider-code', state: 'forged-state-value' });
    expect(forged.status).toBe(400);
    expect(forged.body).toMatchObject({ success: false, message: expect.stringMatching(/state/) });
    const missing = await request(ctx.app)
      .get('/api/auth/google/callback')
      .query({ code: 'provider-code' });
    expect(missing.status).toBe(400);
  });

  it('sends the browser back with an error when the person cancels at Google', async () => {
    const start = await request(ctx.app)
      .get('/api/auth/google/start')
      .query({ returnTo: RETURN_TO });
    const state = new URL(start.headers.location ?? '').searchParams.get('state');
    const res = await request(ctx.app)
      .get('/api/auth/google/callback')
      .query({ error: 'access_denied', state });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.location ?? '').searchParams.get('error')).toBe('access_denied');
  });

  it('refuses return URLs outside the allow-list', async () => {
    for (const returnTo of [
      'https://evil.test/steal',
      'http://app.test.evil.test/',
      'javascript:alert(1)',
    ]) {
      const res = await request(ctx.app).get('/api/auth/google/start').query({ returnTo });
      expect(res.status).toBe(400);
      expect(res.headers.location).toBeUndefined();
    }
  });

  it('refuses an unknown exchange code with 400', async () => {
    const res = await request(ctx.app)
      .post('/api/auth/google/exchange')
      .send({ code: 'never-issued-code-123' });
    expect(res.status).toBe(400);
  });
});
