import express, { Router } from 'express';
import request from 'supertest';
import { SegmentRouter, firstSegment } from '../../src/middleware/segment-router';

function named(name: string): Router {
  const router = Router();
  router.get('/:id', (req, res) => {
    res.json({ name, baseUrl: req.baseUrl, id: req.params.id });
  });
  return router;
}

/** An app whose /api mounts go through a SegmentRouter, with a fallback after it. */
function appWith(build: (mounts: SegmentRouter) => void) {
  const app = express();
  const api = express.Router();
  const mounts = new SegmentRouter();
  build(mounts);
  api.use(mounts.handler());
  api.get('/after/:id', (_req, res) => {
    res.json({ name: 'after' });
  });
  app.use('/api', api);
  app.use((_req, res) => {
    res.status(404).json({ name: 'not found' });
  });
  return app;
}

describe('SegmentRouter', () => {
  it('reads the first segment of a URL up to /, ? or #', () => {
    expect(firstSegment('/sessions/1?x=1')).toBe('sessions');
    expect(firstSegment('/sessions?x=1')).toBe('sessions');
    expect(firstSegment('/a#b')).toBe('a');
    expect(firstSegment('/')).toBe('');
    expect(firstSegment('/?q')).toBe('');
  });

  it('when prefixes share a first segment, then they are tried in mounting order with the baseUrl Express gives a mount', async () => {
    const app = appWith((mounts) => {
      mounts.use('/admin/payments', named('payments'));
      mounts.use('/admin/audit', named('audit'));
      mounts.use('/admin', named('admin'));
      mounts.use('/sessions', named('sessions'));
    });
    const get = async (path: string) => (await request(app).get(path)).body as unknown;
    expect(await get('/api/admin/payments/7')).toEqual({
      name: 'payments',
      baseUrl: '/api/admin/payments',
      id: '7',
    });
    expect(await get('/api/admin/audit/8')).toMatchObject({ name: 'audit' });
    expect(await get('/api/admin/other')).toEqual({
      name: 'admin',
      baseUrl: '/api/admin',
      id: 'other',
    });
    expect(await get('/api/sessions/1?x=1')).toMatchObject({ name: 'sessions', id: '1' });
  });

  it('matches case-insensitively, like the app, and needs the whole segment', async () => {
    const app = appWith((mounts) => mounts.use('/sessions', named('sessions')));
    expect((await request(app).get('/api/SESSIONS/2')).body).toMatchObject({ name: 'sessions' });
    expect((await request(app).get('/api/sessionsx/2')).body).toEqual({ name: 'not found' });
  });

  it('when no mount serves the segment, or the mount passes, then later layers still run', async () => {
    const app = appWith((mounts) => mounts.use('/after', Router()));
    expect((await request(app).get('/api/after/1')).body).toEqual({ name: 'after' });
    expect((await request(app).get('/api/nothing')).status).toBe(404);
  });

  it('mount() hands the named segments to a router whose routes carry their own paths, unprefixed', async () => {
    const probes = Router();
    probes.get('/health', (req, res) => {
      res.json({ name: 'health', baseUrl: req.baseUrl });
    });
    probes.get('/ready', (_req, res) => {
      res.json({ name: 'ready' });
    });
    const app = appWith((mounts) => mounts.mount(['health', 'ready'], probes));
    expect((await request(app).get('/api/health')).body).toEqual({
      name: 'health',
      baseUrl: '/api',
    });
    expect((await request(app).get('/api/Ready')).body).toEqual({ name: 'ready' });
    // A segment it was not given never reaches it, and a path it does not serve goes on.
    expect((await request(app).get('/api/healthz')).status).toBe(404);
    expect((await request(app).get('/api/health/deep')).status).toBe(404);
  });
});
