import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import { buildApp } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { processors } from '../../src/job-processors';
import { startWorkers, type RunningWorkers } from '../../src/jobs/worker-runner';
import { createLogger } from '../../src/lib/logger';
import { createHttpRuntime, type HttpRuntime } from '../../src/runtime';
import { testDatabaseUri } from '../helpers/database';
import { eventually } from '../helpers/eventually';
import { OwnRedisServer } from '../helpers/redis-server';

/**
 * The queues under a Redis that comes up after the API and the worker, and that stops and starts
 * again mid-run: the real runtime (src/runtime.ts) and worker runner, no restart of either.
 */
let redisServer: OwnRedisServer;
let uploadsDir: string;
let config: Readonly<Config>;
let runtime: HttpRuntime;
let app: Express;
let workers: RunningWorkers;

beforeAll(async () => {
  redisServer = await OwnRedisServer.create();
  uploadsDir = mkdtempSync(path.join(os.tmpdir(), 'kk-uploads-redis-outage-'));
  config = loadConfig({
    NODE_ENV: 'test',
    PUBLIC_BASE_URL: 'http://api.test',
    MONGODB_URI: testDatabaseUri('redis_outage'),
    REDIS_URL: redisServer.url,
    QUEUE_PREFIX: `kktest:outage:${randomBytes(4).toString('hex')}`,
    UPLOADS_DIR: uploadsDir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  });
  const logger = createLogger(config.logLevel);
  // The API process and the worker start while Redis is not running yet.
  runtime = await createHttpRuntime(config, logger);
  app = buildApp({ config, logger, ...runtime });
  workers = startWorkers({ config, logger, storage: runtime.storage, registry: processors });
  await runtime.mongoConnected;
});

afterAll(async () => {
  await workers?.close();
  await runtime?.close();
  await redisServer?.destroy();
  if (mongoose.connection.readyState === 1) await mongoose.connection.dropDatabase();
  await mongoose.disconnect();
  rmSync(uploadsDir, { recursive: true, force: true });
});

async function timedEnqueue(
  delay = 0,
): Promise<{ ms: number; id?: string; status?: number; code?: string }> {
  const started = Date.now();
  try {
    const id = await runtime.jobs.enqueue('remove-files', { keys: [] }, delay ? { delay } : {});
    return { ms: Date.now() - started, id };
  } catch (error) {
    const { status, code } = error as { status?: number; code?: string };
    return { ms: Date.now() - started, status, code };
  }
}

async function jobState(id: string): Promise<string> {
  return runtime.jobs.queue('background').getJobState(id);
}

describe('Redis comes up after the API and the worker', () => {
  it('enqueue answers 503 at once and /api/ready reports the queues down; once Redis is up, jobs are enqueued and run with no restart', async () => {
    const attempt = await timedEnqueue();
    expect(attempt).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(attempt.ms).toBeLessThan(1000);
    const notReady = await request(app).get('/api/ready');
    expect(notReady.status).toBe(503);
    expect(notReady.body.data).toEqual({ mongodb: 'up', redis: 'down', queues: 'down' });

    await redisServer.start();
    const accepted = await eventually(async () => (await timedEnqueue()).id, 5000);
    const ready = await request(app).get('/api/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.data).toEqual({ mongodb: 'up', redis: 'up', queues: 'up' });
    const health = await request(app).get('/api/health');
    expect(health.body.status.queues).toBe('up');
    expect(health.body.services.queues).toEqual({ up: true });
    await eventually(async () => (await jobState(accepted)) === 'completed');
  });
});

describe('Redis stops mid-run and starts again', () => {
  it('enqueue answers 503 within 1 s while it is down, works within 5 s after it is back, and no accepted job is lost', async () => {
    // Jobs accepted before the stop: some run at once, some are still waiting (delayed) when
    // Redis goes away.
    const accepted: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const now = await timedEnqueue();
      const later = await timedEnqueue(1500);
      expect([typeof now.id, typeof later.id]).toEqual(['string', 'string']);
      accepted.push(now.id!, later.id!);
    }

    await redisServer.stop();
    for (let i = 0; i < 5; i += 1) {
      const attempt = await timedEnqueue();
      expect(attempt).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
      expect(attempt.ms).toBeLessThan(1000);
    }
    const notReady = await request(app).get('/api/ready');
    expect(notReady.status).toBe(503);
    expect(notReady.body.data).toMatchObject({ redis: 'down', queues: 'down' });
    const health = await request(app).get('/api/health');
    expect(health.status).toBe(200);
    expect(health.body.services.queues).toEqual({ up: false });

    await redisServer.start();
    const back = Date.now();
    const after = await eventually(async () => (await timedEnqueue()).id, 5000);
    expect(Date.now() - back).toBeLessThan(5000);
    accepted.push(after);
    expect((await request(app).get('/api/ready')).status).toBe(200);

    // Every job accepted before the stop (and the one after) runs to completion.
    await eventually(async () => {
      const states = await Promise.all(accepted.map(jobState));
      return states.every((state) => state === 'completed');
    }, 20_000);
  });
});
