import type { QueueName } from '../../src/jobs/queues';
import type { TestContext } from './context';
import { eventually } from './eventually';

/** Waits until a queue has nothing active or waiting (jobs of earlier tests have written their files). */
export async function queueIdle(ctx: TestContext, queue: QueueName = 'images'): Promise<void> {
  await eventually(async () => {
    const counts = await ctx.jobs
      .queue(queue)
      .getJobCounts('active', 'waiting', 'delayed', 'prioritized');
    return Object.values(counts).every((n) => n === 0);
  });
}
