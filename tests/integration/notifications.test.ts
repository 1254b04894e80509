import { Types } from 'mongoose';
import request from 'supertest';
import { NotificationModel } from '../../src/models/notification.model';
import { notifyUser } from '../../src/modules/notifications/notifications.service';
import { bearer, createUser, tokenFor } from '../factories/users.factory';
import { useTestContext } from '../helpers/context';

const ctx = useTestContext('notifications', { RATE_LIMIT_ENABLED: 'false' });

async function signedIn() {
  const user = await createUser();
  return { user, id: String(user._id), auth: bearer(await tokenFor(ctx, user)) };
}

async function seed(userId: string, count: number, overrides: Record<string, unknown> = {}) {
  for (let i = 0; i < count; i += 1) {
    await NotificationModel.create({
      userId,
      title: `Note ${i}`,
      message: `Message ${i}`,
      type: 'system',
      ...overrides,
    });
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('when no token is sent', () => {
  it.each([
    ['get', '/api/notifications?limit=20'],
    ['post', '/api/notifications/mark-read'],
    ['patch', '/api/notifications/mark-read'],
    ['delete', `/api/notifications/${new Types.ObjectId().toHexString()}`],
  ] as const)('%s %s answers 401', async (method, path) => {
    const res = await request(ctx.app)[method](path).send({});
    expect(res.status).toBe(401);
    expect(res.body.success).toBe(false);
  });
});

describe('GET /api/notifications (#52)', () => {
  it("lists the user's own notifications newest first, with unreadCount, limit and skip", async () => {
    const { id, auth } = await signedIn();
    const other = await signedIn();
    await seed(id, 12);
    await seed(id, 2, { isRead: true });
    await notifyUser(id, {
      title: 'Payment approved',
      message: 'Pro is active',
      type: 'template',
      actionUrl: '/my-account',
    });
    await seed(other.id, 3);

    const res = await request(ctx.app).get('/api/notifications?limit=10').set(auth);
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    const { notifications, unreadCount, limit, skip } = res.body.data;
    expect(notifications).toHaveLength(10);
    expect(unreadCount).toBe(13);
    expect(limit).toBe(10);
    expect(skip).toBe(0);
    expect(notifications[0]).toMatchObject({
      _id: expect.any(String),
      title: 'Payment approved',
      message: 'Pro is active',
      type: 'template',
      isRead: false,
      createdAt: expect.any(String),
      actionUrl: '/my-account',
    });
    expect(notifications.every((n: { userId: string }) => n.userId === id)).toBe(true);

    const page = await request(ctx.app).get('/api/notifications?limit=20').set(auth);
    expect(page.body.data.notifications).toHaveLength(15);
    expect(page.body.data.total).toBe(15);
  });

  it('with unreadOnly, lists only unread ones and the total is the unread count', async () => {
    const { id, auth } = await signedIn();
    await seed(id, 3);
    await seed(id, 2, { isRead: true });
    const res = await request(ctx.app).get('/api/notifications?unreadOnly=true').set(auth);
    expect(res.status).toBe(200);
    const { notifications, unreadCount, total } = res.body.data;
    expect(notifications).toHaveLength(3);
    expect(notifications.every((n: { isRead: boolean }) => !n.isRead)).toBe(true);
    expect([unreadCount, total]).toEqual([3, 3]);
  });

  it('answers 400 for an out-of-range limit', async () => {
    const { auth } = await signedIn();
    expect((await request(ctx.app).get('/api/notifications?limit=0').set(auth)).status).toBe(400);
    expect((await request(ctx.app).get('/api/notifications?limit=abc').set(auth)).status).toBe(400);
  });
});

describe('mark read (#53 POST, #54 PATCH)', () => {
  it.each(['post', 'patch'] as const)(
    '%s marks one notification read and answers data = the notification',
    async (method) => {
      const { id, auth } = await signedIn();
      await seed(id, 2);
      const [first] = await NotificationModel.find({ userId: id }).lean();
      const res = await request(ctx.app)
        [method]('/api/notifications/mark-read')
        .set(auth)
        .send({ notificationId: String(first?._id) });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        success: true,
        data: { _id: String(first?._id), isRead: true },
      });
      expect(await NotificationModel.countDocuments({ userId: id, isRead: false })).toBe(1);
    },
  );

  it.each([{ markAllAsRead: true }, { markAll: true }])('marks all read with %j', async (body) => {
    const { id, auth } = await signedIn();
    await seed(id, 3);
    const res = await request(ctx.app).patch('/api/notifications/mark-read').set(auth).send(body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, message: expect.any(String) });
    expect(await NotificationModel.countDocuments({ userId: id, isRead: false })).toBe(0);
  });

  it("answers 400 without an id, 404 for another user's notification and for an unknown one", async () => {
    const { auth } = await signedIn();
    const other = await signedIn();
    await seed(other.id, 1);
    const [theirs] = await NotificationModel.find({ userId: other.id }).lean();
    expect(
      (await request(ctx.app).post('/api/notifications/mark-read').set(auth).send({})).status,
    ).toBe(400);
    expect(
      (
        await request(ctx.app)
          .post('/api/notifications/mark-read')
          .set(auth)
          .send({ notificationId: 'nope' })
      ).status,
    ).toBe(400);
    expect(
      (
        await request(ctx.app)
          .post('/api/notifications/mark-read')
          .set(auth)
          .send({ notificationId: String(theirs?._id) })
      ).status,
    ).toBe(404);
    expect(
      (
        await request(ctx.app)
          .post('/api/notifications/mark-read')
          .set(auth)
          .send({ notificationId: new Types.ObjectId().toHexString() })
      ).status,
    ).toBe(404);
    expect((await NotificationModel.findById(theirs?._id).lean())?.isRead).toBe(false);
  });
});

describe('DELETE /api/notifications/:id (#55)', () => {
  it("deletes the user's own notification", async () => {
    const { id, auth } = await signedIn();
    await seed(id, 1);
    const [mine] = await NotificationModel.find({ userId: id }).lean();
    const res = await request(ctx.app)
      .delete(`/api/notifications/${String(mine?._id)}`)
      .set(auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, message: expect.any(String) });
    expect(await NotificationModel.countDocuments({ userId: id })).toBe(0);
  });

  it("answers 400 for an invalid id and 404 for another user's notification (which stays)", async () => {
    const { auth } = await signedIn();
    const other = await signedIn();
    await seed(other.id, 1);
    const [theirs] = await NotificationModel.find({ userId: other.id }).lean();
    expect((await request(ctx.app).delete('/api/notifications/not-an-id').set(auth)).status).toBe(
      400,
    );
    expect(
      (
        await request(ctx.app)
          .delete(`/api/notifications/${String(theirs?._id)}`)
          .set(auth)
      ).status,
    ).toBe(404);
    expect(await NotificationModel.countDocuments({ _id: theirs?._id })).toBe(1);
  });
});
