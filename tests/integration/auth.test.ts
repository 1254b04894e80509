import request from 'supertest';
import { NotificationModel } from '../../src/models/notification.model';
import { UserModel } from '../../src/models/user.model';
import { sha256 } from '../../src/modules/auth/secrets';
import {
  bearer,
  createAdmin,
  createUser,
  DEFAULT_PASSWORD,
  tokenFor,
  uniqueEmail,
} from '../factories/users.factory';
import { appWithOutbox } from '../helpers/outbox';
import { useTestContext } from '../helpers/context';
import { authRequests } from '../helpers/auth-requests';

// Register, log in, verify a token; recovery and refresh tokens are in auth-recovery.test.ts.
const ctx = useTestContext('auth', { RATE_LIMIT_ENABLED: 'false' });
const { app, outbox } = appWithOutbox(ctx);
const { signUp, logIn } = authRequests(app);

describe('POST /api/auth/register (#1)', () => {
  it('creates the account with an argon2id hash and answers 201 with data.user', async () => {
    const admin = await createAdmin();
    const email = uniqueEmail('sari');
    const res = await signUp(email.toUpperCase());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ success: true, message: expect.any(String) });
    expect(res.body.data.user).toMatchObject({
      id: expect.any(String),
      name: 'Sari Dewi',
      email,
      role: 'user',
      createdAt: expect.any(String),
    });
    expect(res.body.data.token).toBeUndefined();
    expect(JSON.stringify(res.body)).not.toMatch(/password|argon2/i);

    const stored = await UserModel.findOne({ email })
      .select('+password +emailVerificationTokenHash')
      .lean();
    expect(stored?.password).toMatch(/^\$argon2id\$/);
    expect(stored?.isEmailVerified).toBe(false);

    const mail = outbox.last(email);
    expect(mail?.link).toMatch(/^http:\/\/app\.test\/verify-email\?token=/);
    expect(stored?.emailVerificationTokenHash).toBe(sha256(outbox.tokenSentTo(email) ?? ''));

    const welcome = await NotificationModel.findOne({ userId: String(stored?._id) }).lean();
    expect(welcome).toMatchObject({ type: 'system', isRead: false });
    const adminNote = await NotificationModel.findOne({
      userId: String(admin._id),
      type: 'user',
    }).lean();
    expect(adminNote?.message).toContain(email);
  });

  it.each([
    [{ email: uniqueEmail(), password: 'long-enough-1' }, 'name'],
    [{ name: 'Sari', password: 'long-enough-1' }, 'email'],
    [{ name: 'Sari', email: 'not-an-email', password: 'long-enough-1' }, 'email'],
    [{ name: 'Sari', email: uniqueEmail(), password: 'short' }, 'password'],
    [{ name: 'S', email: uniqueEmail(), password: 'long-enough-1' }, 'name'],
    [{ name: 'x'.repeat(51), email: uniqueEmail(), password: 'long-enough-1' }, 'name'],
  ])('answers 400 with a message for %j', async (body, field) => {
    const res = await request(app()).post('/api/auth/register').send(body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      success: false,
      message: expect.any(String),
      code: 'VALIDATION_FAILED',
    });
    expect(res.body.details.some((e: { field: string }) => e.field === `body.${field}`)).toBe(true);
  });

  it('answers 409 for an address that is already registered (any case)', async () => {
    const user = await createUser();
    const res = await signUp(user.email.toUpperCase());
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ success: false, message: 'Email is already registered' });
  });

  it('when 10 sign-ups with one address arrive at once, then exactly one gets 201 and the rest 409', async () => {
    const email = uniqueEmail('race');
    const results = await Promise.all(Array.from({ length: 10 }, () => signUp(email)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(9);
    expect(await UserModel.countDocuments({ email })).toBe(1);
  });

  it('refuses operator payloads with 400 before touching the database', async () => {
    const exists = jest.spyOn(UserModel, 'exists');
    const findOne = jest.spyOn(UserModel, 'findOne');
    try {
      const register = await request(app())
        .post('/api/auth/register')
        .send({ name: 'Eve', email: { $ne: null }, password: 'long-enough-1' });
      const login = await request(app())
        .post('/api/auth/login')
        .send({ email: { $ne: null }, password: { $ne: null } });
      const forgot = await request(app())
        .post('/api/auth/forgot-password')
        .send({ email: { $gt: '' } });
      expect([register.status, login.status, forgot.status]).toEqual([400, 400, 400]);
      expect(exists).not.toHaveBeenCalled();
      expect(findOne).not.toHaveBeenCalled();
    } finally {
      exists.mockRestore();
      findOne.mockRestore();
    }
  });
});

