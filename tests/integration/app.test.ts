import express from 'express';
import helmet from 'helmet';
import request from 'supertest';
import { buildApp } from '../../src/app';
import { JobQueue } from '../../src/jobs/job-queue';
import { createRedis } from '../../src/lib/redis';
import { useTestContext } from '../helpers/context';

const ctx = useTestContext('app');
const ORIGIN = 'https://karyaklik.netlify.app';

describe('health and readiness', () => {
  it('GET /api/health answers 200 with the server, database and Redis status', async () => {
    const res = await request(ctx.app).get('/api/health').set('Origin', ORIGIN);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      success: true,
      status: { server: 'running', mongodb: 'connected', redis: 'connected' },
      services: { mongodb: { up: true }, redis: { up: true } },
    });
    expect(res.body.services.mongodb.target).toMatch(/^mongodb:\/\/[^/]+\/kk_app_/);
    const expectedServer =
      process.env.KK_TEST_MONGODB_KIND === 'standin' ? 'mongo-standin' : 'mongod';
    expect(res.body.services.mongodb.server).toBe(expectedServer);
    expect(res.body.services.mongodb.version).toMatch(/^\d+\.\d+/);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
  });

  it('HEAD /api/health answers 200 with CORS headers and no body', async () => {
    const res = await request(ctx.app).head('/api/health').set('Origin', ORIGIN);
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(res.text).toBeUndefined();
  });

  it('GET /api/ready answers 200 when MongoDB and Redis answer', async () => {
    const res = await request(ctx.app).get('/api/ready');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ mongodb: 'up', redis: 'up', queues: 'up' });
  });

  it('when Redis is down, then /api/ready answers 503 promptly and /api/health still answers 200', async () => {
    const deadRedis = createRedis('redis://127.0.0.1:1', 'http');
    const jobs = new JobQueue(deadRedis, 'kk-dead');
    const app = buildApp({ ...ctx, redis: deadRedis, jobs });
    const started = Date.now();
    const ready = await request(app).get('/api/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.data).toEqual({ mongodb: 'up', redis: 'down', queues: 'down' });
    expect(Date.now() - started).toBeLessThan(3000);
    const health = await request(app).get('/api/health');
    expect(health.status).toBe(200);
    expect(health.body.services.redis.up).toBe(false);
    deadRedis.disconnect();
    await jobs.close();
  });

  it('when Redis is down, then enqueueing a job fails fast with a 503 AppError', async () => {
    const deadRedis = createRedis('redis://127.0.0.1:1', 'http');
    const jobs = new JobQueue(deadRedis, 'kk-dead');
    const started = Date.now();
    await expect(jobs.enqueue('remove-files', { keys: [] })).rejects.toMatchObject({
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
    });
    expect(Date.now() - started).toBeLessThan(2500);
    deadRedis.disconnect();
    await jobs.close();
  });
});

