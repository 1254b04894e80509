import { Queue } from 'bullmq';
import type { Config } from '../config';
import { createRedis } from '../lib/redis';
import { DEFAULT_JOB_OPTIONS, JOB_QUEUE } from './queues';

/**
 * Periodic jobs, registered by the worker with BullMQ job schedulers. `upsertJobScheduler` is
 * idempotent, so every worker process can register them and each run is still enqueued once.
 */
export async function schedulePeriodicJobs(
  config: Readonly<Config>,
): Promise<{ close: () => Promise<void> }> {
  const connection = createRedis(config.redisUrl, 'worker');
  const queue = new Queue(JOB_QUEUE['sweep-expired-premium'], {
    connection,
    prefix: config.queuePrefix,
  });
  const sweeps = [
    ['sweep-expired-premium', config.premiumSweepIntervalMs],
    ['expire-overdue-payments', config.premiumSweepIntervalMs],
    ['sweep-file-deletions', config.storage.sweepIntervalMs],
  ] as const;
  for (const [name, every] of sweeps) {
    if (JOB_QUEUE[name] !== queue.name) throw new Error(`${name} must run on ${queue.name}`);
    await queue.upsertJobScheduler(
      name,
      { every },
      {
        name,
        data: {},
        opts: { ...DEFAULT_JOB_OPTIONS, attempts: 1, removeOnFail: { count: 100 } },
      },
    );
  }
  return {
    close: async () => {
      await queue.close();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