describe('POST /api/auth/login (#2, #2b)', () => {
  it('answers 200 with data.token, data.user and the same token and user at the top level', async () => {
    const user = await createUser({
      isPremium: true,
      premiumExpiresAt: new Date(Date.now() + 86_400_000),
      profilePicture: 'http://api.test/uploads/profiles/aa/x.jpg',
    });
    const res = await logIn(user.email.toUpperCase());
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    const { token, user: dto, refreshToken } = res.body.data;
    expect(typeof token).toBe('string');
    expect(typeof refreshToken).toBe('string');
    expect(dto).toMatchObject({
      id: String(user._id),
      name: user.name,
      email: user.email,
      role: 'user',
      profilePicture: 'http://api.test/uploads/profiles/aa/x.jpg',
      isEmailVerified: false,
      isPremium: true,
      premiumExpiresAt: expect.any(String),
      createdAt: expect.any(String),
    });
    expect(res.body.token).toBe(token);
    expect(res.body.user).toEqual(dto);

    const verify = await request(app()).get(`/api/auth/verify?t=${Date.now()}`).set(bearer(token));
    expect(verify.status).toBe(200);
  });

  it('signs tokens with the client payload (userId, email, name, role) and the token version', async () => {
    const user = await createUser();
    const res = await logIn(user.email);
    const payload = JSON.parse(
      Buffer.from(res.body.data.token.split('.')[1], 'base64url').toString(),
    );
    expect(payload).toMatchObject({
      userId: String(user._id),
      email: user.email,
      name: user.name,
      role: 'user',
      tv: 0,
    });
    expect(payload.exp - payload.iat).toBe(7 * 24 * 3600);
  });

  it('records lastLogin and keeps the last 10 logins with ip and user agent', async () => {
    const user = await createUser();
    for (let i = 0; i < 12; i += 1) {
      const res = await request(app())
        .post('/api/auth/login')
        .set('User-Agent', `agent-${i}`)
        .send({ email: user.email, password: DEFAULT_PASSWORD });
      expect(res.status).toBe(200);
    }
    const stored = await UserModel.findById(user._id).select('+loginHistory').lean();
    expect(stored?.lastLogin).toBeInstanceOf(Date);
    expect(stored?.loginHistory).toHaveLength(10);
    expect(stored?.loginHistory?.[9]).toMatchObject({
      userAgent: 'agent-11',
      method: 'password',
      ipAddress: expect.any(String),
    });
    expect(stored?.loginHistory?.[0]?.userAgent).toBe('agent-2');
  });

  it('notifies admins when a user (not an admin) logs in', async () => {
    const admin = await createAdmin();
    const user = await createUser();
    await logIn(user.email);
    await logIn(admin.email);
    const notes = await NotificationModel.find({
      userId: String(admin._id),
      type: 'user',
      'data.kind': 'sign-in',
    }).lean();
    expect(notes.some((n) => n.message.includes(user.email))).toBe(true);
    expect(notes.some((n) => n.message.includes(admin.email))).toBe(false);
  });

  it('answers an unknown e-mail exactly like a wrong password (401, same message)', async () => {
    const user = await createUser();
    const wrong = await logIn(user.email, 'not-the-password');
    const unknown = await logIn(uniqueEmail('ghost'), 'not-the-password');
    const googleOnly = await createUser({ password: null, googleId: 'g-only-1' });
    const noPassword = await logIn(googleOnly.email, 'anything-at-all');
    for (const res of [wrong, unknown, noPassword]) {
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({
        success: false,
        message: 'Invalid email or password',
        code: 'UNAUTHENTICATED',
      });
    }
  });

  it('answers 401 for a deleted account and 403 for a deactivated one', async () => {
    const deleted = await createUser({ isDeleted: true, isActive: false });
    const inactive = await createUser({ isActive: false });
    expect((await logIn(deleted.email)).status).toBe(401);
    const res = await logIn(inactive.email);
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/deactivated/);
  });

  it('answers 400 when the e-mail or password is missing', async () => {
    expect(
      (await request(app()).post('/api/auth/login').send({ email: uniqueEmail() })).status,
    ).toBe(400);
    expect((await request(app()).post('/api/auth/login').send({ password: 'x' })).status).toBe(400);
  });
});

describe('GET /api/auth/verify (#3)', () => {
  it('answers 200 with data.user for a valid token', async () => {
    const user = await createUser();
    const res = await request(app())
      .get(`/api/auth/verify?t=${Date.now()}`)
      .set(bearer(await tokenFor(ctx, user)))
      .set('Cache-Control', 'no-cache')
      .set('Pragma', 'no-cache');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, message: 'Token is valid' });
    expect(res.body.data.user).toMatchObject({
      id: String(user._id),
      name: user.name,
      email: user.email,
      role: 'user',
      profilePicture: null,
      isPremium: false,
      premiumExpiresAt: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
  });

  it('reads an expired Pro as free', async () => {
    const user = await createUser({
      isPremium: true,
      premiumExpiresAt: new Date(Date.now() - 1000),
    });
    const res = await request(app())
      .get('/api/auth/verify')
      .set(bearer(await tokenFor(ctx, user)));
    expect(res.body.data.user.isPremium).toBe(false);
  });

  it.each([
    ['no token', {}],
    ['a malformed token', { Authorization: 'Bearer not-a-jwt' }],
    ['the string null', { Authorization: 'Bearer null' }],
  ])('answers 401 for %s', async (_label, headers) => {
    const res = await request(app()).get('/api/auth/verify').set(headers);
    expect(res.status).toBe(401);
    expect(res.body.success).toBe(false);
  });

  it('when the account is deactivated, deleted or its password changed, then older tokens get 401', async () => {
    for (const change of [
      { isActive: false },
      { isDeleted: true },
      { passwordChangedAt: new Date(Date.now() + 5000) },
    ]) {
      const user = await createUser();
      const token = await tokenFor(ctx, user);
      expect((await request(app()).get('/api/auth/verify').set(bearer(token))).status).toBe(200);
      await UserModel.updateOne({ _id: user._id }, { $set: change });
      const res = await request(app()).get('/api/auth/verify').set(bearer(token));
      expect(res.status).toBe(401);
      expect(res.body.message).toBe('Invalid or expired token');
    }
  });
});
