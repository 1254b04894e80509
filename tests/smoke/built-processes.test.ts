import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import sharp from 'sharp';
import { freePort } from '../../scripts/local-services/redis';
import { FOUR_SLOTS, framePng } from '../fixtures/frames';
import { solidImage, toDataUrl } from '../fixtures/images';
import { testDatabaseUri } from '../helpers/database';
import { eventually } from '../helpers/eventually';
import { launch, userEnvironment, type Launched } from '../helpers/launch';

/**
 * The processes users run, built and started exactly as the README says, driven over HTTP:
 * (a) `npm start` on embedded services, (b) `npm run start:api` + `npm run start:worker` against
 * the harness's MongoDB and Redis. `npm start` builds; (b) runs the build it left behind, so a
 * run builds once. Any wiring bug between the real entry points (queues, workers, storage,
 * seeding) fails here even when the in-process tests pass.
 */
const ROOT = path.resolve(__dirname, '../..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const STARTUP_MS = 8 * 60_000;

jest.setTimeout(15 * 60_000);

/** The value at a dotted path of a parsed JSON body (undefined where it is missing). */
function at(body: unknown, dotted: string): unknown {
  let value = body;
  for (const key of dotted.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

interface Credentials {
  email: string;
  password: string;
}

/** A small HTTP client for one running API (plain fetch, as the web client uses). */
class Api {
  constructor(private readonly base: string) {}

  /** Same-host URLs the API hands out (absolute, on PUBLIC_BASE_URL) are fetched from this API. */
  url(pathOrUrl: string): string {
    const url = new URL(pathOrUrl, this.base);
    return `${this.base}${url.pathname}${url.search}`;
  }

  async json(
    method: string,
    pathname: string,
    options: { token?: string; body?: unknown; form?: FormData } = {},
  ): Promise<{ status: number; body: unknown }> {
    const headers: Record<string, string> = {};
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    let body: string | FormData | undefined;
    if (options.form) body = options.form;
    else if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const res = await fetch(this.url(pathname), { method, headers, body });
    const raw = await res.text();
    return { status: res.status, body: raw ? (JSON.parse(raw) as unknown) : {} };
  }

  /** Fetches a stored file and reads it as an image. */
  async image(url: string): Promise<sharp.Metadata> {
    const res = await fetch(this.url(url));
    expect(res.status).toBe(200);
    return sharp(Buffer.from(await res.arrayBuffer())).metadata();
  }

  async login(credentials: Credentials): Promise<string> {
    const res = await this.json('POST', '/api/auth/login', { body: credentials });
    expect(res.status).toBe(200);
    const token = text(at(res.body, 'data.token')) ?? text(at(res.body, 'token'));
    expect(typeof token).toBe('string');
    return token!;
  }
}

async function waitForReady(api: Api, process: Launched, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(api.url('/api/ready'))
      .then((res) => res.status)
      .catch(() => 0);
    if (status === 200) return;
    if (process.child.exitCode !== null)
      throw new Error(`the process exited before it was ready:\n${process.output()}`);
    if (Date.now() > deadline)
      throw new Error(`not ready within ${timeoutMs} ms:\n${process.output().slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** A failure carries the end of what the processes printed (the reason is usually there). */
async function withOutput(work: Promise<void>, ...processes: Launched[]): Promise<void> {
  try {
    await work;
  } catch (error) {
    const printed = processes.map((p) => p.output().slice(-3000)).join('\n---\n');
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${printed}`, {
      cause: error,
    });
  }
}

/** What a booth and its admin do on a fresh install, every image job included. */
async function driveBooth(api: Api, admin: Credentials): Promise<void> {
  // The admin creates a template from a PNG frame: it stays hidden while a job normalises the
  // frame (metadata stripped, alpha kept), then a job renders its thumbnail.
  const adminToken = await api.login(admin);
  const created = await api.json('POST', '/api/templates', {
    token: adminToken,
    body: {
      name: 'Smoke Test Frame',
      category: 'Birthday',
      frameUrl: toDataUrl(await framePng(), 'image/png'),
      isPremium: false,
      frameCount: 4,
      layoutPositions: FOUR_SLOTS,
      isActive: true,
    },
  });
  expect(created.status).toBe(201);
  expect(at(created.body, 'data.template.processing')).toBe(true);
  const templateId = text(at(created.body, 'data.template._id'))!;
  const template = await eventually(async () => {
    const res = await api.json('GET', `/api/templates/${templateId}`);
    const thumbnail = text(at(res.body, 'data.template.thumbnail'));
    const frameUrl = text(at(res.body, 'data.template.frameUrl'));
    return res.status === 200 && thumbnail?.endsWith('.webp') && frameUrl
      ? { thumbnail, frameUrl }
      : undefined;
  }, 60_000);
  expect((await api.image(template.thumbnail)).format).toBe('webp');
  const frame = await api.image(template.frameUrl);
  expect({ format: frame.format, hasAlpha: frame.hasAlpha, width: frame.width }).toEqual({
    format: 'png',
    hasAlpha: true,
    width: 600,
  });

  // A guest signs up and logs in.
  const guest = {
    email: `guest-${randomBytes(4).toString('hex')}@karyaklik.test`,
    password: 'guest-password-1',
  };
  const registered = await api.json('POST', '/api/auth/register', {
    body: { name: 'Smoke Guest', ...guest },
  });
  expect(registered.status).toBe(201);
  const token = await api.login(guest);

  // A session with four captures sent as base64 JSON, as the web client does.
  const session = await api.json('POST', '/api/sessions', {
    token,
    body: {
      sessionName: 'Photo Session smoke',
      templateId,
      metadata: { photoCount: 4, templateName: 'Smoke Test Frame' },
    },
  });
  expect(session.status).toBe(201);
  const sessionId = text(at(session.body, 'data._id'))!;
  const colors = ['#ff0000', '#00ff00', '#0000ff', '#ffff00'];
  for (const [index, color] of colors.entries()) {
    const photoUrl = toDataUrl(await solidImage(640, 480, color));
    const upload = await api.json('POST', '/api/photos/upload', {
      token,
      body: { sessionId, photoUrl, order: index + 1, metadata: { photoNumber: index + 1 } },
    });
    expect(upload.status).toBe(201);
  }

  // The server renders the composite.
  const render = await api.json('POST', `/api/sessions/${sessionId}/composite`, { token });
  expect([200, 202]).toContain(render.status);
  const compositeUrl = await eventually(async () => {
    const res = await api.json('GET', `/api/sessions/${sessionId}/composite`, { token });
    const status = at(res.body, 'data.status');
    if (status === 'failed') throw new Error(`the render failed: ${JSON.stringify(res.body)}`);
    return status === 'completed' ? text(at(res.body, 'data.composite.compositeUrl')) : undefined;
  }, 120_000);
  expect((await api.image(compositeUrl)).format).toBe('jpeg');

  // Thumbnails of the composite and of every capture.
  const compositeThumb = await eventually(async () => {
    const res = await api.json('GET', `/api/sessions/${sessionId}/composite`, { token });
    return text(at(res.body, 'data.composite.thumbnailUrl'));
  }, 60_000);
  expect((await api.image(compositeThumb)).format).toBe('webp');
  const captures = await eventually(async () => {
    const res = await api.json('GET', `/api/sessions/${sessionId}`, { token });
    const photos = at(res.body, 'data.photos');
    const urls = Array.isArray(photos)
      ? photos.map((photo) => text(at(photo, 'thumbnailUrl')))
      : [];
    return urls.length === 4 && urls.every(Boolean) ? (urls as string[]) : undefined;
  }, 60_000);
  for (const url of captures) expect((await api.image(url)).width).toBeGreaterThan(0);

  // A profile picture, processed by its job into a 400×400 JPEG.
  const form = new FormData();
  const picture = await solidImage(900, 600, '#336699');
  form.append(
    'profilePicture',
    new Blob([new Uint8Array(picture)], { type: 'image/jpeg' }),
    'me.jpg',
  );
  const uploaded = await api.json('POST', '/api/users/profile-picture', { token, form });
  expect(uploaded.status).toBe(200);
  const uploadedUrl = text(at(uploaded.body, 'data.profilePicture'));
  const processed = await eventually(async () => {
    const res = await api.json('GET', '/api/users/profile', { token });
    const url = text(at(res.body, 'data.user.profilePicture'));
    return url && url !== uploadedUrl ? url : undefined;
  }, 60_000);
  expect(await api.image(processed)).toMatchObject({ format: 'jpeg', width: 400, height: 400 });
}

describe('the built processes, started as the README says', () => {
  const scratch: string[] = [];
  const running: Launched[] = [];

  afterEach(async () => {
    await Promise.all(running.splice(0).map((process) => process.stop()));
  });

  afterAll(() => {
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  });

  function tempDir(label: string): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), `kk-smoke-${label}-`));
    scratch.push(dir);
    return dir;
  }

  it('(a) `npm start` on embedded services: prints its choices and a generated admin, and the booth works end to end', async () => {
    const port = await freePort();
    const uploads = tempDir('start');
    const start = launch(NPM, ['start'], {
      cwd: ROOT,
      env: userEnvironment({ PORT: String(port), HOST: '127.0.0.1', UPLOADS_DIR: uploads }),
    });
    running.push(start);
    const api = new Api(`http://127.0.0.1:${port}`);
    await start.waitForOutput(/\[start\] API: /, STARTUP_MS);
    await waitForReady(api, start, 60_000);

    const out = start.output();
    const said = (pattern: RegExp) => out.split('\n').filter((line) => pattern.test(line));
    expect(said(/^\[start\] MongoDB: /)).toHaveLength(1);
    expect(said(/^\[start\] Redis: /)).toHaveLength(1);
    expect(said(/^\[start\] Files: /)).toEqual([`[start] Files: ${uploads} (UPLOADS_DIR)`]);
    expect(said(/^\[start\] API: http:\/\/localhost:\d+\/api /)).toHaveLength(1);
    // No stack trace for an expected fallback, no noise from queues started too early.
    expect(out).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(out).not.toMatch(/Stream isn't writeable/);
    // The seed step's own connection closing is not a database outage.
    expect(out).not.toMatch(/MongoDB disconnected/);
    const admin = /^\[start\] Admin: (\S+) {2}password: (\S+) {2}\(generated/m.exec(out);
    expect(admin).not.toBeNull();
    expect(out.split(admin![2]!).length - 1).toBe(1);

    await withOutput(driveBooth(api, { email: admin![1]!, password: admin![2]! }), start);
  });

  it('(b) `npm run start:api` + `npm run start:worker` as two processes against given MONGODB_URI and REDIS_URL', async () => {
    if (!existsSync(path.join(ROOT, 'dist/src/server.js'))) {
      const build = spawnSync(NPM, ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
      expect(build.status).toBe(0);
    }
    const port = await freePort();
    const admin = { email: 'admin@smoke.test', password: 'smoke-admin-password-1' };
    const env = userEnvironment({
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      FRONTEND_URL: 'http://app.smoke.test',
      JWT_SECRET: randomBytes(32).toString('hex'),
      FILE_URL_SECRET: randomBytes(32).toString('hex'),
      MONGODB_URI: testDatabaseUri('smoke_split'),
      REDIS_URL: process.env.KK_TEST_REDIS_URL ?? '',
      QUEUE_PREFIX: `kktest:smoke:${randomBytes(4).toString('hex')}`,
      UPLOADS_DIR: tempDir('split'),
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
    });
    // `npm run seed` is `npm run build` then this; the build is the one (a) made.
    const seed = spawnSync(process.execPath, ['dist/scripts/seed.js'], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
    });
    expect(seed.status).toBe(0);

    const api = launch(NPM, ['run', 'start:api'], { cwd: ROOT, env });
    const worker = launch(NPM, ['run', 'start:worker'], { cwd: ROOT, env });
    running.push(api, worker);
    const client = new Api(`http://127.0.0.1:${port}`);
    await waitForReady(client, api, 120_000);
    await withOutput(driveBooth(client, admin), api, worker);
    expect(worker.output()).not.toMatch(/Stream isn't writeable/);
    expect(api.output()).not.toMatch(/Stream isn't writeable/);
  });
});