describe('CORS, errors and bodies', () => {
  it('answers a preflight with 200, the echoed origin, credentials and the headers the client sends', async () => {
    const res = await request(ctx.app)
      .options('/api/auth/verify')
      .set('Origin', 'http://localhost:5173')
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'authorization,content-type,cache-control,pragma');
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    const allowed = String(res.headers['access-control-allow-headers']).toLowerCase();
    for (const header of ['authorization', 'content-type', 'cache-control', 'pragma'])
      expect(allowed).toContain(header);
    expect(String(res.headers['access-control-allow-methods'])).toContain('PATCH');
  });

  it('when the origin is not on the allow-list, then no CORS headers are sent', async () => {
    const res = await request(ctx.app).get('/api/health').set('Origin', 'https://evil.example');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers unknown routes with 404 in envelope A', async () => {
    const res = await request(ctx.app).get('/api/does-not-exist');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ success: false, code: 'NOT_FOUND' });
    expect(res.body.message).toContain('/api/does-not-exist');
  });

  it('answers malformed JSON with 400 and a readable message', async () => {
    const res = await request(ctx.app)
      .post('/api/anything')
      .set('Content-Type', 'application/json')
      .send('{"a":');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      success: false,
      message: 'Invalid JSON body',
      code: 'VALIDATION_FAILED',
    });
  });

  it('accepts JSON bodies of 20 MB (base64 captures) and refuses bodies over the limit with 413', async () => {
    const big = { photoUrl: 'a'.repeat(20 * 1024 * 1024) };
    const ok = await request(ctx.app).post('/api/no-such-route').send(big);
    expect(ok.status).toBe(404);
    const tooBig = await request(ctx.app)
      .post('/api/no-such-route')
      .send({ photoUrl: 'a'.repeat(26 * 1024 * 1024) });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toMatchObject({ success: false, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('sets a request id on every response and honours a sane incoming one', async () => {
    const res = await request(ctx.app).get('/api/health').set('X-Request-Id', 'req-12345678');
    expect(res.headers['x-request-id']).toBe('req-12345678');
    const generated = await request(ctx.app)
      .get('/api/health')
      .set('X-Request-Id', 'bad id with spaces');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends every header helmet itself would send, with the same values', async () => {
    const reference = express();
    reference.disable('x-powered-by');
    reference.use(helmet({ crossOriginResourcePolicy: { policy: 'cross-origin' } }));
    reference.get('/api/health', (_req, res) => {
      res.json({});
    });
    const expected = (await request(reference).get('/api/health')).headers;
    const actual = (await request(ctx.app).get('/api/health')).headers;
    const helmetHeaders = Object.keys(expected).filter(
      (name) => !['content-type', 'content-length', 'etag', 'date', 'connection'].includes(name),
    );
    expect(helmetHeaders.length).toBeGreaterThan(8);
    for (const name of helmetHeaders) expect([name, actual[name]]).toEqual([name, expected[name]]);
  });

  it('sends helmet headers but lets other origins embed images', async () => {
    const res = await request(ctx.app).get('/api/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('stored files', () => {
  it('serves public files with CORS and long-lived cache headers', async () => {
    const { key } = await ctx.storage.save('templates', 'png', Buffer.from('89504e47', 'hex'));
    const path = new URL(ctx.storage.publicUrl(key)).pathname;
    const res = await request(ctx.app).get(path).set('Origin', ORIGIN);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['cache-control']).toContain('immutable');
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
  });

  it('when a private file is asked for by its plain URL, then it answers 404', async () => {
    const { key } = await ctx.storage.save('captures', 'jpg', Buffer.from('secret'));
    const res = await request(ctx.app).get(`/uploads/${key}`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ success: false, code: 'NOT_FOUND' });
  });

  it('serves a private file through its signed URL, and refuses a tampered one', async () => {
    const { key } = await ctx.storage.save('captures', 'jpg', Buffer.from('secret'));
    const path = new URL(ctx.storage.signedUrl(key)).pathname;
    const ok = await request(ctx.app).get(path);
    expect(ok.status).toBe(200);
    expect(ok.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
    expect(Buffer.from(ok.body as Buffer).toString()).toBe('secret');
    const tampered = path.replace(/\/s\/(\d+)\//, (_m, exp: string) => `/s/${Number(exp) + 3600}/`);
    expect((await request(ctx.app).get(tampered)).status).toBe(404);
  });

  it('lets a registered rule publish files of a private folder', async () => {
    const { key } = await ctx.storage.save('composites', 'jpg', Buffer.from('shared'));
    ctx.fileAccess.register('composites', async (candidate) => candidate === key);
    const res = await request(ctx.app).get(`/uploads/${key}`);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
  });

  it('refuses path traversal attempts', async () => {
    const res = await request(ctx.app).get('/uploads/..%2f..%2fetc%2fpasswd');
    expect(res.status).toBe(404);
  });
});
