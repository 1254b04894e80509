import {
  ANALYTICS_TTL_SECONDS,
  AnalyticsEventModel,
  applyMongooseDefaults,
  FeedbackModel,
  NotificationModel,
} from '../../../src/models';
import {
  buildAnalyticsEvent,
  buildFeedback,
  buildNotification,
} from '../../factories/model.factory';
import { useTestDatabase } from '../../helpers/database';
import { findIndex, invalidPaths } from './model-assertions';

applyMongooseDefaults();
useTestDatabase('models_system');

describe('AnalyticsEvent model', () => {
  it('when an anonymous event is built, then it passes and is timestamped now', async () => {
    const before = Date.now();
    const event = buildAnalyticsEvent();
    expect(await invalidPaths(event)).toEqual([]);
    expect(event.userId).toBeUndefined();
    expect(event.timestamp.getTime()).toBeGreaterThanOrEqual(before);
  });

  it('when a custom event type is used, then it is accepted', async () => {
    expect(
      await invalidPaths(buildAnalyticsEvent({ eventType: 'qr_scanned', eventCategory: 'share' })),
    ).toEqual([]);
  });

  it('when eventType or eventCategory is longer than 50 characters or missing, then it is rejected', async () => {
    expect(
      await invalidPaths(
        buildAnalyticsEvent({ eventType: 'x'.repeat(51), eventCategory: 'y'.repeat(51) }),
      ),
    ).toEqual(['eventCategory', 'eventType']);
    expect(
      await invalidPaths(buildAnalyticsEvent({ eventType: undefined, eventCategory: undefined })),
    ).toEqual(['eventCategory', 'eventType']);
  });

  it('when metadata and deviceInfo have any shape, then they are stored as given', async () => {
    const saved = await buildAnalyticsEvent({
      userId: 'u-1',
      sessionId: 's-1',
      templateId: 'ai-generated-1',
      metadata: { page: '/gallery', filters: ['Wedding'] },
      deviceInfo: { userAgent: 'Mozilla/5.0 (iPhone; Mobile)', type: 'Mobile' },
      ipAddress: '203.0.113.9',
      referrer: 'https://karyaklik.netlify.app/',
    }).save();
    const stored = await AnalyticsEventModel.findById(saved._id).lean();
    expect(stored).toMatchObject({
      metadata: { page: '/gallery', filters: ['Wedding'] },
      deviceInfo: { type: 'Mobile' },
      templateId: 'ai-generated-1',
    });
  });

  it('when the database lists the indexes, then timestamp has a 90-day TTL and the dashboard indexes exist', async () => {
    expect(ANALYTICS_TTL_SECONDS).toBe(7_776_000);
    expect(await findIndex(AnalyticsEventModel, { timestamp: 1 })).toMatchObject({
      expireAfterSeconds: 7_776_000,
    });
    expect(await findIndex(AnalyticsEventModel, { eventType: 1, timestamp: 1 })).toBeDefined();
    expect(await findIndex(AnalyticsEventModel, { eventCategory: 1, timestamp: 1 })).toBeDefined();
    expect(await findIndex(AnalyticsEventModel, { templateId: 1, timestamp: 1 })).toBeDefined();
    expect(await findIndex(AnalyticsEventModel, { userId: 1, timestamp: 1 })).toBeDefined();
  });
});

describe('Notification model', () => {
  it('when a notification is built, then it is unread', async () => {
    const notification = buildNotification({
      data: { paymentId: 'p1' },
      actionUrl: '/upgrade-pro',
    });
    expect(await invalidPaths(notification)).toEqual([]);
    expect(notification.isRead).toBe(false);
  });

  it('when the type is not template, user, system or analytics, then it is rejected', async () => {
    expect(await invalidPaths(buildNotification({ type: 'marketing' }))).toEqual(['type']);
  });

  it('when userId, title or message is missing, then each is required', async () => {
    expect(
      await invalidPaths(
        buildNotification({ userId: undefined, title: undefined, message: undefined }),
      ),
    ).toEqual(['message', 'title', 'userId']);
  });

  it('when the database lists the indexes, then (userId, isRead, createdAt desc) is indexed', async () => {
    expect(
      await findIndex(NotificationModel, { userId: 1, isRead: 1, createdAt: -1 }),
    ).toBeDefined();
  });
});

describe('Feedback model', () => {
  it('when feedback is sent with a mixed-case email, then it is unread and the email lower-cased', async () => {
    const saved = await buildFeedback({ email: ' Rina@Example.COM ' }).save();
    const stored = await FeedbackModel.findById(saved._id).lean();
    expect(stored).toMatchObject({ status: 'unread', email: 'rina@example.com' });
  });

  it('when the email is invalid, then it is rejected', async () => {
    expect(await invalidPaths(buildFeedback({ email: 'rina@' }))).toEqual(['email']);
  });

  it('when the message is longer than 5000 characters, then it is rejected', async () => {
    expect(await invalidPaths(buildFeedback({ message: 'a'.repeat(5001) }))).toEqual(['message']);
    expect(await invalidPaths(buildFeedback({ message: 'a'.repeat(5000) }))).toEqual([]);
  });

  it('when name, email or message is missing, then each is required', async () => {
    expect(
      await invalidPaths(buildFeedback({ name: undefined, email: undefined, message: undefined })),
    ).toEqual(['email', 'message', 'name']);
  });

  it('when the status is unknown, then it is rejected', async () => {
    expect(await invalidPaths(buildFeedback({ status: 'archived' }))).toEqual(['status']);
  });

  it('when the database lists the indexes, then (status, createdAt desc) is indexed', async () => {
    expect(await findIndex(FeedbackModel, { status: 1, createdAt: -1 })).toBeDefined();
  });
});
