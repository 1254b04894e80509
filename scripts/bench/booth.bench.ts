/**
 * HTTP figures against the embedded services. (1) The capture upload as the web client sends it: `POST /api/photos/upload` with a 1280×720 JPEG
 * as a base64 data URL, one request at a time over a kept-alive connection, against the embedded
 * services `npm start` uses (the MongoDB stand-in or mongodb-memory-server, a private Redis). The
 * API runs in this process on a real port; no worker runs while requests are timed, so the
 * figures are the request path alone. (2) Render status push: a worker in this process renders
 * real sessions while an SSE client waits on `GET /sessions/:id/events`; the figure is the time
 * from the worker finishing the job to the `completed` event arriving at the client.
 * Runs on its own: `npx tsx scripts/bench/booth.bench.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { buildApp } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import sharp from 'sharp';
import { JobQueue } from '../../src/jobs/job-queue';
import { processors } from '../../src/job-processors';
import { startWorkers } from '../../src/jobs/worker-runner';
import { QUEUE_NAMES } from '../../src/jobs/queues';
import { createLogger } from '../../src/lib/logger';
import { applyMongooseDefaults } from '../../src/models/mongoose-defaults';
import { TemplateModel } from '../../src/models';
import type { FileStorage } from '../../src/lib/storage';
import { createStorage } from '../../src/runtime';
import { provideMongo } from '../local-services/mongo';
import { provideRedis } from '../local-services/redis';
import { photoLikeJpeg } from './bench-inputs';
import { createBenchUser } from './bench-user';

export interface LatencyRow {
  name: string;
  samples: number;
  p50: number;
  p90: number;
  max: number;
  target?: number;
  unit: 'ms';
}

export interface BenchServices {
  config: Readonly<Config>;
  baseUrl: string;
  auth: string;
  userId: string;
  jobs: JobQueue;
  redis: Redis;
  storage: FileStorage;
  close: () => Promise<void>;
}

const quiet = () => undefined;

/** Embedded MongoDB and Redis, the API listening on a free port, one signed-in user. */
export async function startBenchServices(
  log: (line: string) => void = quiet,
): Promise<BenchServices> {
  const mongo = await provideMongo({ configuredUri: process.env.BENCH_MONGODB_URI, log });
  const redisService = await provideRedis({
    configuredUrl: process.env.BENCH_REDIS_URL,
    log,
  }).catch(async (error: unknown) => {
    await mongo.stop();
    throw error;
  });
  const stopServices = () => Promise.allSettled([mongo.stop(), redisService.stop()]);
  try {
    return await connectAndListen(mongo.uri, redisService.url, stopServices);
  } catch (error) {
    await mongoose.disconnect();
    await stopServices();
    throw error;
  }
}

async function connectAndListen(
  mongoUri: string,
  redisUrl: string,
  stopServices: () => Promise<unknown>,
): Promise<BenchServices> {
  const uploadsDir = mkdtempSync(path.join(os.tmpdir(), 'kk-bench-uploads-'));
  const config = loadConfig({
    NODE_ENV: 'development',
    PORT: '0',
    PUBLIC_BASE_URL: 'http://127.0.0.1:1',
    FRONTEND_URL: 'http://127.0.0.1:2',
    MONGODB_URI: mongoUri,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: `kkbench:${process.pid}`,
    JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789',
    FILE_URL_SECRET: 'bench-file-secret-that-is-long-enough-0123',
    UPLOADS_DIR: uploadsDir,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_ENABLED: 'false',
  });
  applyMongooseDefaults();
  await mongoose.connect(config.mongodbUri);
  await Promise.all(Object.values(mongoose.connection.models).map((model) => model.init()));
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1 });
  await new Promise<void>((resolve) =>
    redis.status === 'ready' ? resolve() : redis.once('ready', () => resolve()),
  );
  const jobs = new JobQueue(redis, config.queuePrefix);
  const storage = createStorage(config);
  const app = buildApp({ config, logger: createLogger('silent'), redis, jobs, storage });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;

  const user = await createBenchUser(config, `bench-${process.pid}@karyaklik.test`);
  return {
    config,
    baseUrl: `http://127.0.0.1:${port}`,
    auth: user.auth,
    userId: user.userId,
    jobs,
    redis,
    storage,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled(QUEUE_NAMES.map((q) => jobs.queue(q).obliterate({ force: true })));
      await jobs.close();
      await redis.quit().catch(() => redis.disconnect());
      await mongoose.connection.dropDatabase().catch(() => undefined);
      await mongoose.disconnect();
      await stopServices();
      rmSync(uploadsDir, { recursive: true, force: true });
    },
  };
}

