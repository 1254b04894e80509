import { exportGalleryJob } from '../../modules/exports/export-gallery';
import type { JobContext } from '../job-context';
import type { JobPayloads } from '../queues';

/** The export use case lives with its domain (modules/exports); this is its job entry. */
export function exportGallery(
  payload: JobPayloads['export-gallery'],
  context: JobContext,
): Promise<unknown> {
  return exportGalleryJob(payload, context);
}
