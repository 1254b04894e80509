import { provideMongo, type ProvidedMongo } from '../../scripts/local-services/mongo';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { provideRedis, type ProvidedRedis } from '../../scripts/local-services/redis';

interface HarnessServices {
  mongo: ProvidedMongo;
  redis: ProvidedRedis;
  /** Shared between test files for this run (e.g. the lazily started S3 server, tests/helpers/s3.ts). */
  stateDir: string;
}

declare global {
  var __KK_SERVICES__: HarnessServices | undefined;
}

/**
 * Starts the database and Redis once for the whole run; every test file then works in its own
 * database and Redis key prefix (tests/helpers/context.ts), so files never see each other's data.
 */
export default async function globalSetup(): Promise<void> {
  const log = (message: string) => process.stderr.write(`[test harness] ${message}\n`);
  const mongo = await provideMongo({
    configuredUri: process.env.TEST_MONGODB_URI,
    log,
    ttlIntervalMs: 1000,
  });
  const redis = await provideRedis({ configuredUrl: process.env.TEST_REDIS_URL, log });
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'kk-test-run-'));
  globalThis.__KK_SERVICES__ = { mongo, redis, stateDir };
  process.env.KK_TEST_STATE_DIR = stateDir;
  process.env.KK_TEST_MONGODB_URI = mongo.uri;
  process.env.KK_TEST_MONGODB_KIND = mongo.kind;
  process.env.KK_TEST_REDIS_URL = redis.url;
}
