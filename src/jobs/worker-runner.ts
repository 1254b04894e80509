import { Worker, type Job } from 'bullmq';
import type { Config } from '../config';
import type { Logger } from '../lib/logger';
import { createRedis } from '../lib/redis';
import type { FileStorage } from '../lib/storage';
import type { JobContext } from './job-context';
import { JOB_QUEUE, QUEUE_NAMES, type JobName } from './queues';
import { processors, type Processor, type ProcessorRegistry } from './registry';

export interface WorkerDeps {
  config: Readonly<Config>;
  logger: Logger;
  storage: FileStorage;
  registry?: ProcessorRegistry;
}

export interface RunningWorkers {
  workers: Worker[];
  close: () => Promise<void>;
}

function isJobName(name: string): name is JobName {
  return Object.prototype.hasOwnProperty.call(JOB_QUEUE, name);
}

/**
 * What a worker runs for each job: the job's context, then the processor registered for its name.
 * Exposed so a test can run the real dispatch on a Worker with its own settings.
 */
export function jobHandler(deps: WorkerDeps): (job: Job) => Promise<unknown> {
  const registry = deps.registry ?? processors;
  return async (job) => {
    if (!isJobName(job.name)) throw new Error(`No processor for job ${job.name}`);
    const context: JobContext = {
      config: deps.config,
      logger: deps.logger.child({ job: job.name, jobId: job.id }),
      storage: deps.storage,
      jobId: job.id ?? '',
      attemptsMade: job.attemptsMade,
      reportProgress: (progress) => job.updateProgress(progress),
    };
    const processor = registry[job.name] as Processor<typeof job.name>;
    return processor(job.data as never, context);
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
        { job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: error },
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
