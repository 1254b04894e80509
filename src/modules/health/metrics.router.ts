import { Router } from 'express';
import type { Config } from '../../config';
import type { JobQueue } from '../../jobs/job-queue';
import { QUEUE_NAMES } from '../../jobs/queues';
import { AppError } from '../../lib/errors';
import { metricsRegistry, metricsTokenMatches, observeQueueDepths } from '../../lib/metrics';

const QUEUE_STATES = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'failed',
  'completed',
] as const;

/**
 * `GET /metrics`: Prometheus text for this API process (request durations by route, queue depths,
 * event-loop lag, process metrics), only with `Authorization: Bearer METRICS_TOKEN`; 404 when no
 * token is configured.
 */
export function metricsRouter(config: Readonly<Config>, jobs: JobQueue): Router {
  const router = Router();
  observeQueueDepths(async () => {
    const entries = await Promise.all(
      QUEUE_NAMES.map(
        async (name) => [name, await jobs.queue(name).getJobCounts(...QUEUE_STATES)] as const,
      ),
    );
    return Object.fromEntries(entries);
  });
  router.get('/metrics', async (req, res) => {
    const { token } = config.metrics;
    if (!token) throw AppError.notFound('Metrics are not enabled (set METRICS_TOKEN)');
    if (!metricsTokenMatches(req.headers.authorization, token)) {
      throw AppError.unauthenticated('A valid metrics token is required');
    }
    const body = await metricsRegistry.metrics();
    res.setHeader('Content-Type', metricsRegistry.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(body);
  });
  return router;
}
