import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { buildApp } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import type { JobContext } from '../../src/jobs/job-context';
import { JobQueue } from '../../src/jobs/job-queue';
import { QUEUE_NAMES } from '../../src/jobs/queues';
import { processors } from '../../src/job-processors';
import { startWorkers, type RunningWorkers } from '../../src/jobs/worker-runner';
import { createLogger, type Logger } from '../../src/lib/logger';
import { createRedis } from '../../src/lib/redis';
import type { FileStorage } from '../../src/lib/storage';
import { FileAccess } from '../../src/modules/files/file-access';
import { applyMongooseDefaults } from '../../src/models/mongoose-defaults';
import {
  createAnalyticsWriter,
  type AnalyticsWriter,
} from '../../src/modules/analytics/event-writer';
import { createStorage } from '../../src/runtime';
import { testDatabaseUri } from './database';
import { testBucketEnv } from './s3';

export interface TestContext {
  config: Readonly<Config>;
  app: Express;
  redis: Redis;
  jobs: JobQueue;
  storage: FileStorage;
  fileAccess: FileAccess;
  logger: Logger;
  uploadsDir: string;
  /** The app's batch writer of tracked events; `flush()` it before reading them. */
  analytics: AnalyticsWriter;
  /** Starts real BullMQ workers on this file's queues (stopped automatically after the file). */
  startWorkers: () => RunningWorkers;
}

/** A processor's context for calling it directly (no Redis), on this file's config and storage. */
export function jobContextOf(ctx: TestContext, overrides: Partial<JobContext> = {}): JobContext {
  return {
    config: ctx.config,
    logger: ctx.logger,
    storage: ctx.storage,
    jobId: 'test',
    attemptsMade: 0,
    reportProgress: async () => undefined,
    ...overrides,
  };
}

/**
 * Everything one integration test file needs, isolated from other files: its own database, its
 * own Redis key prefix (queues and rate limits), its own uploads directory. Created in beforeAll,
 * torn down in afterAll.
 */
export function useTestContext(
  label: string,
  /** Extra environment; a function is read when the context starts (e.g. a fake server's URL). */
  env: Record<string, string> | (() => Record<string, string>) = {},
): TestContext {
  const ctx = {} as TestContext;
  const workers: RunningWorkers[] = [];

  beforeAll(async () => {
    const uploadsDir = mkdtempSync(path.join(os.tmpdir(), `kk-uploads-${label}-`));
    const redisUrl = process.env.KK_TEST_REDIS_URL;
    if (!redisUrl)
      throw new Error('KK_TEST_REDIS_URL is not set: run tests through jest (global setup).');
    const extra = typeof env === 'function' ? env() : env;
    // STORAGE_DRIVER=s3 in a file's env, or TEST_STORAGE_DRIVER=s3 for a whole run: a new bucket.
    const driver = extra.STORAGE_DRIVER ?? process.env.TEST_STORAGE_DRIVER;
    const bucketEnv = driver === 's3' ? await testBucketEnv(label) : {};
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '3999',
      PUBLIC_BASE_URL: 'http://api.test',
      FRONTEND_URL: 'http://app.test',
      MONGODB_URI: testDatabaseUri(label),
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: `kktest:${label}:${randomBytes(4).toString('hex')}`,
      JWT_SECRET: 'test-secret-that-is-long-enough-0123456789',
      FILE_URL_SECRET: 'test-file-secret-that-is-long-enough-0123',
      UPLOADS_DIR: uploadsDir,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      ADMIN_EMAIL: 'admin@karyaklik.test',
      ADMIN_PASSWORD: 'admin-password-123',
      ...bucketEnv,
      ...extra,
    });
    applyMongooseDefaults();
    await mongoose.connect(config.mongodbUri, { serverSelectionTimeoutMS: 10_000 });
    await Promise.all(Object.values(mongoose.connection.models).map((model) => model.init()));

    const logger = createLogger(config.logLevel);
    const redis = createRedis(config.redisUrl, 'http');
    await waitForRedis(redis);
    const jobs = new JobQueue(redis, config.queuePrefix);
    const storage = createStorage(config);
    const fileAccess = new FileAccess();
    const analytics = createAnalyticsWriter(config, logger);
    const app = buildApp({ config, logger, redis, jobs, storage, fileAccess, analytics });
    Object.assign(ctx, {
      analytics,
      config,
      app,
      redis,
      jobs,
      storage,
      fileAccess,
      logger,
      uploadsDir,
      startWorkers: () => {
        const running = startWorkers({ config, logger, storage, registry: processors });
        workers.push(running);
        return running;
      },
    });
  }, 300_000);

  afterAll(async () => {
    await Promise.allSettled(workers.map((w) => w.close()));
    if (ctx.analytics) await ctx.analytics.close(2000);
    if (ctx.jobs) {
      await Promise.allSettled(
        QUEUE_NAMES.map((q) => ctx.jobs.queue(q).obliterate({ force: true })),
      );
      await ctx.jobs.close();
    }
    if (ctx.redis) {
      await ctx.redis.quit().catch(() => ctx.redis.disconnect());
    }
    if (mongoose.connection.readyState === 1)
      await mongoose.connection.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
    ctx.storage?.close();
    if (ctx.uploadsDir) rmSync(ctx.uploadsDir, { recursive: true, force: true });
  });

  return ctx;
}

async function waitForRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Redis did not become ready')), 5000);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
