import type { Redis } from 'ioredis';
import mongoose from 'mongoose';
import type { Config } from './config';
import { JobQueue } from './jobs/job-queue';
import type { Logger } from './lib/logger';
import { connectMongoWithRetry } from './lib/mongo';
import { createRedis } from './lib/redis';
import { FileStorage } from './lib/storage';
import { applyMongooseDefaults } from './models/mongoose-defaults';

/** The long-lived connections the HTTP process holds; closed in reverse order on shutdown. */
export interface HttpRuntime {
  redis: Redis;
  jobs: JobQueue;
  storage: FileStorage;
  /** Settles when MongoDB first answers (the process serves, with /api/ready 503, before). */
  mongoConnected: Promise<void>;
  close: () => Promise<void>;
}

export function createStorage(config: Readonly<Config>): FileStorage {
  return new FileStorage({
    root: config.files.uploadsDir,
    publicBaseUrl: config.publicBaseUrl,
    urlSecret: config.files.urlSecret,
    urlTtlSeconds: config.files.urlTtlSeconds,
  });
}

export async function createHttpRuntime(
  config: Readonly<Config>,
  logger: Logger,
): Promise<HttpRuntime> {
  applyMongooseDefaults();
  // Neither service has to be up first: MongoDB is connected in the background (requests and
  // /api/ready answer 503 until it is), Redis reconnects by itself, and the queues start on
  // first use once Redis answers (jobs/job-queue.ts).
  const mongo = connectMongoWithRetry(config.mongodbUri, logger);
  const redis = createRedis(config.redisUrl, 'http');
  const jobs = new JobQueue(redis, config.queuePrefix);
  return {
    redis,
    jobs,
    storage: createStorage(config),
    mongoConnected: mongo.connected,
    close: async () => {
      mongo.stop();
      await jobs.close();
      await redis.quit().catch(() => redis.disconnect());
      await mongoose.disconnect();
    },
  };
}
