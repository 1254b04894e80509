import request from 'supertest';
import type { TestContext } from './context';
import { solidImage, toDataUrl } from '../fixtures/images';
import type { TestUser } from '../factories/users.factory';

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
