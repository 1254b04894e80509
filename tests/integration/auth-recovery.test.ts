import request from 'supertest';
import { RefreshTokenModel } from '../../src/models/refresh-token.model';
import { UserModel } from '../../src/models/user.model';
import { forgotPassword } from '../../src/modules/auth/auth.service';
import { sha256 } from '../../src/modules/auth/secrets';
import { bearer, createUser, uniqueEmail } from '../factories/users.factory';
import { appWithOutbox } from '../helpers/outbox';
import { useTestContext } from '../helpers/context';
import { authRequests } from '../helpers/auth-requests';

// E-mail verification, password reset, refresh tokens and logout.
const ctx = useTestContext('auth_recovery', { RATE_LIMIT_ENABLED: 'false' });
const { app, outbox } = appWithOutbox(ctx);
const { signUp, logIn } = authRequests(app);

describe('e-mail verification (#7)', () => {
  it('verifies the address once with the mailed token', async () => {
    const email = uniqueEmail('verify');
    await signUp(email);
    const token = outbox.tokenSentTo(email);
    const res = await request(app()).get(`/api/auth/verify-email?token=${token}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, message: expect.any(String) });
    expect(res.body.data.user).toMatchObject({
      id: expect.any(String),
      name: 'Sari Dewi',
      email,
      isEmailVerified: true,
    });
    expect((await UserModel.findOne({ email }).lean())?.isEmailVerified).toBe(true);

    const again = await request(app()).get(`/api/auth/verify-email?token=${token}`);
    expect(again.status).toBe(400);
    expect(again.body.message).toMatch(/invalid or expired/i);
  });

  it('refuses an expired token and a missing one with 400', async () => {
    const email = uniqueEmail('late');
    await signUp(email);
    await UserModel.updateOne(
      { email },
      { $set: { emailVerificationExpiresAt: new Date(Date.now() - 1000) } },
    );
    expect(
      (await request(app()).get(`/api/auth/verify-email?token=${outbox.tokenSentTo(email)}`))
        .status,
    ).toBe(400);
    expect((await request(app()).get('/api/auth/verify-email')).status).toBe(400);
  });
});

describe('forgot and reset password (#5, #6)', () => {
  it('answers known and unknown addresses the same way, mails a reset link, and never returns the token outside development', async () => {
    const user = await createUser();
    const known = await request(app())
      .post('/api/auth/forgot-password')
      .send({ email: user.email });
    const unknown = await request(app())
      .post('/api/auth/forgot-password')
      .send({ email: uniqueEmail('nobody') });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    expect(known.body.message).toBe(unknown.body.message);
    expect(known.body.success).toBe(true);
    expect(known.body.data?.resetToken).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(outbox.last(user.email)?.link).toMatch(/^http:\/\/app\.test\/reset-password\?token=/);
  });

  it('returns data.resetToken in development only (CONTRACT #5)', async () => {
    const user = await createUser();
    const deps = {
      config: { ...ctx.config, env: 'development' as const },
      logger: ctx.logger,
      mailer: { send: async () => undefined, deliver: async () => undefined },
    };
    const result = await forgotPassword(user.email, deps);
    expect(result.resetToken).toEqual(expect.any(String));
    const stored = await UserModel.findById(user._id).select('+passwordResetTokenHash').lean();
    expect(stored?.passwordResetTokenHash).toBe(sha256(result.resetToken ?? ''));
  });

  it('resets the password once, ends older sessions, and the new password works', async () => {
    const user = await createUser();
    const login = await logIn(user.email);
    const oldToken = login.body.data.token;
    await request(app()).post('/api/auth/forgot-password').send({ email: user.email });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const token = outbox.tokenSentTo(user.email);

    const res = await request(app())
      .post('/api/auth/reset-password')
      .send({ token, newPassword: 'brand-new-pass-9' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, message: expect.any(String) });
    expect((await logIn(user.email, 'brand-new-pass-9')).status).toBe(200);
    expect((await logIn(user.email)).status).toBe(401);
    expect((await request(app()).get('/api/auth/verify').set(bearer(oldToken))).status).toBe(401);
    const refresh = await request(app())
      .post('/api/auth/refresh')
      .send({ refreshToken: login.body.data.refreshToken });
    expect(refresh.status).toBe(401);

    const again = await request(app())
      .post('/api/auth/reset-password')
      .send({ token, newPassword: 'another-pass-10' });
    expect(again.status).toBe(400);
  });

  it('refuses a short password, a missing token and an expired token with 400', async () => {
    const user = await createUser();
    await request(app()).post('/api/auth/forgot-password').send({ email: user.email });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const token = outbox.tokenSentTo(user.email);
    expect(
      (await request(app()).post('/api/auth/reset-password').send({ token, newPassword: 'short' }))
        .status,
    ).toBe(400);
    expect(
      (await request(app()).post('/api/auth/reset-password').send({ newPassword: 'long-enough-1' }))
        .status,
    ).toBe(400);
    await UserModel.updateOne(
      { _id: user._id },
      { $set: { passwordResetExpiresAt: new Date(Date.now() - 1000) } },
    );
    expect(
      (
        await request(app())
          .post('/api/auth/reset-password')
          .send({ token, newPassword: 'long-enough-1' })
      ).status,
    ).toBe(400);
    expect((await request(app()).post('/api/auth/forgot-password').send({})).status).toBe(400);
  });
});

describe('refresh tokens and logout (§21)', () => {
  it('rotates the refresh token and the new access token works', async () => {
    const user = await createUser();
    const login = await logIn(user.email);
    const res = await request(app())
      .post('/api/auth/refresh')
      .send({ refreshToken: login.body.data.refreshToken });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      token: expect.any(String),
      refreshToken: expect.any(String),
      user: { id: String(user._id) },
    });
    expect(res.body.data.refreshToken).not.toBe(login.body.data.refreshToken);
    expect(
      (await request(app()).get('/api/auth/verify').set(bearer(res.body.data.token))).status,
    ).toBe(200);
    expect(await RefreshTokenModel.countDocuments({ userId: user._id })).toBe(2);
  });

  it('when a rotated refresh token is used again, then the whole family is revoked', async () => {
    const user = await createUser();
    const first = (await logIn(user.email)).body.data.refreshToken;
    const second = (await request(app()).post('/api/auth/refresh').send({ refreshToken: first }))
      .body.data.refreshToken;

    const reuse = await request(app()).post('/api/auth/refresh').send({ refreshToken: first });
    expect(reuse.status).toBe(401);
    const legit = await request(app()).post('/api/auth/refresh').send({ refreshToken: second });
    expect(legit.status).toBe(401);
    const tokens = await RefreshTokenModel.find({ userId: user._id }).lean();
    expect(tokens.every((t) => t.revokedAt instanceof Date)).toBe(true);
  });

  it('when one refresh token is used 8 times at once, then exactly one use succeeds', async () => {
    const user = await createUser();
    const refreshToken = (await logIn(user.email)).body.data.refreshToken;
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        request(app()).post('/api/auth/refresh').send({ refreshToken }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 401)).toHaveLength(7);
  });

  it('refuses an unknown refresh token, one of a blocked account, and a missing one', async () => {
    expect(
      (
        await request(app())
          .post('/api/auth/refresh')
          .send({ refreshToken: 'x'.repeat(43) })
      ).status,
    ).toBe(401);
    expect((await request(app()).post('/api/auth/refresh').send({})).status).toBe(400);
    const user = await createUser();
    const refreshToken = (await logIn(user.email)).body.data.refreshToken;
    await UserModel.updateOne({ _id: user._id }, { $set: { isActive: false } });
    expect((await request(app()).post('/api/auth/refresh').send({ refreshToken })).status).toBe(
      401,
    );
  });

  it('logout revokes the refresh token; logout on all devices also ends every access token', async () => {
    const user = await createUser();
    const one = (await logIn(user.email)).body.data;
    const two = (await logIn(user.email)).body.data;
    const out = await request(app())
      .post('/api/auth/logout')
      .set(bearer(one.token))
      .send({ refreshToken: one.refreshToken });
    expect(out.status).toBe(200);
    expect(out.body.success).toBe(true);
    expect(
      (await request(app()).post('/api/auth/refresh').send({ refreshToken: one.refreshToken }))
        .status,
    ).toBe(401);
    expect((await request(app()).get('/api/auth/verify').set(bearer(two.token))).status).toBe(200);

    const everywhere = await request(app())
      .post('/api/auth/logout')
      .set(bearer(two.token))
      .send({ allDevices: true });
    expect(everywhere.status).toBe(200);
    expect((await request(app()).get('/api/auth/verify').set(bearer(two.token))).status).toBe(401);
    expect((await request(app()).get('/api/auth/verify').set(bearer(one.token))).status).toBe(401);
    expect(
      (await request(app()).post('/api/auth/refresh').send({ refreshToken: two.refreshToken }))
        .status,
    ).toBe(401);
  });

  it('logout needs a token (401)', async () => {
    expect((await request(app()).post('/api/auth/logout').send({})).status).toBe(401);
  });
});
