import { timingSafeEqual, createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's Prometheus metrics (prom-client). The API serves them at /api/metrics, a worker
 * process on its own metrics port; both need METRICS_TOKEN as a Bearer token.
 */
export const metricsRegistry = new Registry();

// Process metrics: CPU, memory, GC, handles, and event-loop lag (nodejs_eventloop_lag_*).
collectDefaultMetrics({ register: metricsRegistry, eventLoopMonitoringPrecision: 20 });

export const httpRequestDuration = new Histogram({
  name: 'kk_http_request_duration_seconds',
  help: 'HTTP request duration by route template, method and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

export const jobDuration = new Histogram({
  name: 'kk_job_duration_seconds',
  help: 'Background job run time by job name and outcome (completed, failed)',
  labelNames: ['job', 'outcome'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
  registers: [metricsRegistry],
});

export const imageWorkDuration = new Histogram({
  name: 'kk_image_work_duration_seconds',
  help: 'Image processing time by operation',
  labelNames: ['operation'] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [metricsRegistry],
});

/** Times one piece of image work under `operation` (also when it throws). */
export async function timeImageWork<T>(operation: string, work: () => Promise<T>): Promise<T> {
  const end = imageWorkDuration.startTimer({ operation });
  try {
    return await work();
  } finally {
    end();
  }
}

export type QueueCounts = () => Promise<Record<string, Record<string, number>>>;

/**
 * `kk_queue_jobs{queue,state}`, read from the queues when scraped. Registered once per registry;
 * a later call replaces the reader (tests build several apps in one process).
 */
let readQueueCounts: QueueCounts | undefined;
export const queueJobs = new Gauge({
  name: 'kk_queue_jobs',
  help: 'Jobs in each queue by state (waiting, active, delayed, prioritized, failed, completed)',
  labelNames: ['queue', 'state'] as const,
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    if (!readQueueCounts) return;
    const counts = await readQueueCounts().catch(() => undefined);
    if (!counts) return;
    for (const [queue, states] of Object.entries(counts))
      for (const [state, value] of Object.entries(states)) this.set({ queue, state }, value);
  },
});

export function observeQueueDepths(read: QueueCounts): void {
  readQueueCounts = read;
}

/** Constant-time check of `Authorization: Bearer <token>` against the configured token. */
export function metricsTokenMatches(header: string | undefined, token: string): boolean {
  if (!token) return false;
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match[1]), digest(token));
}

/**
 * A worker process's metrics at `GET /metrics` on its own port (job durations, image work,
 * event-loop lag), with the same Bearer token as the API's. Resolves once listening.
 */
export function serveMetrics(port: number, host: string, token: string): Promise<Server> {
  const server = createServer((req, res) => {
    const send = (status: number, body: string, type = 'text/plain') => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET' || req.url !== '/metrics') return send(404, 'not found\n');
    if (!metricsTokenMatches(req.headers.authorization, token)) return send(401, 'unauthorized\n');
    metricsRegistry.metrics().then(
      (body) => send(200, body, metricsRegistry.contentType),
      () => send(500, 'metrics unavailable\n'),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

/** `fn`, timed under `operation` in kk_image_work_duration_seconds on every call. */
export function timedImageWork<A extends unknown[], R>(
  operation: string,
  fn: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return (...args) => timeImageWork(operation, () => fn(...args));
}
