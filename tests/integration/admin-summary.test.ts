import mongoose from 'mongoose';
import request from 'supertest';
import { AnalyticsEventModel } from '../../src/models/analytics-event.model';
import { NotificationModel } from '../../src/models/notification.model';
import { createAdmin, createUser, DEFAULT_PASSWORD, signIn } from '../factories/users.factory';
import { useTestContext } from '../helpers/context';

const ctx = useTestContext('admin_summary', { RATE_LIMIT_ENABLED: 'false' });

interface SummaryDoc {
  summaryKey: string;
  title: string;
  message: string;
  isRead: boolean;
  data: { kind: string; count: number };
}

const summaries = (adminId: string, kind: string) =>
  NotificationModel.find({ userId: adminId, 'data.kind': kind }).lean<SummaryDoc[]>();

describe('rolling admin summaries of sign-ins and sign-ups', () => {
  it('when 200 logins happen within a minute, then each admin has at most one sign-in notification per window, carrying the count', async () => {
    const admins = [await createAdmin(), await createAdmin()];
    const users = await Promise.all(Array.from({ length: 20 }, () => createUser()));
    const logins = users.flatMap((user) => Array.from({ length: 10 }, () => user.email));
    const statuses: number[] = [];
    // Ten at a time, as a burst of real clients would arrive.
    for (let i = 0; i < logins.length; i += 10) {
      const batch = await Promise.all(
        logins
          .slice(i, i + 10)
          .map((email) =>
            request(ctx.app).post('/api/auth/login').send({ email, password: DEFAULT_PASSWORD }),
          ),
      );
      statuses.push(...batch.map((res) => res.status));
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(200);

    for (const admin of admins) {
      const notes = await summaries(String(admin._id), 'sign-in');
      const keys = notes.map((n) => n.summaryKey);
      expect(new Set(keys).size).toBe(keys.length);
      // 200 logins in under a minute touch one window, or two if a window boundary fell inside.
      expect(notes.length).toBeGreaterThanOrEqual(1);
      expect(notes.length).toBeLessThanOrEqual(2);
      expect(notes.reduce((sum, n) => sum + n.data.count, 0)).toBe(200);
      for (const note of notes) {
        expect(note.title).toBe(
          `${note.data.count} user sign-in${note.data.count === 1 ? '' : 's'}`,
        );
        expect(note.message).toMatch(
          new RegExp(`^${note.data.count} user sign-ins? since \\d\\d:\\d\\d WIB; latest: `),
        );
        expect(note.isRead).toBe(false);
      }
    }
    const loginEvents = await AnalyticsEventModel.countDocuments({
      eventType: 'user_login',
      userId: mongoose.trusted({ $in: users.map((u) => String(u._id)) }),
    });
    expect(loginEvents).toBe(200);
  }, 120_000);

  it('when more sign-ins follow after an admin read the summary, then the same notification is unread again with the new count', async () => {
    const admin = await createAdmin();
    const auth = (await signIn(ctx, admin)).auth;
    const user = await createUser();
    const login = () =>
      request(ctx.app)
        .post('/api/auth/login')
        .send({ email: user.email, password: DEFAULT_PASSWORD });
    expect((await login()).status).toBe(200);
    const [first] = await summaries(String(admin._id), 'sign-in');
    expect(first).toBeDefined();
    const bell = await request(ctx.app)
      .get('/api/notifications?limit=10')
      .set('Authorization', auth);
    const shown = bell.body.data.notifications.find(
      (n: { _id: string }) => n._id === String((first as unknown as { _id: unknown })._id),
    );
    expect(shown).toMatchObject({
      type: 'user',
      isRead: false,
      title: expect.stringMatching(/sign-in/),
    });
    await request(ctx.app)
      .post('/api/notifications/mark-read')
      .set('Authorization', auth)
      .send({ markAllAsRead: true });
    const before = (await summaries(String(admin._id), 'sign-in')).reduce(
      (s, n) => s + n.data.count,
      0,
    );
    expect((await login()).status).toBe(200);
    const after = await summaries(String(admin._id), 'sign-in');
    expect(after.reduce((s, n) => s + n.data.count, 0)).toBe(before + 1);
    expect(after.some((n) => !n.isRead)).toBe(true);
  });

  it('sign-ups go to their own summary, and each registration records user_register', async () => {
    const admin = await createAdmin();
    const emails = Array.from({ length: 5 }, (_, i) => `summary${i}.${Date.now()}@karyaklik.test`);
    await Promise.all(
      emails.map((email) =>
        request(ctx.app)
          .post('/api/auth/register')
          .send({ name: 'New Person', email, password: 'long-enough-1' }),
      ),
    );
    const notes = await summaries(String(admin._id), 'sign-up');
    expect(notes.reduce((s, n) => s + n.data.count, 0)).toBe(5);
    expect(notes.length).toBeLessThanOrEqual(2);
    expect(
      await AnalyticsEventModel.countDocuments({ eventType: 'user_register' }),
    ).toBeGreaterThanOrEqual(5);
  });
});
