import request from 'supertest';
import type { TestUser } from '../factories/users.factory';
import type { TestContext } from './context';
import { eventually } from './eventually';

/**
 * Polls a job-backed resource (`GET path`) until its `data.status` is `completed` and answers its
 * `data`; a `failed` status fails the test at once.
 */
export function untilCompleted(
  ctx: TestContext,
  user: TestUser,
  path: string,
  options: { query?: Record<string, string>; timeoutMs: number },
) {
  return eventually(
    async () => {
      const res = await request(ctx.app)
        .get(path)
        .query(options.query ?? {})
        .set('Authorization', user.auth);
      expect(res.status).toBe(200);
      expect(res.body.data.status).not.toBe('failed');
      return res.body.data.status === 'completed' ? res.body.data : null;
    },
    options.timeoutMs,
    100,
  );
}
