import http from 'node:http';
import { CapturedPhotoModel, PhotoSessionModel } from '../../src/models';
import { createSessionDoc } from '../factories/sessions.factory';
import { createUser, signIn } from '../factories/users.factory';
import { noisyJpeg, toDataUrl } from '../fixtures/images';
import { useTestContext } from '../helpers/context';
import {
  localFiles,
  startAppProcess,
  stopAppProcess,
  waitUntilReady,
  type AppProcess,
} from '../helpers/processes';

const ctx = useTestContext('shutdown_uploads');
const UPLOADS = 50;

type Outcome =
  | { kind: 'answered'; status: number; body: Record<string, unknown> }
  | { kind: 'failed'; code: string };

/** One capture upload on a connection of its own (no keep-alive), as 50 separate clients. */
function upload(api: AppProcess, auth: string, payload: string): Promise<Outcome> {
  const url = new URL(`${api.url}/api/photos/upload`);
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        agent: false,
        headers: {
          Authorization: auth,
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          resolve({
            kind: 'answered',
            status: res.statusCode ?? 0,
            body: JSON.parse(text) as Record<string, unknown>,
          }),
        );
        res.on('error', (error: NodeJS.ErrnoException) =>
          resolve({ kind: 'failed', code: error.code ?? error.message }),
        );
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ kind: 'failed', code: error.code ?? error.message }),
    );
    req.end(payload);
  });
}

/**
 * A client on one keep-alive connection (a proxy's pooled upstream) that keeps asking until its
 * connection is closed on it and a new one is refused; resolves with how it ended.
 */
async function keepAliveClient(api: AppProcess, running: () => boolean): Promise<string> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(`${api.url}/api/health`);
  try {
    while (running()) {
      const ended = await new Promise<string | undefined>((resolve) => {
        http
          .get({ host: url.hostname, port: url.port, path: url.pathname, agent }, (res) => {
            res.resume();
            res.on('end', () => resolve(undefined));
          })
          .on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      });
      if (ended) return ended;
    }
    return 'process exited first';
  } finally {
    agent.destroy();
  }
}

let api: AppProcess | undefined;
afterAll(async () => {
  if (api) await stopAppProcess(api);
});

it('when SIGTERM arrives while 50 uploads are in flight and a keep-alive client keeps asking, then each upload completes (file, document, job) or fails cleanly, nothing is half-written, and the process drains and exits 0', async () => {
  api = await startAppProcess('api', ctx.config, {
    env: { LOG_LEVEL: 'info', SHUTDOWN_TIMEOUT_MS: '30000' },
  });
  const proc = api;
  await waitUntilReady(proc, 60_000);
  const user = await signIn(ctx, await createUser());
  const session = await createSessionDoc(user.id);
  const sessionId = String(session._id);
  const images = await Promise.all(
    Array.from({ length: UPLOADS }, (_, i) => noisyJpeg(480, 360, 60 + i * 2)),
  );
  const payloads = images.map((image, i) =>
    JSON.stringify({ sessionId, photoUrl: toDataUrl(image), order: i + 1 }),
  );
  const exited = new Promise<number | null>((resolve) => proc.child.once('exit', resolve));
  const poller = keepAliveClient(proc, () => proc.child.exitCode === null);

  // 30 at once; the signal lands as soon as the first one has been answered, with the rest still
  // being received, checked, stored or queued, and the last 20 are sent right behind the signal.
  const FIRST_WAVE = 30;
  let late: Array<Promise<Outcome>> = [];
  const early = payloads.slice(0, FIRST_WAVE).map((payload) =>
    upload(proc, user.auth, payload).then((outcome) => {
      if (late.length === 0) {
        proc.child.kill('SIGTERM');
        late = payloads.slice(FIRST_WAVE).map((p) => upload(proc, user.auth, p));
      }
      return outcome;
    }),
  );
  const outcomes = [...(await Promise.all(early)), ...(await Promise.all(late))];
  expect(outcomes).toHaveLength(UPLOADS);
  // Drained, not cut off by the deadline: the busy keep-alive connection was closed after its
  // response and the client's next connection was refused.
  expect(await exited).toBe(0);
  expect(proc.output()).toContain('shutdown complete');
  expect(['ECONNREFUSED', 'ECONNRESET']).toContain(await poller);

  const isStored = (o: Outcome): o is Extract<Outcome, { kind: 'answered' }> =>
    o.kind === 'answered' && o.status === 201;
  const completed = outcomes.filter(isStored);
  const refused: Outcome[] = outcomes.filter((o) => !isStored(o));
  // Every outcome is one of the clean ones: stored, a 503 in the envelope, or no connection.
  for (const outcome of refused) {
    if (outcome.kind === 'answered') {
      expect(outcome).toMatchObject({ status: 503, body: { code: 'SERVICE_UNAVAILABLE' } });
    } else {
      expect(['ECONNREFUSED', 'ECONNRESET', 'EPIPE']).toContain(outcome.code);
    }
  }
  expect(completed.length).toBeGreaterThan(0);

  // Completed uploads have their document, file and normalise job; nothing else exists.
  const ids = completed.map((o) => String((o.body.data as { _id?: unknown } | undefined)?._id));
  const captures = await CapturedPhotoModel.find({ sessionId }).lean();
  expect(captures.map((c) => String(c._id)).sort()).toEqual([...ids].sort());
  expect(
    localFiles(proc)
      .filter((f) => /\.\w+$/.test(f))
      .sort(),
  ).toEqual(captures.map((c) => c.photoKey).sort());
  const after = await PhotoSessionModel.findById(sessionId).lean();
  expect([...(after?.capturedPhotos ?? [])].map(String).sort()).toEqual([...ids].sort());
  expect(after?.metadata?.totalPhotos).toBe(ids.length);
  const queue = ctx.jobs.queue('images');
  for (const capture of captures) {
    const job = await queue.getJob(
      `capture-${String(capture._id)}-${String(capture.photoKey).slice(-36, -4)}`,
    );
    expect(job?.name).toBe('normalize-capture');
  }
  // The split varies from run to run; printed so a run shows what it exercised.
  process.stdout.write(
    `shutdown with ${UPLOADS} uploads in flight: ${completed.length} completed, ${refused.length} refused\n`,
  );
}, 120_000);
