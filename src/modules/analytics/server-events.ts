import type { ClientSession } from 'mongoose';
import { AnalyticsEventModel } from '../../models';

/** Events the server itself knows best (CONTRACT §17 AnalyticsEvent, SPEC §11). */
export interface ServerEvent {
  eventType: string;
  eventCategory: string;
  userId?: string;
  sessionId?: string;
  templateId?: string;
  metadata?: Record<string, unknown>;
}

/**
 * Records one server-side event. Pass `session` to write it in the same transaction as the
 * change it describes, so that the two cannot disagree (a crash loses both or neither).
 */
export async function recordServerEvent(
  event: ServerEvent,
  session?: ClientSession,
): Promise<void> {
  await AnalyticsEventModel.create([{ ...event, timestamp: new Date() }], { session });
}
