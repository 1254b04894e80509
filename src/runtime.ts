import type { Redis } from 'ioredis';
import type { Config } from './config';
import { JobQueue } from './jobs/job-queue';
import type { Logger } from './lib/logger';
import { connectMongoWithRetry, disconnectMongo } from './lib/mongo';
import { createRedis } from './lib/redis';
import type { FileStorage } from './lib/storage';
import { LocalFileStorage } from './lib/storage-local';
import { S3FileStorage } from './lib/storage-s3';
import { FileDeletionModel } from './models/file-deletion.model';
import { applyMongooseDefaults } from './models/mongoose-defaults';
import { createAnalyticsWriter, type AnalyticsWriter } from './modules/analytics/event-writer';

/** The long-lived connections the HTTP process holds; closed in reverse order on shutdown. */
export interface HttpRuntime {
  redis: Redis;
  jobs: JobQueue;
  storage: FileStorage;
  analytics: AnalyticsWriter;
  /** Settles when MongoDB first answers (the process serves, with /api/ready 503, before). */
  mongoConnected: Promise<void>;
  close: () => Promise<void>;
}

/** The configured storage driver; the rest of the code only sees the FileStorage interface. */
export function createStorage(config: Readonly<Config>): FileStorage {
  const urls = {
    publicBaseUrl: config.publicBaseUrl,
    urlSecret: config.files.urlSecret,
    urlTtlSeconds: config.files.urlTtlSeconds,
    directPublicUrl: config.storage.publicUrl,
    onRemoveFailed: recordFailedRemovals,
  };
  if (config.storage.driver === 's3') return new S3FileStorage({ ...urls, ...config.storage.s3 });
  return new LocalFileStorage({ ...urls, root: config.files.uploadsDir });
}

/** Failed removals wait in `filedeletions` for the sweep-file-deletions job. */
async function recordFailedRemovals(keys: string[], error: unknown): Promise<void> {
  const lastError = (error instanceof Error ? error.message : String(error)).slice(0, 500);
  await Promise.all(
    keys.map((key) =>
      FileDeletionModel.updateOne(
        { key },
        { $inc: { attempts: 1 }, $set: { lastError } },
        { upsert: true },
      ),
    ),
  );
}

export async function createHttpRuntime(
  config: Readonly<Config>,
  logger: Logger,
): Promise<HttpRuntime> {
  applyMongooseDefaults();
  // Neither service has to be up first: MongoDB is connected in the background (requests and
  // /api/ready answer 503 until it is), Redis reconnects by itself, and the queues start on
  // first use once Redis answers (jobs/job-queue.ts).
  // Requests must not hang on an unreachable database: they fail (503) after this short wait.
  const mongo = connectMongoWithRetry(config.mongodbUri, logger, {
    timeoutMs: config.mongodbRequestTimeoutMs,
  });
  const redis = createRedis(config.redisUrl, 'http');
  const jobs = new JobQueue(redis, config.queuePrefix);
  const analytics = createAnalyticsWriter(config, logger);
  const storage = createStorage(config);
  return {
    redis,
    jobs,
    storage,
    analytics,
    mongoConnected: mongo.connected,
    close: async () => {
      mongo.stop();
      // Buffered analytics events are written while MongoDB is still connected.
      await analytics.close(Math.max(1000, config.shutdownTimeoutMs - 2000));
      await jobs.close();
      storage.close();
      await redis.quit().catch(() => redis.disconnect());
      await disconnectMongo();
    },
  };
}
