import { Worker, type Job } from 'bullmq';
import type { Config } from '../config';
import type { Logger } from '../lib/logger';
import { jobDuration } from '../lib/metrics';
import { createRedis } from '../lib/redis';
import { runWithRequestContext } from '../lib/request-context';
import type { FileStorage } from '../lib/storage';
import type { JobContext } from './job-context';
import { JOB_QUEUE, QUEUE_NAMES, type JobName } from './queues';
import type { Processor, ProcessorRegistry } from './registry';

export interface WorkerDeps {
  config: Readonly<Config>;
  logger: Logger;
  storage: FileStorage;
  /** What runs each job: the composition root's `processors` (tests may swap one). */
  registry: ProcessorRegistry;
}

export interface RunningWorkers {
  workers: Worker[];
  close: () => Promise<void>;
}

/** A job's stored data: its payload, and the id of the request that enqueued it (if any). */
export function splitJobData(data: unknown): { payload: unknown; requestId: string | undefined } {
  if (!data || typeof data !== 'object' || !('requestId' in data)) {
    return { payload: data, requestId: undefined };
  }
  const { requestId, ...payload } = data;
  return { payload, requestId: typeof requestId === 'string' ? requestId : undefined };
}

function isJobName(name: string): name is JobName {
  return Object.prototype.hasOwnProperty.call(JOB_QUEUE, name);
}

/**
 * What a worker runs for each job: the job's context, then the processor registered for its name.
 * Exposed so a test can run the real dispatch on a Worker with its own settings.
 */
export function jobHandler(deps: WorkerDeps): (job: Job) => Promise<unknown> {
  return async (job) => {
    if (!isJobName(job.name)) throw new Error(`No processor for job ${job.name}`);
    const { payload, requestId } = splitJobData(job.data);
    const context: JobContext = {
      config: deps.config,
      // Every line the job logs names the job and the request that enqueued it.
      logger: deps.logger.child({ job: job.name, jobId: job.id, requestId }),
      storage: deps.storage,
      jobId: job.id ?? '',
      attemptsMade: job.attemptsMade,
      reportProgress: (progress) => job.updateProgress(progress),
    };
    const processor = deps.registry[job.name] as Processor<typeof job.name>;
    const end = jobDuration.startTimer({ job: job.name });
    try {
      // Jobs this one enqueues carry the same request id.
      const result = await (requestId
        ? runWithRequestContext({ requestId }, () => processor(payload as never, context))
        : processor(payload as never, context));
      const seconds = end({ outcome: 'completed' });
      context.logger.info({ durationMs: Math.round(seconds * 1000) }, 'job completed');
      return result;
    } catch (error) {
      end({ outcome: 'failed' });
      throw error;
    }
  };
}

/** Starts one BullMQ worker per queue; each job is dispatched to its registered processor. */
export function startWorkers(deps: WorkerDeps): RunningWorkers {
  const handle = jobHandler(deps);
  const workers = QUEUE_NAMES.map((queueName) => {
    const connection = createRedis(deps.config.redisUrl, 'worker');
    const worker = new Worker(queueName, handle, {
      connection,
      prefix: deps.config.queuePrefix,
      concurrency: deps.config.workerConcurrency,
      autorun: true,
    });
    worker.on('failed', (job, error) =>
      deps.logger.warn(
        {
          job: job?.name,
          jobId: job?.id,
          requestId: job ? splitJobData(job.data).requestId : undefined,
          attempts: job?.attemptsMade,
          err: error,
        },
        'job failed',
      ),
    );
    worker.on('error', (error) =>
      deps.logger.error({ err: error, queue: queueName }, 'worker error'),
    );
    return { worker, connection };
  });

  return {
    workers: workers.map((w) => w.worker),
    close: async () => {
      await Promise.allSettled(workers.map((w) => w.worker.close()));
      await Promise.allSettled(workers.map((w) => w.connection.quit()));
    },
  };
}
