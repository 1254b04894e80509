import { Types } from 'mongoose';
import { AppError } from '../../lib/errors';
import type { TrackBody } from './analytics.schemas';
import { deviceFrom } from './device';
import type { AnalyticsWriter } from './event-writer';

export interface RequestMeta {
  ip?: string;
  userAgent?: string;
  referrer?: string;
}

/**
 * Accepts one client event (CONTRACT #61): it is buffered and written in a batch, so the request
 * never waits for MongoDB. A full buffer (MongoDB down or far behind) answers 503.
 */
export function trackEvent(
  input: TrackBody,
  meta: RequestMeta,
  deps: { analytics: AnalyticsWriter },
): { eventId: string } {
  const _id = new Types.ObjectId();
  const accepted = deps.analytics.add({
    _id,
    eventType: input.eventType,
    eventCategory: input.eventCategory,
    ...(input.userId ? { userId: input.userId } : {}),
    ...(input.sessionId ? { sessionId: input.sessionId } : {}),
    ...(input.templateId ? { templateId: input.templateId } : {}),
    ...(input.metadata ? { metadata: input.metadata } : {}),
    deviceInfo: deviceFrom(meta.userAgent),
    ...(meta.ip ? { ipAddress: meta.ip.slice(0, 64) } : {}),
    ...(meta.referrer ? { referrer: meta.referrer.slice(0, 2048) } : {}),
    timestamp: new Date(),
  });
  if (!accepted) throw AppError.unavailable('Analytics is busy, the event was not recorded');
  return { eventId: _id.toHexString() };
}
