import type { Express } from 'express';
import request from 'supertest';
import { buildApp } from '../../src/app';
import { createMailer } from '../../src/lib/mailer';
import { FeedbackModel, type FeedbackDocument } from '../../src/models/feedback.model';
import { NotificationModel } from '../../src/models/notification.model';
import { createUser, signIn } from '../factories/users.factory';
import { adminAuth, unknownId } from '../helpers/actor';
import { useTestContext } from '../helpers/context';
import { appWithOutbox } from '../helpers/outbox';

const ctx = useTestContext('feedback', { FEEDBACK_LIMIT_PER_HOUR: '1000' });
const { app, outbox } = appWithOutbox(ctx);

async function seedFeedback(
  count: number,
  tag: string,
  status: 'unread' | 'read' | 'replied' = 'unread',
) {
  const docs: FeedbackDocument[] = [];
  for (let i = 0; i < count; i += 1) {
    docs.push(
      await FeedbackModel.create({
        name: `${tag} ${i}`,
        email: `${tag.toLowerCase()}${i}@example.com`,
        message: `Message number ${i} from ${tag}`,
        status,
      }),
    );
    await new Promise((r) => setTimeout(r, 3));
  }
  return docs;
}

describe('POST /api/feedback (#56)', () => {
  it('when a visitor sends the contact form without a token, then it answers 201, stores it unread with the e-mail lower-cased, and each admin gets one notification', async () => {
    const { admin } = await adminAuth(ctx);
    const res = await request(app())
      .post('/api/feedback')
      .send({ name: '  Sari  ', email: 'Sari@Example.COM', message: 'The booth timer is great!' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      success: true,
      message: expect.any(String),
      data: {
        feedback: {
          _id: expect.any(String),
          name: 'Sari',
          email: 'sari@example.com',
          message: 'The booth timer is great!',
          status: 'unread',
        },
      },
    });
    const stored = await FeedbackModel.findById(res.body.data.feedback._id).lean();
    expect(stored).toMatchObject({ email: 'sari@example.com', status: 'unread' });
    const notes = await NotificationModel.find({
      userId: String(admin._id),
      'data.feedbackId': res.body.data.feedback._id,
    }).lean();
    expect(notes).toHaveLength(1);
  });

  it('when the honeypot field is filled, then it answers like a success and stores and announces nothing', async () => {
    const tag = `bot${Date.now()}@spam.example`;
    const notesBefore = await NotificationModel.countDocuments({});
    const res = await request(app()).post('/api/feedback').send({
      name: 'Buy Now',
      email: tag,
      message: 'Cheap followers here',
      website: 'http://spam',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ success: true, data: { feedback: { status: 'unread' } } });
    expect(await FeedbackModel.countDocuments({ email: tag })).toBe(0);
    expect(await FeedbackModel.countDocuments({ _id: res.body.data.feedback._id })).toBe(0);
    expect(await NotificationModel.countDocuments({})).toBe(notesBefore);
  });

  it.each([
    ['no name', { email: 'a@b.co', message: 'Hello there' }],
    ['a one-letter name', { name: 'A', email: 'a@b.co', message: 'Hello there' }],
    ['a bad e-mail', { name: 'Ana', email: 'not-an-email', message: 'Hello there' }],
    ['a too-short message', { name: 'Ana', email: 'a@b.co', message: 'Hi' }],
    ['a message over 5000 characters', { name: 'Ana', email: 'a@b.co', message: 'x'.repeat(5001) }],
    [
      'a name over 100 characters',
      { name: 'n'.repeat(101), email: 'a@b.co', message: 'Hello there' },
    ],
  ])('when the form has %s, then it answers 400 and stores nothing', async (_label, body) => {
    const before = await FeedbackModel.countDocuments({});
    const res = await request(app()).post('/api/feedback').send(body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ success: false, code: 'VALIDATION_FAILED' });
    expect(await FeedbackModel.countDocuments({})).toBe(before);
  });

  it('when one address sends more than the hourly limit, then it answers 429', async () => {
    const limited: Express = buildApp({
      ...ctx,
      config: {
        ...ctx.config,
        queuePrefix: `${ctx.config.queuePrefix}:limited`,
        feedbackLimitPerHour: 2,
      },
    });
    const send = () =>
      request(limited)
        .post('/api/feedback')
        .send({ name: 'Ana', email: 'ana@example.com', message: 'Hello there' });
    expect((await send()).status).toBe(201);
    expect((await send()).status).toBe(201);
    const third = await send();
    expect(third.status).toBe(429);
    expect(third.body).toMatchObject({ success: false, code: 'RATE_LIMITED' });
  });
});

