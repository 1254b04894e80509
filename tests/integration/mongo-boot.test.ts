import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startMongoStandin, type MongoStandin } from '@karyaklik/mongo-standin';
import type { Express } from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import { buildApp } from '../../src/app';
import { createLogger } from '../../src/lib/logger';
import { freePort } from '../../scripts/local-services/redis';
import { createHttpRuntime, type HttpRuntime } from '../../src/runtime';
import { eventually } from '../helpers/eventually';
import { configOnMongoPort } from '../helpers/database';

/**
 * The API started while its database is unreachable keeps serving (/api/ready 503) and goes on
 * by itself once the database is up. The late database is a MongoDB stand-in started by this
 * test on the port the API was configured with.
 */
let port: number;
let uploadsDir: string;
let runtime: HttpRuntime;
let app: Express;
let database: MongoStandin | undefined;

beforeAll(async () => {
  port = await freePort();
  uploadsDir = mkdtempSync(path.join(os.tmpdir(), 'kk-uploads-mongo-boot-'));
  const config = configOnMongoPort('mongo-boot', port, uploadsDir);
  const logger = createLogger(config.logLevel);
  runtime = await createHttpRuntime(config, logger);
  app = buildApp({ config, logger, ...runtime });
});

afterAll(async () => {
  await runtime?.close();
  await database?.stop();
  rmSync(uploadsDir, { recursive: true, force: true });
});

describe('MongoDB unreachable when the API starts', () => {
  it('answers /api/ready 503 (and 503 for a request needing the database) until MongoDB is up, then recovers with no restart', async () => {
    await eventually(async () => (await request(app).get('/api/ready')).body.data?.redis === 'up');
    const notReady = await request(app).get('/api/ready');
    expect(notReady.status).toBe(503);
    expect(notReady.body).toMatchObject({
      success: false,
      data: { mongodb: 'down', redis: 'up', queues: 'up' },
    });
    const health = await request(app).get('/api/health');
    expect(health.status).toBe(200);
    expect(health.body.services.mongodb.up).toBe(false);

    const refused = await request(app)
      .post('/api/auth/register')
      .send({ name: 'Early Bird', email: 'early@karyaklik.test', password: 'long-enough-1' });
    expect(refused.status).toBe(503);
    expect(refused.body.success).toBe(false);

    database = await startMongoStandin({ port });
    await eventually(async () => (await request(app).get('/api/ready')).status === 200, 30_000);
    expect((await request(app).get('/api/ready')).body.data).toEqual({
      mongodb: 'up',
      redis: 'up',
      queues: 'up',
    });
    const registered = await request(app)
      .post('/api/auth/register')
      .send({ name: 'Late Bird', email: 'late@karyaklik.test', password: 'long-enough-1' });
    expect(registered.status).toBe(201);
    expect(mongoose.connection.readyState).toBe(1);
  }, 90_000);
});
