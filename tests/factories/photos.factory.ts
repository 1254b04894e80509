import request from 'supertest';
import type { TestContext } from '../helpers/context';
import { solidImage, toDataUrl } from '../fixtures/images';
import type { TestUser } from './sessions.factory';

/** Uploads a solid-colour capture the way the web client does (base64 JSON). */
export async function uploadCapture(
  ctx: TestContext,
  user: TestUser,
  sessionId: string,
  order: number,
  color: string,
  metadata: Record<string, unknown> = {},
  size: { width: number; height: number } = { width: 320, height: 240 },
) {
  const photoUrl = toDataUrl(await solidImage(size.width, size.height, color));
  return request(ctx.app)
    .post('/api/photos/upload')
    .set('Authorization', user.auth)
    .send({ sessionId, photoUrl, order, metadata });
}

/** Polls `check` until it returns a value, failing after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | null | undefined | false>,
  timeoutMs = 15_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
