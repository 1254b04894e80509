import request from 'supertest';
import { useTestContext } from '../helpers/context';
import { createComposite } from '../factories/composites.factory';

import { createUser, signIn } from '../factories/users.factory';

const ctx = useTestContext('explore');

type Item = { _id: string; likes: number; compositeUrl: string; likedByMe: boolean };

async function allPages(
  sort: 'recent' | 'popular',
  limit: number,
  between?: () => Promise<void>,
): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | null = null;
  do {
    const res = await request(ctx.app).get(
      `/api/explore?sort=${sort}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    expect(res.status).toBe(200);
    items.push(...(res.body.data.composites as Item[]));
    cursor = res.body.data.nextCursor as string | null;
    expect(res.body.data.hasMore).toBe(cursor !== null);
    if (between) await between();
  } while (cursor);
  return items;
}

describe('GET /api/explore', () => {
  it('lists public composites only, newest first, with a cursor that stays stable while new ones are published', async () => {
    const user = await signIn(ctx, await createUser());
    const base = Date.now() - 100_000;
    const published: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      const c = await createComposite(ctx.storage, user.id, {
        isPublic: true,
        createdAt: new Date(base + i * 1000),
      });
      published.push(String(c._id));
    }
    const privateOne = await createComposite(ctx.storage, user.id, {
      createdAt: new Date(base + 500),
    });
    const sharedOnly = await createComposite(ctx.storage, user.id, { shareEnabled: true });

    const items = await allPages('recent', 3, async () => {
      await createComposite(ctx.storage, user.id, { isPublic: true });
    });
    const ids = items.map((item) => item._id);
    expect(ids).toEqual([...published].reverse());
    expect(ids).not.toContain(String(privateOne._id));
    expect(ids).not.toContain(String(sharedOnly._id));
    expect(items[0]!.compositeUrl).toMatch(/^http:\/\/api\.test\/uploads\/composites\//);
  });

  it('sorts by likes for sort=popular without repeating or skipping items across pages', async () => {
    const user = await signIn(ctx, await createUser());
    const viewer = await signIn(ctx, await createUser());
    const likes = [5, 9, 9, 1, 0, 9, 3];
    for (const count of likes)
      await createComposite(ctx.storage, user.id, { isPublic: true, likes: count });
    const items = await allPages('popular', 2);
    const counts = items.map((item) => item.likes);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(new Set(items.map((item) => item._id)).size).toBe(items.length);

    const top = items[0]!;
    await request(ctx.app)
      .post(`/api/composites/${top._id}/like`)
      .set('Authorization', viewer.auth)
      .expect(200);
    const asViewer = await request(ctx.app)
      .get('/api/explore?sort=popular&limit=1')
      .set('Authorization', viewer.auth);
    expect(asViewer.body.data.composites[0]).toMatchObject({ _id: top._id, likedByMe: true });
  });

  it('answers 400 for a bad sort or a forged cursor', async () => {
    expect((await request(ctx.app).get('/api/explore?sort=oldest')).status).toBe(400);
    const forged = Buffer.from(JSON.stringify({ v: { $gt: 0 }, id: 'x' })).toString('base64url');
    const res = await request(ctx.app).get(`/api/explore?cursor=${forged}`);
    expect(res.status).toBe(400);
    expect(res.body.success).toBe(false);
  });
});
