import { Types } from 'mongoose';
import {
  AnalyticsEventModel,
  CapturedPhotoModel,
  FeedbackModel,
  FinalCompositeModel,
  NotificationModel,
  PaymentModel,
  PhotoModel,
  PhotoSessionModel,
  TemplateModel,
  UsageLimitModel,
  UserGeneratedFrameModel,
  UserSubmittedFrameModel,
} from '../../src/models';

/** Overrides may hold deliberately invalid values, so they are loosely typed. */
export type Overrides = Record<string, unknown>;

let sequence = 0;
function next(): number {
  sequence += 1;
  return sequence;
}

/** `count` non-overlapping slots in a 3-column grid of a 900×1200 frame. */
export function layoutSlots(
  count: number,
): Array<{ x: number; y: number; width: number; height: number }> {
  return Array.from({ length: count }, (_, index) => ({
    x: 20 + (index % 3) * 290,
    y: 20 + Math.floor(index / 3) * 390,
    width: 270,
    height: 370,
  }));
}

export function buildTemplate(overrides: Overrides = {}) {
  const frameCount = typeof overrides.frameCount === 'number' ? overrides.frameCount : 3;
  return new TemplateModel({
    name: `Template ${next()}`,
    category: 'Birthday',
    thumbnail: 'http://api.test/uploads/templates/thumb.png',
    frameUrl: 'http://api.test/uploads/templates/frame.svg',
    frameCount,
    layoutPositions: layoutSlots(frameCount),
    canvasWidth: 900,
    canvasHeight: 1200,
    ...overrides,
  });
}

export function buildPhotoSession(overrides: Overrides = {}) {
  return new PhotoSessionModel({
    userId: new Types.ObjectId().toHexString(),
    templateId: new Types.ObjectId().toHexString(),
    sessionName: `Photo Session ${next()}`,
    ...overrides,
  });
}

export function buildCapturedPhoto(overrides: Overrides = {}) {
  return new CapturedPhotoModel({
    sessionId: new Types.ObjectId().toHexString(),
    userId: new Types.ObjectId().toHexString(),
    photoUrl: `http://api.test/files/capture-${next()}.jpg`,
    order: 1,
    ...overrides,
  });
}

export function buildFinalComposite(overrides: Overrides = {}) {
  return new FinalCompositeModel({
    sessionId: new Types.ObjectId().toHexString(),
    userId: new Types.ObjectId().toHexString(),
    templateId: new Types.ObjectId().toHexString(),
    compositeUrl: `http://api.test/files/composite-${next()}.png`,
    metadata: { width: 1200, height: 1800, fileSize: 345678, format: 'png', photosUsed: 3 },
    ...overrides,
  });
}

export function buildPhoto(overrides: Overrides = {}) {
  return new PhotoModel({
    userId: new Types.ObjectId(),
    title: `Photo ${next()}`,
    imageUrl: 'http://api.test/uploads/photos/legacy.jpg',
    ...overrides,
  });
}

export function buildPayment(overrides: Overrides = {}) {
  return new PaymentModel({ userId: new Types.ObjectId(), amount: 150000, ...overrides });
}

export function buildUsageLimit(overrides: Overrides = {}) {
  return new UsageLimitModel({ userId: new Types.ObjectId(), date: '2026-01-15', ...overrides });
}

export function buildUserGeneratedFrame(overrides: Overrides = {}) {
  const frameCount = typeof overrides.frameCount === 'number' ? overrides.frameCount : 4;
  return new UserGeneratedFrameModel({
    userId: new Types.ObjectId().toHexString(),
    name: `AI Frame ${next()}`,
    frameUrl: 'http://api.test/uploads/frames/ai.svg',
    thumbnail: 'http://api.test/uploads/frames/ai.png',
    frameCount,
    layoutPositions: layoutSlots(frameCount),
    frameSpec: { layout: 'grid', backgroundColor: '#FFFFFF', borderColor: '#000000' },
    ...overrides,
  });
}

export function buildUserSubmittedFrame(overrides: Overrides = {}) {
  const frameCount = typeof overrides.frameCount === 'number' ? overrides.frameCount : 2;
  return new UserSubmittedFrameModel({
    userId: new Types.ObjectId().toHexString(),
    name: `Submitted Frame ${next()}`,
    description: 'A 2-photo Birthday frame',
    frameUrl: 'http://api.test/uploads/frames/submitted.png',
    thumbnail: 'http://api.test/uploads/frames/submitted-thumb.png',
    frameCount,
    layout: 'vertical',
    frameSpec: { category: 'Birthday' },
    layoutPositions: layoutSlots(frameCount),
    ...overrides,
  });
}

export function buildAnalyticsEvent(overrides: Overrides = {}) {
  return new AnalyticsEventModel({
    eventType: 'template_view',
    eventCategory: 'template',
    ...overrides,
  });
}

export function buildNotification(overrides: Overrides = {}) {
  return new NotificationModel({
    userId: new Types.ObjectId().toHexString(),
    title: 'Welcome to KaryaKlik',
    message: 'Your account is ready.',
    type: 'user',
    ...overrides,
  });
}

export function buildFeedback(overrides: Overrides = {}) {
  return new FeedbackModel({
    name: 'Sari',
    email: `sari${next()}@example.com`,
    message: 'Frame wisuda-nya bagus sekali!',
    ...overrides,
  });
}
