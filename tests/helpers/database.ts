import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { loadConfig, type Config } from '../../src/config';

/** The database URI for one test file: the harness's server with a database of its own. */
export function testDatabaseUri(label: string): string {
  const base = process.env.KK_TEST_MONGODB_URI;
  if (!base)
    throw new Error('KK_TEST_MONGODB_URI is not set: run tests through jest (global setup).');
  const safe = label.replace(/[^a-zA-Z0-9_]/g, '_').slice(0, 30);
  const dbName = `kk_${safe}_${randomBytes(4).toString('hex')}`;
  const url = new URL(base);
  url.pathname = `/${dbName}`;
  return url.toString();
}

/**
 * Connects mongoose's default connection to a private database for the calling test file,
 * builds every model's indexes, and drops the database afterwards.
 */
export function useTestDatabase(label: string): { uri: () => string } {
  let uri = '';
  beforeAll(async () => {
    uri = testDatabaseUri(label);
    await mongoose.connect(uri, { serverSelectionTimeoutMS: 10_000 });
    await Promise.all(Object.values(mongoose.connection.models).map((model) => model.init()));
  });
  afterAll(async () => {
    if (mongoose.connection.readyState === 1) {
      await mongoose.connection.dropDatabase().catch(() => undefined);
    }
    await mongoose.disconnect();
  });
  return { uri: () => uri };
}

/**
 * The config of an API whose database is a stand-in this test starts (or stops) itself on `port`,
 * not the harness's server; Redis is the harness's, under a key prefix of its own.
 */
export function configOnMongoPort(label: string, port: number, uploadsDir: string): Config {
  const db = `kk_${label.replace(/[^a-zA-Z0-9_]/g, '_')}`;
  return loadConfig({
    NODE_ENV: 'test',
    PUBLIC_BASE_URL: 'http://api.test',
    MONGODB_URI: `mongodb://127.0.0.1:${port}/${db}?replicaSet=rs0`,
    REDIS_URL: process.env.KK_TEST_REDIS_URL ?? '',
    QUEUE_PREFIX: `kktest:${label}:${randomBytes(4).toString('hex')}`,
    UPLOADS_DIR: uploadsDir,
    RATE_LIMIT_ENABLED: 'false',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  });
}
