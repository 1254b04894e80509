import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUE_NAMES, type QueueName } from './queues';

export type JobEventListener = () => void;

/** Stream ids are `<ms>-<seq>`: a QueueEvents started now also reads the last few seconds. */
const CATCH_UP_MS = 5000;

/**
 * Wakes listeners when anything happens to a job (active, progress, completed, failed, …), in
 * whichever process the worker runs: BullMQ writes every job event to a Redis stream per queue,
 * and one QueueEvents reader per queue and process follows it. Readers start on the first watch
 * and read from a few seconds back, so an event between a caller's first read and its watch is
 * not missed; after a reconnect BullMQ resumes from the last id it saw.
 */
export class JobEvents {
  private readonly readers = new Map<QueueName, { reader: QueueEvents; connection: Redis }>();
  private readonly listeners = new Map<string, Set<JobEventListener>>();
  private closed = false;

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
  ) {}

  watch(queueName: QueueName, jobId: string, listener: JobEventListener): () => void {
    if (this.closed) return () => undefined;
    this.reader(queueName);
    const key = `${queueName}:${jobId}`;
    let set = this.listeners.get(key);
    if (!set) {
      set = new Set();
      this.listeners.set(key, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(key) === set) this.listeners.delete(key);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    const readers = [...this.readers.values()];
    this.readers.clear();
    await Promise.allSettled(
      readers.map(async ({ reader, connection }) => {
        await reader.close();
        connection.disconnect();
      }),
    );
  }

  private reader(queueName: QueueName): QueueEvents {
    const existing = this.readers.get(queueName);
    if (existing) return existing.reader;
    if (!QUEUE_NAMES.includes(queueName)) throw new Error(`Unknown queue ${queueName}`);
    // A blocking reader needs its own connection, one that waits out a Redis outage.
    const connection = this.connection.duplicate({
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
    });
    const reader = new QueueEvents(queueName, {
      connection,
      prefix: this.prefix,
      lastEventId: `${Date.now() - CATCH_UP_MS}-0`,
      blockingTimeout: 5000,
    });
    reader.on('error', () => undefined);
    const wake = ({ jobId }: { jobId: string }) => {
      const set = this.listeners.get(`${queueName}:${jobId}`);
      if (set) for (const listener of [...set]) listener();
    };
    for (const event of ['active', 'progress', 'completed', 'failed', 'removed'] as const)
      reader.on(event, wake);
    this.readers.set(queueName, { reader, connection });
    return reader;
  }
}
