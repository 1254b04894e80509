import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CapturedPhotoModel, FinalCompositeModel, PhotoSessionModel } from '../../src/models';
import { createSessionDoc } from '../factories/sessions.factory';
import { createUser, signIn, type TestUser } from '../factories/users.factory';
import { noisyJpeg, solidImage, toDataUrl } from '../fixtures/images';
import { useTestContext } from '../helpers/context';
import {
  startAppProcess,
  stopAppProcess,
  waitUntilReady,
  type AppProcess,
} from '../helpers/processes';

/**
 * Disk full during an upload, for real: the API runs in a mount namespace of its own
 * (`unshare`, no privileges needed where user namespaces are allowed) with a 1 MiB tmpfs over its
 * UPLOADS_DIR, nearly filled by the test, so storage writes fail with the kernel's ENOSPC.
 */
const ctx = useTestContext('disk_full');
const TMPFS_BYTES = 1024 * 1024;
const MOUNT_THEN_EXEC = `mount -t tmpfs -o size=${TMPFS_BYTES} kk-disk-full "$UPLOADS_DIR" && exec "$@"`;

let api: AppProcess;
let user: TestUser;
/** The API's uploads dir as the API sees it (the tmpfs), reached through its /proc root. */
let uploads: string;

beforeAll(async () => {
  api = await startAppProcess('api', ctx.config, {
    wrapper: ['unshare', '--user', '--map-root-user', '--mount', 'sh', '-c', MOUNT_THEN_EXEC, 'sh'],
  });
  await waitUntilReady(api, 60_000);
  uploads = path.join(`/proc/${api.child.pid}/root`, api.uploadsDir);
  user = await signIn(ctx, await createUser());
}, 90_000);

afterAll(async () => {
  if (api) await stopAppProcess(api);
});

/** Fills the tmpfs until `freeBytes` are left. */
function fillDisk(freeBytes: number): void {
  writeFileSync(path.join(uploads, 'filler'), Buffer.alloc(TMPFS_BYTES - freeBytes));
}

/** Every file under the API's uploads dir but the filler: stored files and any temp files. */
function storedFiles(): string[] {
  return readdirSync(uploads, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name !== 'filler')
    .map((entry) => path.relative(uploads, path.join(entry.parentPath, entry.name)));
}

async function send(pathname: string, body: object | FormData) {
  const json = !(body instanceof FormData);
  const res = await fetch(`${api.url}/api${pathname}`, {
    method: 'POST',
    headers: {
      Authorization: user.auth,
      ...(json ? { 'Content-Type': 'application/json' } : {}),
    },
    body: json ? JSON.stringify(body) : body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function form(fields: Record<string, string>, file: { field: string; bytes: Buffer }): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.append(key, value);
  data.append(file.field, new Blob([new Uint8Array(file.bytes)], { type: 'image/jpeg' }), 'a.jpg');
  return data;
}

const NO_SPACE = {
  success: false,
  code: 'INSUFFICIENT_STORAGE',
  message: expect.stringMatching(/no room to store/i),
  requestId: expect.any(String),
};

it('when the disk fills up during uploads, then captures and composites answer 507 in envelope A and leave no file and no document; once space is freed, the same upload succeeds', async () => {
  const session = await createSessionDoc(user.id);
  const sessionId = String(session._id);
  const large = await noisyJpeg(640, 480);
  expect(large.length).toBeGreaterThan(128 * 1024);
  fillDisk(64 * 1024);

  // A small capture still fits: the store works, it is only full.
  const small = toDataUrl(await solidImage(320, 240, '#ff0000'));
  const fits = await send('/photos/upload', { sessionId, photoUrl: small, order: 1 });
  expect(fits.status).toBe(201);
  expect(storedFiles()).toHaveLength(1);

  const base64 = await send('/photos/upload', { sessionId, photoUrl: toDataUrl(large), order: 2 });
  expect(base64).toEqual({ status: 507, body: NO_SPACE });

  const multipart = await send(
    '/photos',
    form({ sessionId, order: '3' }, { field: 'photo', bytes: large }),
  );
  expect(multipart).toEqual({ status: 507, body: NO_SPACE });

  const composite = await send(
    '/composites/upload',
    form({ sessionId }, { field: 'image', bytes: large }),
  );
  expect(composite).toEqual({ status: 507, body: NO_SPACE });

  // Nothing half-written: the one stored file is the capture that fit (no partial or temp file),
  // and it is the only document; the session was neither given more photos nor completed.
  const captures = await CapturedPhotoModel.find({ sessionId }).lean();
  expect(captures.map((c) => c.photoKey)).toEqual(storedFiles());
  expect(await FinalCompositeModel.countDocuments({ sessionId })).toBe(0);
  const after = await PhotoSessionModel.findById(sessionId).lean();
  expect(after?.capturedPhotos).toHaveLength(1);
  expect(after?.status).toBe('active');

  // The refusal was about space, not the request: with room again, the same bytes are stored.
  rmSync(path.join(uploads, 'filler'));
  const retried = await send('/photos/upload', {
    sessionId,
    photoUrl: toDataUrl(large),
    order: 2,
  });
  expect(retried.status).toBe(201);
  const stored = await CapturedPhotoModel.find({ sessionId }).lean();
  expect(stored).toHaveLength(2);
  expect(storedFiles().sort()).toEqual(stored.map((c) => c.photoKey).sort());
}, 60_000);
