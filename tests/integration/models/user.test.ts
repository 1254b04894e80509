import mongoose from 'mongoose';
import {
  applyMongooseDefaults,
  LOGIN_HISTORY_LIMIT,
  USER_SECRET_PATHS,
  UserModel,
} from '../../../src/models';
import { buildUser } from '../../factories/users.factory';
import { useTestDatabase } from '../../helpers/database';
import { findIndex, invalidPaths, writeErrorCode } from './model-assertions';

applyMongooseDefaults();
useTestDatabase('models_user');

describe('User model', () => {
  it('when a valid user is built, then it passes validation with safe defaults', async () => {
    const user = buildUser();
    expect(await invalidPaths(user)).toEqual([]);
    expect(user.role).toBe('user');
    expect(user.isActive).toBe(true);
    expect(user.isDeleted).toBe(false);
    expect(user.isPremium).toBe(false);
    expect(user.premiumExpiresAt).toBeNull();
    expect(user.tokenVersion).toBe(0);
    // CONTRACT #15: the admin Settings page expects these defaults.
    expect(user.settings?.notifications).toMatchObject({
      emailNotifications: true,
      templateAlerts: true,
      weeklyReports: false,
    });
    expect(user.settings?.theme).toMatchObject({ theme: 'dark', language: 'en' });
  });

  it('when name or email is missing, then both are reported', async () => {
    expect(await invalidPaths(buildUser({ name: undefined, email: undefined }))).toEqual([
      'email',
      'name',
    ]);
  });

  it('when the email has capitals and spaces, then it is stored lower-cased and trimmed', async () => {
    const user = await buildUser({ email: '  Budi.Santoso@Example.CO.ID ' }).save();
    const stored = await UserModel.findById(user._id).lean();
    expect(stored?.email).toBe('budi.santoso@example.co.id');
  });

  it('when the email has a long top-level domain, then it is accepted', async () => {
    expect(await invalidPaths(buildUser({ email: 'ayu@studio.photography' }))).toEqual([]);
  });

  it.each(['not-an-email', 'a@b', 'a b@example.com', '@example.com'])(
    'when the email is %p, then it is rejected',
    async (email) => {
      expect(await invalidPaths(buildUser({ email }))).toEqual(['email']);
    },
  );

  it('when the role is not user or admin, then it is rejected', async () => {
    expect(await invalidPaths(buildUser({ role: 'owner' }))).toEqual(['role']);
  });

  it('when the name is longer than 50 characters, then it is rejected', async () => {
    expect(await invalidPaths(buildUser({ name: 'x'.repeat(51) }))).toEqual(['name']);
  });

  it('when a new account has neither password nor googleId, then password is required', async () => {
    expect(await invalidPaths(buildUser({ password: undefined }))).toEqual(['password']);
  });

  it('when a new account signs in with Google only, then no password is needed', async () => {
    expect(
      await invalidPaths(buildUser({ password: undefined, googleId: 'google-sub-1' })),
    ).toEqual([]);
  });

  it('when an existing user is loaded without its hash and saved, then validation still passes', async () => {
    const user = await buildUser().save();
    const loaded = await UserModel.findById(user._id).orFail();
    loaded.name = 'Renamed';
    await expect(loaded.save()).resolves.toBeDefined();
  });

  it('when loginHistory exceeds its bound, then it is rejected', async () => {
    const entries = Array.from({ length: LOGIN_HISTORY_LIMIT + 1 }, () => ({
      loginAt: new Date(),
      method: 'password',
    }));
    expect(await invalidPaths(buildUser({ loginHistory: entries }))).toEqual(['loginHistory']);
  });

  it('when a user is read by default, then no secret is selected', async () => {
    const user = await buildUser({
      loginHistory: [
        { loginAt: new Date(), ipAddress: '10.0.0.1', userAgent: 'jest', method: 'password' },
      ],
      passwordChangedAt: new Date(),
      emailVerificationTokenHash: 'a'.repeat(64),
      emailVerificationExpiresAt: new Date(),
      passwordResetTokenHash: 'b'.repeat(64),
      passwordResetExpiresAt: new Date(),
    }).save();

    const lean = await UserModel.findById(user._id).lean().orFail();
    for (const path of USER_SECRET_PATHS) expect(lean).not.toHaveProperty(path);
    expect(lean).toHaveProperty('email');

    const raw = await UserModel.collection.findOne({ _id: user._id });
    for (const path of USER_SECRET_PATHS) expect(raw).toHaveProperty(path);
  });

  it('when secrets are explicitly selected, then toJSON still omits them and __v', async () => {
    const user = await buildUser({
      passwordResetTokenHash: 'c'.repeat(64),
      passwordChangedAt: new Date(),
    }).save();
    const loaded = await UserModel.findById(user._id)
      .select(USER_SECRET_PATHS.map((path) => `+${path}`).join(' '))
      .orFail();
    expect(loaded.password).toMatch(/^\$argon2id\$/);

    const json = loaded.toJSON();
    for (const path of USER_SECRET_PATHS) expect(json).not.toHaveProperty(path);
    expect(json).not.toHaveProperty('__v');
    expect(JSON.parse(JSON.stringify(loaded))).not.toHaveProperty('password');
    expect(json).toMatchObject({ email: user.email, name: user.name });
  });

  it('when a second account uses the same email in another case, then the write fails with 11000', async () => {
    await buildUser({ email: 'dup@karyaklik.test' }).save();
    expect(await writeErrorCode(buildUser({ email: 'DUP@karyaklik.test' }).save())).toBe(11000);
  });

  it('when two accounts have no googleId, then both are stored', async () => {
    await buildUser({ email: 'nogoogle1@karyaklik.test' }).save();
    await expect(buildUser({ email: 'nogoogle2@karyaklik.test' }).save()).resolves.toBeDefined();
    // Server-built operators must be marked trusted because sanitizeFilter is on.
    const withoutGoogle = await UserModel.countDocuments({
      googleId: mongoose.trusted({ $exists: false }),
    });
    expect(withoutGoogle).toBeGreaterThanOrEqual(2);
  });

  it('when two accounts share a googleId, then the write fails with 11000', async () => {
    await buildUser({ googleId: 'google-sub-dup' }).save();
    expect(await writeErrorCode(buildUser({ googleId: 'google-sub-dup' }).save())).toBe(11000);
  });

  it('when the database lists the indexes, then email is unique and googleId unique only where it is a string', async () => {
    expect(await findIndex(UserModel, { email: 1 })).toMatchObject({ unique: true });
    const google = await findIndex(UserModel, { googleId: 1 });
    expect(google).toMatchObject({
      unique: true,
      partialFilterExpression: { googleId: { $type: 'string' } },
    });
    expect(await findIndex(UserModel, { isDeleted: 1, createdAt: -1 })).toBeDefined();
  });

  it('when an update sets an unknown role, then the update validator rejects it', async () => {
    const user = await buildUser().save();
    await expect(
      UserModel.updateOne({ _id: user._id }, { $set: { role: 'root' } }),
    ).rejects.toThrow(/role/);
    expect((await UserModel.findById(user._id).lean())?.role).toBe('user');
  });

  it('when a filter carries an operator object as a value, then sanitizeFilter neutralises it', async () => {
    await buildUser({ email: 'victim@karyaklik.test' }).save();
    const injected = { $ne: 'nobody@karyaklik.test' } as unknown as string;
    const found = await UserModel.findOne({ email: injected })
      .lean()
      .catch(() => null);
    expect(found).toBeNull();
  });
});
