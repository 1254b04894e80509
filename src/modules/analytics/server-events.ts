import type { ClientSession } from 'mongoose';
import { AnalyticsEventModel } from '../../models';

/**
 * What every analytics event says (CONTRACT §17 AnalyticsEvent): a client's tracked event and
 * the events the server itself knows best (SPEC §11) alike.
 */
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
