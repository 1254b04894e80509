import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { buildApp } from '../../src/app';
import { processors } from '../../src/job-processors';
import { startWorkers } from '../../src/jobs/worker-runner';
import { TemplateModel } from '../../src/models';
import { createSessionDoc, createTemplate } from '../factories/sessions.factory';
import { createUser, signIn } from '../factories/users.factory';
import { uploadCapture } from '../helpers/captures';
import { useTestContext } from '../helpers/context';
import { eventually } from '../helpers/eventually';

const METRICS_TOKEN = 'metrics-token-for-tests-0123';
const ctx = useTestContext('observability', { METRICS_TOKEN });

interface LogLine {
  msg: string;
  job?: string;
  jobId?: string;
  requestId?: string;
  [key: string]: unknown;
}

/** A worker set whose log lines are kept (JSON, debug level and up). */
function recordingWorkers() {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  const running = startWorkers({
    config: ctx.config,
    logger: pino({ level: 'debug' }, stream),
    storage: ctx.storage,
    registry: processors,
  });
  return { lines, running };
}

async function sessionWithCapture() {
  const user = await signIn(ctx, await createUser());
  const template = await createTemplate(ctx.storage);
  const session = await createSessionDoc(user.id, { templateId: template._id });
  const sessionId = String(session._id);
  expect((await uploadCapture(ctx, user, sessionId, 1, '#336699')).status).toBe(201);
  return { user, sessionId };
}

describe('request ids in jobs', () => {
  it('a job enqueued by a request carries its X-Request-Id, and every log line of the job names it', async () => {
    const { user, sessionId } = await sessionWithCapture();
    const requestId = 'req-observe-0001';
    const queued = await request(ctx.app)
      .post(`/api/sessions/${sessionId}/composite`)
      .set('Authorization', user.auth)
      .set('X-Request-Id', requestId);
    expect(queued.status).toBe(202);
    const job = await ctx.jobs.queue('images').getJob(queued.body.data.jobId);
    expect(job?.data).toMatchObject({ sessionId, requestId });

    const { lines, running } = recordingWorkers();
    try {
      await eventually(async () =>
        lines.find((l) => l.jobId === job?.id && l.msg === 'job completed'),
      );
      const ofJob = lines.filter((l) => l.jobId === job?.id);
      expect(ofJob.length).toBeGreaterThan(0);
      for (const line of ofJob) expect(line.requestId).toBe(requestId);
    } finally {
      await running.close();
    }
  });

  it('a request without a usable X-Request-Id gets a generated one, and its job carries that one', async () => {
    const { user, sessionId } = await sessionWithCapture();
    const queued = await request(ctx.app)
      .post(`/api/sessions/${sessionId}/composite`)
      .set('Authorization', user.auth)
      .set('X-Request-Id', 'not valid!');
    expect(queued.status).toBe(202);
    const generated = queued.headers['x-request-id'];
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    const job = await ctx.jobs.queue('images').getJob(queued.body.data.jobId);
    expect(job?.data.requestId).toBe(generated);
  });

  it('the failure line of a failing job names the request too', async () => {
    const { user, sessionId } = await sessionWithCapture();
    const session = await request(ctx.app)
      .get(`/api/sessions/${sessionId}`)
      .set('Authorization', user.auth);
    await TemplateModel.deleteOne({ _id: session.body.data.templateId });
    const requestId = 'req-observe-fail-01';
    const queued = await request(ctx.app)
      .post(`/api/sessions/${sessionId}/composite`)
      .set('Authorization', user.auth)
      .set('X-Request-Id', requestId);
    expect(queued.status).toBe(202);
    const { lines, running } = recordingWorkers();
    try {
      const failed = await eventually(async () =>
        lines.find((l) => l.jobId === queued.body.data.jobId && l.msg === 'job failed'),
      );
      expect(failed.requestId).toBe(requestId);
    } finally {
      await running.close();
    }
  });
});

describe('GET /api/metrics', () => {
  it('answers 401 without the metrics token and 404 when no token is configured', async () => {
    expect((await request(ctx.app).get('/api/metrics')).status).toBe(401);
    const wrong = await request(ctx.app)
      .get('/api/metrics')
      .set('Authorization', 'Bearer wrong-token-0123456789');
    expect(wrong.status).toBe(401);
    const user = await signIn(ctx, await createUser({ role: 'admin' }));
    // An admin's sign-in token is not the metrics token.
    expect(
      (await request(ctx.app).get('/api/metrics').set('Authorization', user.auth)).status,
    ).toBe(401);
    const off = buildApp({
      ...ctx,
      config: { ...ctx.config, metrics: { token: '', workerPort: 0 } },
    });
    expect((await request(off).get('/api/metrics')).status).toBe(404);
  });

  it('after a few requests and jobs, shows request, job, queue, image and event-loop metrics', async () => {
    const { user, sessionId } = await sessionWithCapture();
    await request(ctx.app).get('/api/no-such-route').expect(404);
    await request(ctx.app).get(`/api/sessions/${sessionId}`).set('Authorization', user.auth);
    const queued = await request(ctx.app)
      .post(`/api/sessions/${sessionId}/composite`)
      .set('Authorization', user.auth);
    expect(queued.status).toBe(202);
    const { lines, running } = recordingWorkers();
    try {
      await eventually(async () =>
        lines.find((l) => l.jobId === queued.body.data.jobId && l.msg === 'job completed'),
      );
      // The capture's thumbnail job, enqueued by the upload, has run too.
      await eventually(async () =>
        lines.find((l) => l.job === 'normalize-capture' && l.msg === 'job completed'),
      );
    } finally {
      await running.close();
    }

    const res = await request(ctx.app)
      .get('/api/metrics')
      .set('Authorization', `Bearer ${METRICS_TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.text;
    // Requests by route template, never by raw URL.
    expect(text).toMatch(
      /kk_http_request_duration_seconds_count\{method="GET",route="\/api\/sessions\/:id",status="200"\} [1-9]/,
    );
    expect(text).toMatch(
      /kk_http_request_duration_seconds_count\{method="POST",route="\/api\/sessions\/:id\/composite",status="202"\} [1-9]/,
    );
    expect(text).toMatch(
      /kk_http_request_duration_seconds_count\{method="GET",route="unmatched",status="404"\} [1-9]/,
    );
    expect(text).not.toContain(sessionId);
    expect(text).toMatch(/kk_http_request_duration_seconds_bucket\{le="0.005",method="GET"/);
    // Jobs by name and outcome; image work by operation.
    expect(text).toMatch(
      /kk_job_duration_seconds_count\{job="render-composite",outcome="completed"\} [1-9]/,
    );
    expect(text).toMatch(/kk_job_duration_seconds_bucket\{le="1",job="normalize-capture"/);
    expect(text).toMatch(
      /kk_image_work_duration_seconds_count\{operation="render-composite"\} [1-9]/,
    );
    expect(text).toMatch(/kk_image_work_duration_seconds_count\{operation="thumbnail"\} [1-9]/);
    expect(text).toMatch(
      /kk_image_work_duration_seconds_count\{operation="normalize-capture"\} [1-9]/,
    );
    // Queue depths, read when scraped; event-loop lag.
    expect(text).toMatch(/kk_queue_jobs\{queue="images",state="completed"\} [1-9]/);
    expect(text).toMatch(/kk_queue_jobs\{queue="background",state="waiting"\} \d/);
    expect(text).toMatch(/nodejs_eventloop_lag_p99_seconds \d/);
  });
});
