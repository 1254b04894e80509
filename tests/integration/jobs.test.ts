import { QueueEvents } from 'bullmq';
import { removeFiles } from '../../src/jobs/processors/remove-files.processor';
import { createLogger } from '../../src/lib/logger';
import { jobContextOf, useTestContext } from '../helpers/context';

const ctx = useTestContext('jobs');

describe('background jobs', () => {
  it('when a job is enqueued, then a real worker runs its processor', async () => {
    ctx.startWorkers();
    const { key } = await ctx.storage.save('captures', 'jpg', Buffer.from('old'));
    const events = new QueueEvents('background', {
      connection: { url: ctx.config.redisUrl },
      prefix: ctx.config.queuePrefix,
    });
    await events.waitUntilReady();
    const jobId = await ctx.jobs.enqueue('remove-files', { keys: [key] });
    const job = await ctx.jobs.queue('background').getJob(jobId);
    const result: unknown = await job?.waitUntilFinished(events, 10_000);
    expect(result).toEqual({ removed: 1 });
    expect(await ctx.storage.exists(key)).toBe(false);
    await events.close();
  });

  it('when the same job id is enqueued twice, then BullMQ keeps one job', async () => {
    const first = await ctx.jobs.enqueue('remove-files', { keys: [] }, { jobId: 'dedupe-me' });
    const second = await ctx.jobs.enqueue('remove-files', { keys: [] }, { jobId: 'dedupe-me' });
    expect(second).toBe(first);
    const all = await ctx.jobs
      .queue('background')
      .getJobs(['waiting', 'active', 'completed', 'delayed', 'failed']);
    expect(all.filter((job) => job.id === 'dedupe-me')).toHaveLength(1);
  });

  it('processors run without Redis and refuse poison input as unrecoverable', async () => {
    const context = jobContextOf(ctx, { logger: createLogger('silent'), jobId: 'local' });
    await expect(removeFiles({ keys: ['../../etc/passwd'] }, context)).rejects.toMatchObject({
      name: 'UnrecoverableError',
    });
    const { key } = await ctx.storage.save('captures', 'jpg', Buffer.from('x'));
    await expect(removeFiles({ keys: [key] }, context)).resolves.toEqual({ removed: 1 });
    // A second delivery of the same job is harmless.
    await expect(removeFiles({ keys: [key] }, context)).resolves.toEqual({ removed: 1 });
  });
});
