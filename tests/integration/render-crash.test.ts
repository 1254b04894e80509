import { Worker } from 'bullmq';
import request from 'supertest';
import type { JobContext } from '../../src/jobs/job-context';
import { processors } from '../../src/job-processors';
import type { ProcessorRegistry } from '../../src/jobs/registry';
import { jobHandler } from '../../src/jobs/worker-runner';
import { createRedis } from '../../src/lib/redis';
import { FinalCompositeModel, PhotoSessionModel, TemplateModel } from '../../src/models';
import { useTestContext } from '../helpers/context';
import { createTemplate } from '../factories/sessions.factory';
import { storedKeys } from '../helpers/storage';
import { createUser, signIn, type TestUser } from '../factories/users.factory';
import { uploadCapture } from '../helpers/captures';
import { eventually } from '../helpers/eventually';

const ctx = useTestContext('render_crash');

type Hook = (context: JobContext, progress: number | Record<string, unknown>) => Promise<void>;

/**
 * A worker on the images queue running the worker's own dispatch and the real processors, with a
 * hook on render progress. Every worker of the file uses the same short lock and stalled-check
 * interval: BullMQ throttles the stalled check per queue with a key that lives for the interval of
 * the worker that set it.
 */
function startWorker(hook: Hook) {
  const registry: ProcessorRegistry = {
    ...processors,
    'render-composite': (payload, context) =>
      processors['render-composite'](payload, {
        ...context,
        reportProgress: async (progress) => {
          await hook(context, progress);
          await context.reportProgress(progress);
        },
      }),
  };
  const connection = createRedis(ctx.config.redisUrl, 'worker');
  const worker = new Worker(
    'images',
    jobHandler({ config: ctx.config, logger: ctx.logger, storage: ctx.storage, registry }),
    {
      connection,
      prefix: ctx.config.queuePrefix,
      concurrency: 2,
      lockDuration: 1000,
      stalledInterval: 500,
    },
  );
  worker.on('error', () => undefined);
  return {
    worker,
    stop: async (force = false) => {
      await worker.close(force);
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}

async function sessionWithCaptures(user: TestUser): Promise<string> {
  const template = await createTemplate(ctx.storage);
  const res = await request(ctx.app)
    .post('/api/sessions')
    .set('Authorization', user.auth)
    .send({ sessionName: 'Crash', templateId: String(template._id) });
  const sessionId: string = res.body.data._id;
  for (const [index, color] of ['#ff0000', '#00ff00', '#0000ff', '#ffff00'].entries()) {
    expect((await uploadCapture(ctx, user, sessionId, index + 1, color)).status).toBe(201);
  }
  return sessionId;
}

/** Composite files on disk that no FinalComposite records (orphans). */
async function orphanFiles(): Promise<string[]> {
  const composites = await FinalCompositeModel.find().lean();
  const recorded = new Set(composites.flatMap((c) => [c.compositeKey, c.thumbnailKey]));
  const onDisk = await storedKeys(ctx.storage, 'composites');
  return onDisk.filter((key) => !recorded.has(key));
}

it('when an attempt dies after writing the files but before the composite, the retry makes exactly one composite and no orphan files', async () => {
  const user = await signIn(ctx, await createUser());
  let crashed = 0;
  const running = startWorker(async (job, progress) => {
    if (progress === 90 && job.attemptsMade === 0) {
      crashed += 1;
      throw new Error('simulated crash after the files were written');
    }
  });
  try {
    const sessionId = await sessionWithCaptures(user);
    const queued = await request(ctx.app)
      .post(`/api/sessions/${sessionId}/composite`)
      .set('Authorization', user.auth);
    expect(queued.status).toBe(202);
    const status = await eventually(async () => {
      const res = await request(ctx.app)
        .get(`/api/sessions/${sessionId}/composite`)
        .set('Authorization', user.auth);
      return res.body.data.status === 'completed' ? res.body.data : null;
    });
    expect(crashed).toBe(1);
    expect(status.composite._id).toBeDefined();
    expect(await FinalCompositeModel.countDocuments({ sessionId })).toBe(1);
    expect(await orphanFiles()).toEqual([]);
    expect((await PhotoSessionModel.findById(sessionId).lean())?.status).toBe('completed');
  } finally {
    await running.stop();
  }
});

it('when a worker is closed forcefully mid-render, another worker picks the stalled job up and exactly one composite exists', async () => {
  const user = await signIn(ctx, await createUser());
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  let firstStarted = false;
  const first = startWorker(async (_job, progress) => {
    if (progress === 90 && !firstStarted) {
      firstStarted = true;
      await held;
    }
  });
  const sessionId = await sessionWithCaptures(user);
  await request(ctx.app)
    .post(`/api/sessions/${sessionId}/composite`)
    .set('Authorization', user.auth)
    .expect(202);
  await eventually(async () => firstStarted);
  // The first worker stops renewing its lock without finishing the job, like a killed process.
  await first.stop(true);

  const second = startWorker(async () => undefined);
  try {
    await eventually(async () => FinalCompositeModel.exists({ sessionId }), 20_000);
    // The abandoned attempt now wakes up and finishes too: it must not add a second composite.
    release();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await FinalCompositeModel.countDocuments({ sessionId })).toBe(1);
    expect(await orphanFiles()).toEqual([]);
    const status = await request(ctx.app)
      .get(`/api/sessions/${sessionId}/composite`)
      .set('Authorization', user.auth);
    expect(status.body.data.status).toBe('completed');
  } finally {
    release();
    await second.stop();
  }
});

it('a render that cannot succeed fails once, leaves the session usable with a readable error, and can be requested again', async () => {
  const user = await signIn(ctx, await createUser());
  const running = startWorker(async () => undefined);
  try {
    const sessionId = await sessionWithCaptures(user);
    const session = await PhotoSessionModel.findById(sessionId).lean();
    await TemplateModel.deleteOne({ _id: session!.templateId });
    await request(ctx.app)
      .post(`/api/sessions/${sessionId}/composite`)
      .set('Authorization', user.auth)
      .expect(202);
    const failed = await eventually(async () => {
      const res = await request(ctx.app)
        .get(`/api/sessions/${sessionId}/composite`)
        .set('Authorization', user.auth);
      return res.body.data.status === 'failed' ? res.body.data : null;
    });
    expect(failed.error).toMatch(/template not found/i);
    const after = await PhotoSessionModel.findById(sessionId).lean();
    expect(after).toMatchObject({ status: 'active', renderStatus: 'failed' });
    expect(await FinalCompositeModel.countDocuments({ sessionId })).toBe(0);
    expect(await orphanFiles()).toEqual([]);
    const job = await ctx.jobs.queue('images').getJob(`render-${sessionId}`);
    expect(job?.attemptsMade).toBe(1);

    // Still usable: more captures can be uploaded and a new render gets the next job id.
    expect((await uploadCapture(ctx, user, sessionId, 5, '#ffffff')).status).toBe(201);
    const again = await request(ctx.app)
      .post(`/api/sessions/${sessionId}/composite`)
      .set('Authorization', user.auth);
    expect(again.status).toBe(202);
    expect(again.body.data.jobId).toBe(`render-${sessionId}-2`);
  } finally {
    await running.stop();
  }
});