describe('admin feedback routes (#57–#59)', () => {
  it.each([
    ['get', (): string => '/api/feedback'],
    ['patch', (): string => `/api/feedback/${unknownId()}`],
    ['delete', (): string => `/api/feedback/${unknownId()}`],
    ['post', (): string => `/api/feedback/${unknownId()}/reply`],
  ] as const)('%s answers 401 without a token and 403 to a non-admin', async (method, path) => {
    expect((await request(app())[method](path()).send({ status: 'read' })).status).toBe(401);
    const user = await signIn(ctx, await createUser());
    const res = await request(app())
      [method](path())
      .set('Authorization', user.auth)
      .send({ status: 'read', message: 'hi' });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ success: false, message: 'Admin access only' });
  });

  it('lists feedback newest first with the fields the page reads, filters by status and paginates', async () => {
    const { auth } = await adminAuth(ctx);
    const tag = `L${Date.now()}`;
    const unread = await seedFeedback(3, tag);
    const [read] = await seedFeedback(1, `${tag}r`, 'read');

    const all = await request(app()).get('/api/feedback').set(auth);
    expect(all.status).toBe(200);
    const rows = all.body.data.feedbacks as { _id: string; createdAt: string }[];
    expect(rows[0]).toMatchObject({
      _id: String(read?._id),
      name: `${tag}r 0`,
      email: expect.any(String),
      message: expect.any(String),
      status: 'read',
      createdAt: expect.any(String),
    });
    const times = rows.map((r) => Date.parse(r.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const onlyUnread = await request(app())
      .get('/api/feedback?status=unread&limit=2&page=1')
      .set(auth);
    expect(onlyUnread.body.data.feedbacks).toHaveLength(2);
    expect(
      onlyUnread.body.data.feedbacks.every((f: { status: string }) => f.status === 'unread'),
    ).toBe(true);
    expect(onlyUnread.body.data.feedbacks[0]._id).toBe(String(unread[2]?._id));
    expect(onlyUnread.body.data.pagination).toMatchObject({ page: 1, limit: 2, hasMore: true });
    const page2 = await request(app()).get('/api/feedback?status=unread&limit=2&page=2').set(auth);
    expect(page2.body.data.feedbacks[0]._id).toBe(String(unread[0]?._id));

    const bad = await request(app()).get('/api/feedback?status=spam').set(auth);
    expect(bad.status).toBe(400);
  });

  it('changes a status, answers 404 for an unknown id and 400 for a bad id or status', async () => {
    const { auth } = await adminAuth(ctx);
    const [doc] = await seedFeedback(1, `P${Date.now()}`);
    const res = await request(app())
      .patch(`/api/feedback/${String(doc?._id)}`)
      .set(auth)
      .send({ status: 'read' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, data: { feedback: { status: 'read' } } });
    expect((await FeedbackModel.findById(doc?._id).lean())?.status).toBe('read');

    const missing = await request(app())
      .patch(`/api/feedback/${unknownId()}`)
      .set(auth)
      .send({ status: 'read' });
    expect(missing.status).toBe(404);
    const badStatus = await request(app())
      .patch(`/api/feedback/${String(doc?._id)}`)
      .set(auth)
      .send({ status: 'archived' });
    expect(badStatus.status).toBe(400);
    const badId = await request(app())
      .patch('/api/feedback/not-an-id')
      .set(auth)
      .send({ status: 'read' });
    expect(badId.status).toBe(400);
  });

  it('deletes feedback for good; a second delete answers 404', async () => {
    const { auth } = await adminAuth(ctx);
    const [doc] = await seedFeedback(1, `D${Date.now()}`);
    const res = await request(app())
      .delete(`/api/feedback/${String(doc?._id)}`)
      .set(auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, message: expect.any(String) });
    expect(await FeedbackModel.countDocuments({ _id: doc?._id })).toBe(0);
    const again = await request(app())
      .delete(`/api/feedback/${String(doc?._id)}`)
      .set(auth);
    expect(again.status).toBe(404);
  });

  it('mails a reply to the sender and marks the feedback replied', async () => {
    const { admin, auth } = await adminAuth(ctx);
    const [doc] = await seedFeedback(1, `R${Date.now()}`);
    const res = await request(app())
      .post(`/api/feedback/${String(doc?._id)}/reply`)
      .set(auth)
      .send({ message: 'Thanks! We fixed the timer.' });
    expect(res.status).toBe(200);
    expect(res.body.data.feedback).toMatchObject({
      status: 'replied',
      replyMessage: 'Thanks! We fixed the timer.',
      repliedAt: expect.any(String),
    });
    const mail = outbox.last(doc?.email);
    expect(mail?.subject).toMatch(/KaryaKlik/);
    expect(mail?.text).toContain('Thanks! We fixed the timer.');
    expect(mail?.text).toContain(doc?.message);
    const stored = await FeedbackModel.findById(doc?._id).lean();
    expect(stored).toMatchObject({
      status: 'replied',
      replyMessage: 'Thanks! We fixed the timer.',
    });
    expect(String(stored?.repliedBy)).toBe(String(admin._id));

    const empty = await request(app())
      .post(`/api/feedback/${String(doc?._id)}/reply`)
      .set(auth)
      .send({ message: '' });
    expect(empty.status).toBe(400);
    const missing = await request(app())
      .post(`/api/feedback/${unknownId()}/reply`)
      .set(auth)
      .send({ message: 'Hello' });
    expect(missing.status).toBe(404);
  });

  it('when the mail cannot be sent, then it answers 503 and the feedback stays as it was', async () => {
    const { auth } = await adminAuth(ctx);
    const failing = buildApp({
      ...ctx,
      mailer: createMailer(ctx.config, ctx.logger, {
        send: async () => {
          throw new Error('SMTP down');
        },
      }),
    });
    const [doc] = await seedFeedback(1, `F${Date.now()}`);
    const res = await request(failing)
      .post(`/api/feedback/${String(doc?._id)}/reply`)
      .set(auth)
      .send({ message: 'Hello' });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ success: false, code: 'SERVICE_UNAVAILABLE' });
    expect((await FeedbackModel.findById(doc?._id).lean())?.status).toBe('unread');
  });
});
