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
 * MongoDB goes away while the API runs: requests that need it answer 503 promptly (not after
 * mongoose's 10 s buffering), and the API recovers by itself when the database is back. The
 * database is a MongoDB stand-in of this test, stopped and started again on the same port.
 */
let port: number;
let uploadsDir: string;
let runtime: HttpRuntime;
let app: Express;
let database: MongoStandin | undefined;

/** Generous against a shared machine's scheduling, far below the 10 s mongoose would wait. */
const PROMPT_MS = 2500;

beforeAll(async () => {
  port = await freePort();
  uploadsDir = mkdtempSync(path.join(os.tmpdir(), 'kk-uploads-mongo-outage-'));
  database = await startMongoStandin({ port });
  const config = configOnMongoPort('mongo-outage', port, uploadsDir);
  const logger = createLogger(config.logLevel);
  runtime = await createHttpRuntime(config, logger);
  app = buildApp({ config, logger, ...runtime });
  await runtime.mongoConnected;
});

afterAll(async () => {
  await runtime?.close();
  await database?.stop();
  rmSync(uploadsDir, { recursive: true, force: true });
});

const register = (name: string) =>
  request(app)
    .post('/api/auth/register')
    .send({ name, email: `${name.toLowerCase()}@karyaklik.test`, password: 'long-enough-1' });

async function expectPrompt503s(): Promise<void> {
  for (let i = 0; i < 3; i += 1) {
    const write = await timed(() => register(`During${i}`));
    expect(write.res.status).toBe(503);
    expect(write.res.body).toMatchObject({ success: false, code: 'SERVICE_UNAVAILABLE' });
    expect(write.ms).toBeLessThan(PROMPT_MS);
    const read = await timed(() =>
      request(app)
        .post('/api/auth/login')
        .send({ email: 'before@karyaklik.test', password: 'long-enough-1' }),
    );
    expect(read.res.status).toBe(503);
    expect(read.ms).toBeLessThan(PROMPT_MS);
  }
}

async function timed(send: () => Promise<request.Response>) {
  const started = Date.now();
  const res = await send();
  return { res, ms: Date.now() - started };
}

describe('MongoDB stops while the API runs, then comes back', () => {
  it('answers 503 promptly while it is down (reads and writes), and serves again with no restart once it is back', async () => {
    expect((await register('Before')).status).toBe(201);
    await database!.stop();
    database = undefined;

    // Right after the stop the driver still holds the server (requests fail on connecting);
    // once its heartbeat has failed, mongoose marks itself disconnected and would buffer
    // commands for 10 s: both phases must answer promptly.
    await expectPrompt503s();
    await eventually(async () => mongoose.connection.readyState !== 1, 30_000, 200);
    await expectPrompt503s();
    const notReady = await request(app).get('/api/ready');
    expect(notReady.status).toBe(503);
    expect(notReady.body.data).toMatchObject({ mongodb: 'down' });

    database = await startMongoStandin({ port });
    await eventually(async () => (await request(app).get('/api/ready')).status === 200, 30_000);
    // The restarted stand-in is empty: a new account proves writes and reads work again.
    expect((await register('After')).status).toBe(201);
    const login = await request(app)
      .post('/api/auth/login')
      .send({ email: 'after@karyaklik.test', password: 'long-enough-1' });
    expect(login.status).toBe(200);
    expect(mongoose.connection.readyState).toBe(1);
  }, 90_000);
});
