import { renderAnimationJob } from '../../modules/animations/render-animation';
import type { JobContext } from '../job-context';
import type { JobPayloads } from '../queues';

/** The animation use case lives with its domain (modules/animations); this is its job entry. */
export function renderAnimation(
  payload: JobPayloads['render-animation'],
  context: JobContext,
): Promise<unknown> {
  return renderAnimationJob(payload, context);
}
