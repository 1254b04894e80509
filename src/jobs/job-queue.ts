import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { AppError } from '../lib/errors';
import { currentRequestId } from '../lib/request-context';
import {
  DEFAULT_JOB_OPTIONS,
  JOB_QUEUE,
  QUEUE_NAMES,
  type JobData,
  type JobName,
  type JobPayloads,
  type QueueName,
} from './queues';

export interface EnqueueOptions {
  /** A stable id makes enqueueing idempotent: BullMQ ignores a second add with the same id. */
  jobId?: string;
  delay?: number;
}

/** The HTTP side's view of the queues: enqueue fails fast with 503 when Redis is down. */
export class JobQueue {
  private readonly queues: Map<QueueName, Queue>;

  constructor(
    private readonly connection: Redis,
    readonly prefix: string,
    private readonly enqueueTimeoutMs = 2000,
  ) {
    this.queues = new Map(
      QUEUE_NAMES.map((name) => [
        name,
        new Queue(name, {
          connection,
          prefix,
          skipWaitingForReady: true,
          defaultJobOptions: DEFAULT_JOB_OPTIONS,
        }),
      ]),
    );
  }

  queue(name: QueueName): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`Unknown queue ${name}`);
    return queue;
  }

  async enqueue<K extends JobName>(
    name: K,
    payload: JobPayloads[K],
    options: EnqueueOptions = {},
  ): Promise<string> {
    if (this.connection.status !== 'ready') {
      throw AppError.unavailable('The job queue is unavailable, try again shortly');
    }
    // The request (or job) that enqueues is named in the job, so the job's log lines carry its id.
    const requestId = currentRequestId();
    const data: JobData<K> = requestId ? { ...payload, requestId } : payload;
    const jobOptions: JobsOptions = {};
    if (options.jobId) jobOptions.jobId = options.jobId;
    if (options.delay) jobOptions.delay = options.delay;
    let timer: NodeJS.Timeout | undefined;
    try {
      const job = await Promise.race([
        this.queue(JOB_QUEUE[name]).add(name, data, jobOptions),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(AppError.unavailable('The job queue did not answer in time')),
            this.enqueueTimeoutMs,
          );
        }),
      ]);
      if (!job.id) throw new Error('BullMQ returned a job without id');
      return job.id;
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw AppError.unavailable('The job queue is unavailable, try again shortly');
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.queues.values()].map((queue) => queue.close()));
  }
}
