import { deliverAnnouncementJob } from '../../modules/notifications/announcement-delivery';
import type { JobContext } from '../job-context';
import type { JobPayloads } from '../queues';

/** The delivery use case lives with its domain (modules/notifications); this is its job entry. */
export function deliverAnnouncement(
  payload: JobPayloads['deliver-announcement'],
  context: JobContext,
): Promise<unknown> {
  return deliverAnnouncementJob(payload, context);
}