export async function newSession(
  services: BenchServices,
  templateId = 'ai-generated-bench',
): Promise<string> {
  const res = await fetch(`${services.baseUrl}/api/sessions`, {
    method: 'POST',
    headers: { Authorization: services.auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ sessionName: 'Bench', templateId }),
  });
  const body = (await res.json()) as { data: { _id: string } };
  if (res.status !== 201) throw new Error(`session: HTTP ${res.status}`);
  return body.data._id;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

export function latencyRow(name: string, samples: number[], target?: number): LatencyRow {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    name,
    samples: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    ...(target === undefined ? {} : { target }),
    unit: 'ms',
  };
}

/** Four captures a session, as a booth takes them; sessions are made outside the timing. */
export async function benchCaptureUpload(
  services: BenchServices,
  options: { requests: number; warmup: number },
): Promise<LatencyRow> {
  const jpeg = await photoLikeJpeg(1280, 720, 3);
  const body = (sessionId: string, order: number) =>
    JSON.stringify({
      sessionId,
      photoUrl: `data:image/jpeg;base64,${jpeg.toString('base64')}`,
      order,
      metadata: { photoNumber: order, capturedAt: new Date().toISOString() },
    });
  const samples: number[] = [];
  let sessionId = '';
  for (let i = 0; i < options.warmup + options.requests; i += 1) {
    const order = (i % 4) + 1;
    if (order === 1) sessionId = await newSession(services);
    const payload = body(sessionId, order);
    const started = performance.now();
    const res = await fetch(`${services.baseUrl}/api/photos/upload`, {
      method: 'POST',
      headers: { Authorization: services.auth, 'Content-Type': 'application/json' },
      body: payload,
    });
    await res.arrayBuffer();
    const elapsed = performance.now() - started;
    if (res.status !== 201) throw new Error(`capture upload: HTTP ${res.status}`);
    if (i >= options.warmup) samples.push(elapsed);
  }
  return latencyRow(
    `POST /photos/upload (1280×720 JPEG ${Math.round(jpeg.length / 1024)} KiB, base64)`,
    samples,
    25,
  );
}

const SLOTS = [
  { x: 30, y: 30, width: 255, height: 375 },
  { x: 315, y: 30, width: 255, height: 375 },
  { x: 30, y: 465, width: 255, height: 375 },
  { x: 315, y: 465, width: 255, height: 375 },
];

async function benchTemplate(storage: FileStorage): Promise<string> {
  const frame = await sharp({
    create: { width: 600, height: 900, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
  })
    .png()
    .toBuffer();
  const saved = await storage.save('templates', 'png', frame);
  const template = await TemplateModel.create({
    name: 'Bench frame',
    category: 'Birthday',
    thumbnail: storage.publicUrl(saved.key),
    frameUrl: storage.publicUrl(saved.key),
    frameCount: 4,
    layoutPositions: SLOTS,
    canvasWidth: 600,
    canvasHeight: 900,
    isPremium: false,
    visibility: 'public',
    isActive: true,
  });
  return String(template._id);
}

/** Reads an SSE response until a `status` event says completed; returns when it arrived. */
async function awaitCompletedEvent(response: Response): Promise<number> {
  if (!response.body) throw new Error('SSE: no body');
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) throw new Error('SSE: the stream ended without a completed status');
    text += decoder.decode(value, { stream: true });
    if (/"status":"completed"/.test(text)) {
      const arrived = performance.now();
      await reader.cancel().catch(() => undefined);
      return arrived;
    }
    if (/"status":"failed"/.test(text)) throw new Error(`SSE: render failed: ${text}`);
  }
}

