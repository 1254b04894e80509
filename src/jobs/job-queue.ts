import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { AppError } from '../lib/errors';
import { currentRequestId } from '../lib/request-context';
import { JobEvents, type JobEventListener } from './job-events';
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

/** A job's state in the words of the domain; BullMQ's own state strings stay in this file. */
export type JobState = 'queued' | 'active' | 'completed' | 'failed';

export interface JobStatus {
  state: JobState;
  /** The last progress the processor reported, when it was a number. */
  progress?: number;
}

const STATE_OF: Record<string, JobState> = {
  waiting: 'queued',
  wait: 'queued',
  delayed: 'queued',
  prioritized: 'queued',
  'waiting-children': 'queued',
  active: 'active',
  completed: 'completed',
  failed: 'failed',
};

/** One BullMQ queue object and what is known of its start-up (BullMQ keeps a failed one forever). */
interface QueueSlot {
  queue: Queue;
  state: 'starting' | 'ready' | 'failed';
}

/**
 * The HTTP side's view of the queues: enqueue fails fast with 503 when Redis is down.
 *
 * The connection is the HTTP process's fail-fast client (no offline queue), so a command sent
 * while Redis is away fails at once instead of running later behind the caller's back. BullMQ
 * starts a queue by sending INFO and keeps that first promise for the life of the queue object:
 * a queue started while Redis was unreachable never works again. So queue objects are made on
 * first use, and one whose start failed is dropped and made again on the next use. Whatever
 * order Redis and this process come up in, and after any outage, the queues work again as soon
 * as Redis answers.
 */
export class JobQueue {
  private readonly slots = new Map<QueueName, QueueSlot>();
  private closed = false;
  private events: JobEvents | undefined;

  constructor(
    private readonly connection: Redis,
    readonly prefix: string,
    private readonly enqueueTimeoutMs = 2000,
  ) {}

  /** The BullMQ queue for reads (job state, counts); made again if its start failed. */
  queue(name: QueueName): Queue {
    if (!QUEUE_NAMES.includes(name)) throw new Error(`Unknown queue ${name}`);
    const current = this.slots.get(name);
    if (current && current.state !== 'failed') return current.queue;
    if (current) void current.queue.close().catch(() => undefined);
    const queue = new Queue(name, {
      connection: this.connection,
      prefix: this.prefix,
      defaultJobOptions: DEFAULT_JOB_OPTIONS,
    });
    // Connection errors are reported by enqueue (503) and by /api/ready; without a listener
    // BullMQ would print each one to stderr.
    queue.on('error', () => undefined);
    const slot: QueueSlot = { queue, state: 'starting' };
    this.slots.set(name, slot);
    queue.waitUntilReady().then(
      () => {
        if (slot.state === 'starting') slot.state = 'ready';
      },
      () => {
        slot.state = 'failed';
      },
    );
    return queue;
  }

  async enqueue<K extends JobName>(
    name: K,
    payload: JobPayloads[K],
    options: EnqueueOptions = {},
  ): Promise<string> {
    if (this.closed || this.connection.status !== 'ready') {
      throw AppError.unavailable('The job queue is unavailable, try again shortly');
    }
    // The request (or job) that enqueues is named in the job, so the job's log lines carry its id.
    const requestId = currentRequestId();
    const data: JobData<K> = requestId ? { ...payload, requestId } : payload;
    const jobOptions: JobsOptions = {};
    if (options.jobId) jobOptions.jobId = options.jobId;
    if (options.delay) jobOptions.delay = options.delay;
    try {
      const job = await this.withinDeadline(
        this.queue(JOB_QUEUE[name]).add(name, data, jobOptions),
        this.enqueueTimeoutMs,
      );
      if (!job.id) throw new Error('BullMQ returned a job without id');
      return job.id;
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw AppError.unavailable('The job queue is unavailable, try again shortly');
    }
  }

  /**
   * True when a job could be enqueued now: Redis answers and every queue has started. Used by
   * /api/health and /api/ready, so a queue that cannot enqueue is never reported as up.
   */
  async isReady(timeoutMs = 500): Promise<boolean> {
    if (this.closed || this.connection.status !== 'ready') return false;
    try {
      await this.withinDeadline(
        Promise.all([
          this.connection.ping(),
          ...QUEUE_NAMES.map((name) => this.queue(name).waitUntilReady()),
        ]),
        timeoutMs,
      );
      return true;
    } catch {
      return false;
    }
  }

  /** Where a job stands, or undefined when the queue does not know it (never added, removed). */
  async status(name: JobName, jobId: string): Promise<JobStatus | undefined> {
    const queue = this.queue(JOB_QUEUE[name]);
    const job = await queue.getJob(jobId);
    if (!job) return undefined;
    const state = STATE_OF[await job.getState()];
    if (!state) return undefined;
    return typeof job.progress === 'number' ? { state, progress: job.progress } : { state };
  }

  /**
   * Calls `listener` on every event of the job (it became active, reported progress, completed,
   * failed, was removed), from any process; returns the function that stops it. Listeners read
   * the state again themselves (`status`), so a burst of events costs no more than reading it.
   */
  watch(name: JobName, jobId: string, listener: JobEventListener): () => void {
    this.events ??= new JobEvents(this.connection, this.prefix);
    return this.events.watch(JOB_QUEUE[name], jobId, listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([
      ...[...this.slots.values()].map((slot) => slot.queue.close()),
      this.events?.close(),
    ]);
  }

  private async withinDeadline<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        work,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(AppError.unavailable('The job queue did not answer in time')),
            timeoutMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}
