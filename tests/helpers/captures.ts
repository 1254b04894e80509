import request from 'supertest';
import type { TestContext } from './context';
import { solidImage, toDataUrl } from '../fixtures/images';
import type { TestUser } from '../factories/users.factory';

/** Four captures' colours (hex for the upload, RGB to check a render), one per slot. */
export const CAPTURE_COLORS: Array<[string, [number, number, number]]> = [
  ['#ff0000', [255, 0, 0]],
  ['#00ff00', [0, 255, 0]],
  ['#0000ff', [0, 0, 255]],
  ['#ffff00', [255, 255, 0]],
];

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
