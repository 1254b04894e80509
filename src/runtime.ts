import type { Redis } from 'ioredis';
import mongoose from 'mongoose';
import type { Config } from './config';
import { JobQueue } from './jobs/job-queue';
import type { Logger } from './lib/logger';
import { connectMongo } from './lib/mongo';
import { createRedis } from './lib/redis';
import type { FileStorage } from './lib/storage';
import { LocalFileStorage } from './lib/storage-local';
import { applyMongooseDefaults } from './models/mongoose-defaults';

/** The long-lived connections the HTTP process holds; closed in reverse order on shutdown. */
export interface HttpRuntime {
  redis: Redis;
  jobs: JobQueue;
  storage: FileStorage;
  close: () => Promise<void>;
}

export function createStorage(config: Readonly<Config>): FileStorage {
  return new LocalFileStorage({
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
  await connectMongo(config.mongodbUri, logger);
  const redis = createRedis(config.redisUrl, 'http');
  const jobs = new JobQueue(redis, config.queuePrefix);
  return {
    redis,
    jobs,
    storage: createStorage(config),
    close: async () => {
      await jobs.close();
      await redis.quit().catch(() => redis.disconnect());
      await mongoose.disconnect();
    },
  };
}