/**
 * Job completion → SSE event: each session gets four small captures and a server render while
 * its SSE stream is open; the worker's `completed` event (same process, same clock) starts the
 * clock, the `completed` status arriving at the client stops it.
 */
export async function benchRenderPush(
  services: BenchServices,
  options: { renders: number; warmup: number },
): Promise<LatencyRow> {
  const templateId = await benchTemplate(services.storage);
  const capture = await photoLikeJpeg(640, 480, 5);
  const photoUrl = `data:image/jpeg;base64,${capture.toString('base64')}`;
  const finished = new Map<string, number>();
  const running = startWorkers({
    config: services.config,
    logger: createLogger('silent'),
    storage: services.storage,
    registry: processors,
  });
  for (const worker of running.workers)
    worker.on('completed', (job) => {
      if (job.name === 'render-composite' && job.id) finished.set(job.id, performance.now());
    });
  const samples: number[] = [];
  let early = 0;
  const headers = { Authorization: services.auth, 'Content-Type': 'application/json' };
  try {
    for (let i = 0; i < options.warmup + options.renders; i += 1) {
      const sessionId = await newSession(services, templateId);
      for (const order of [1, 2, 3, 4]) {
        const res = await fetch(`${services.baseUrl}/api/photos/upload`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ sessionId, photoUrl, order }),
        });
        if (res.status !== 201) throw new Error(`capture upload: HTTP ${res.status}`);
        await res.arrayBuffer();
      }
      const asked = await fetch(`${services.baseUrl}/api/sessions/${sessionId}/composite`, {
        method: 'POST',
        headers,
      });
      const { data } = (await asked.json()) as { data: { jobId: string } };
      const opened = performance.now();
      const stream = await fetch(`${services.baseUrl}/api/sessions/${sessionId}/events`, {
        headers: { Authorization: services.auth },
      });
      if (stream.status !== 200) throw new Error(`SSE: HTTP ${stream.status}`);
      const arrived = await awaitCompletedEvent(stream);
      const deadline = Date.now() + 2000;
      while (!finished.has(data.jobId) && Date.now() < deadline)
        await new Promise((resolve) => setImmediate(resolve));
      const done = finished.get(data.jobId);
      if (done === undefined)
        throw new Error(`no completed event from the worker for ${data.jobId}`);
      // A render that finished before the stream opened says nothing about the push.
      if (done < opened) {
        early += 1;
        continue;
      }
      if (i >= options.warmup) samples.push(arrived - done);
    }
  } finally {
    await running.close();
  }
  const note = early > 0 ? ` (${early} finished before the stream opened, not counted)` : '';
  return latencyRow(`render job completed → SSE \`completed\` event${note}`, samples, 20);
}

export function printLatency(rows: LatencyRow[]): void {
  const width = Math.max(...rows.map((r) => r.name.length));
  console.log(
    `${'request'.padEnd(width)}  ${'n'.padStart(4)}  ${'p50'.padStart(7)}  ${'p90'.padStart(7)}  ${'max'.padStart(7)}  target`,
  );
  for (const row of rows) {
    const verdict =
      row.target === undefined
        ? ''
        : `p50 ≤${row.target} ${row.p50 <= row.target ? 'ok' : 'ABOVE'}`;
    console.log(
      `${row.name.padEnd(width)}  ${String(row.samples).padStart(4)}  ${row.p50.toFixed(1).padStart(7)}  ${row.p90.toFixed(1).padStart(7)}  ${row.max.toFixed(1).padStart(7)}  ${verdict}`,
    );
  }
}

if (require.main === module) {
  (async () => {
    const services = await startBenchServices((line) => console.log(`[bench] ${line}`));
    try {
      const upload = await benchCaptureUpload(services, { requests: 200, warmup: 20 });
      const push = await benchRenderPush(services, { renders: 20, warmup: 2 });
      printLatency([upload, push]);
    } finally {
      await services.close();
    }
  })().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
