import request from 'supertest';
import { PhotoSessionModel, UserGeneratedFrameModel } from '../../src/models';
import { near, pixelAt } from '../fixtures/images';
import { uploadCapture } from '../helpers/captures';
import { insertUserFrame } from '../factories/templates.factory';
import { createProUser, saveFrameBody } from '../factories/frames.factory';
import { createUser, signIn, type TestUser } from '../factories/users.factory';
import { useTestContext } from '../helpers/context';
import { eventually } from '../helpers/eventually';

const ctx = useTestContext('user-frames');

async function saveFrame(user: TestUser, overrides: Record<string, unknown> = {}) {
  const res = await request(ctx.app)
    .post('/api/ai/save-frame')
    .set('Authorization', user.auth)
    .send(saveFrameBody(overrides));
  expect(res.status).toBe(201);
  return res.body.template as { id: string; name: string; frameUrl: string };
}

describe('GET /api/ai/my-frames (#42) and DELETE /api/ai/delete-frame/:id (#43)', () => {
  let owner: TestUser;
  let other: TestUser;
  beforeAll(async () => {
    owner = await signIn(ctx, await createProUser());
    other = await signIn(ctx, await createProUser());
  });

  it('lists my active frames newest first with the fields the client reads', async () => {
    const first = await saveFrame(owner);
    const second = await saveFrame(owner, { frameSpec: { layout: 'grid', frameCount: 4 } });
    await saveFrame(other);
    const res = await request(ctx.app).get('/api/ai/my-frames').set('Authorization', owner.auth);
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    expect(res.body.count).toBe(2);
    expect(res.body.frames.map((f: { _id: string }) => f._id)).toEqual([second.id, first.id]);
    expect(res.body.frames[0]).toMatchObject({
      _id: second.id,
      name: second.name,
      frameUrl: second.frameUrl,
      frameCount: 4,
      aiFrameSpec: { layout: 'grid', frameCount: 4 },
      description: 'Bingkai AI untuk 3 foto',
      tags: ['AI Generated', 'grid', '4 Photos'],
    });
    expect(typeof res.body.frames[0].thumbnail).toBe('string');
  });

  it('soft-deletes my frame: gone from the list, document kept inactive', async () => {
    const frame = await saveFrame(owner);
    const res = await request(ctx.app)
      .delete(`/api/ai/delete-frame/${frame.id}`)
      .set('Authorization', owner.auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, message: 'Frame deleted' });
    expect(await UserGeneratedFrameModel.findById(frame.id).lean()).toMatchObject({
      isActive: false,
    });
    const list = await request(ctx.app).get('/api/ai/my-frames').set('Authorization', owner.auth);
    expect(list.body.frames.map((f: { _id: string }) => f._id)).not.toContain(frame.id);
    const again = await request(ctx.app)
      .delete(`/api/ai/delete-frame/${frame.id}`)
      .set('Authorization', owner.auth);
    expect(again.status).toBe(404);
  });

  it('answers 404 for another user’s frame and leaves it alone', async () => {
    const theirs = await saveFrame(other);
    const res = await request(ctx.app)
      .delete(`/api/ai/delete-frame/${theirs.id}`)
      .set('Authorization', owner.auth);
    expect(res.status).toBe(404);
    expect(res.body.success).toBe(false);
    expect(await UserGeneratedFrameModel.findById(theirs.id).lean()).toMatchObject({
      isActive: true,
    });
  });

  it('answers 400 for a malformed id and 401 without a token', async () => {
    const bad = await request(ctx.app)
      .delete('/api/ai/delete-frame/not-an-id')
      .set('Authorization', owner.auth);
    expect(bad.status).toBe(400);
    expect(typeof bad.body.error).toBe('string');
    expect((await request(ctx.app).get('/api/ai/my-frames')).status).toBe(401);
    expect((await request(ctx.app).delete(`/api/ai/delete-frame/${'a'.repeat(24)}`)).status).toBe(
      401,
    );
  });
});

describe('GET /api/user-frames (#44) and /api/user-frames/:id (#45), envelope UF', () => {
  let owner: TestUser;
  beforeAll(async () => {
    owner = await signIn(ctx, await createUser());
  });

  it('lists my frames as {success, data[]} with the fields the client reads', async () => {
    const frame = await insertUserFrame(owner.id, { name: 'Seeded Frame' });
    await insertUserFrame(owner.id, { isActive: false });
    const res = await request(ctx.app).get('/api/user-frames').set('Authorization', owner.auth);
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    expect(res.body.data).toHaveLength(1);
    expect(res.body.data[0]).toMatchObject({
      _id: String(frame._id),
      name: 'Seeded Frame',
      frameUrl: frame.frameUrl,
      thumbnail: frame.thumbnail,
      frameCount: 2,
      category: 'AI Generated',
    });
    expect(res.body.data[0].layoutPositions).toHaveLength(2);
  });

  it('gets one of my frames, and answers {error} 404 for someone else’s, 400 for a bad id', async () => {
    const mine = await insertUserFrame(owner.id);
    const theirs = await insertUserFrame(String((await createUser())._id));
    const ok = await request(ctx.app)
      .get(`/api/user-frames/${String(mine._id)}`)
      .set('Authorization', owner.auth);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ success: true, data: { _id: String(mine._id) } });
    const notMine = await request(ctx.app)
      .get(`/api/user-frames/${String(theirs._id)}`)
      .set('Authorization', owner.auth);
    expect(notMine.status).toBe(404);
    expect(typeof notMine.body.error).toBe('string');
    expect(notMine.body.success).toBeUndefined();
    const bad = await request(ctx.app).get('/api/user-frames/xyz').set('Authorization', owner.auth);
    expect(bad.status).toBe(400);
    expect((await request(ctx.app).get('/api/user-frames')).status).toBe(401);
  });

  it('favourites and renames a frame', async () => {
    const mine = await insertUserFrame(owner.id);
    const res = await request(ctx.app)
      .patch(`/api/user-frames/${String(mine._id)}`)
      .set('Authorization', owner.auth)
      .send({ isFavorite: true, name: 'Favourite Frame' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ isFavorite: true, name: 'Favourite Frame' });
    const empty = await request(ctx.app)
      .patch(`/api/user-frames/${String(mine._id)}`)
      .set('Authorization', owner.auth)
      .send({});
    expect(empty.status).toBe(400);
  });
});

describe('a saved AI frame used like a template (§19.19)', () => {
  it('resolves at GET /templates/:id for its owner only', async () => {
    const owner = await signIn(ctx, await createProUser());
    const stranger = await signIn(ctx, await createUser());
    const frame = await saveFrame(owner);
    const res = await request(ctx.app)
      .get(`/api/templates/${frame.id}`)
      .set('Authorization', owner.auth);
    expect(res.status).toBe(200);
    expect(res.body.data.template).toMatchObject({
      _id: frame.id,
      frameUrl: frame.frameUrl,
      frameCount: 3,
      isPremium: false,
    });
    expect(res.body.data.template.layoutPositions).toHaveLength(3);
    const other = await request(ctx.app)
      .get(`/api/templates/${frame.id}`)
      .set('Authorization', stranger.auth);
    expect(other.status).toBe(404);
  });

  it('counts every session made with it, also when sessions start at once', async () => {
    const owner = await signIn(ctx, await createProUser());
    const frame = await saveFrame(owner);
    const responses = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        request(ctx.app)
          .post('/api/sessions')
          .set('Authorization', owner.auth)
          .send({ sessionName: `AI Session ${i}`, templateId: frame.id }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect((await UserGeneratedFrameModel.findById(frame.id).lean())?.usageCount).toBe(5);
    const deleted = await saveFrame(owner);
    await request(ctx.app)
      .delete(`/api/ai/delete-frame/${deleted.id}`)
      .set('Authorization', owner.auth);
    const refused = await request(ctx.app)
      .post('/api/sessions')
      .set('Authorization', owner.auth)
      .send({ sessionName: 'Deleted frame', templateId: deleted.id });
    expect(refused.status).toBe(404);
  });

  it('is what the server render draws over the captures', async () => {
    ctx.startWorkers();
    const owner = await signIn(ctx, await createProUser());
    const frame = await saveFrame(owner, {
      frameSpec: { frameCount: 2, layout: 'vertical', gradientFrom: '#000000', gradientTo: '#000000', backgroundColor: '#000000', borderColor: '#000000' },
    }); // prettier-ignore
    const session = await request(ctx.app)
      .post('/api/sessions')
      .set('Authorization', owner.auth)
      .send({ sessionName: 'AI frame render', templateId: frame.id });
    const sessionId: string = session.body.data._id;
    for (const [order, colour] of [[1, '#ff0000'], [2, '#00ff00']] as const)
      expect((await uploadCapture(ctx, owner, sessionId, order, colour, { photoNumber: order })).status).toBe(201); // prettier-ignore
    const queued = await request(ctx.app)
      .post(`/api/sessions/${sessionId}/composite`)
      .set('Authorization', owner.auth);
    expect(queued.status).toBe(202);
    const composite = await eventually(async () => {
      const res = await request(ctx.app)
        .get(`/api/sessions/${sessionId}/composite`)
        .set('Authorization', owner.auth);
      return res.body.data?.status === 'completed' ? res.body.data.composite : null;
    }, 30_000);
    const image = await request(ctx.app).get(new URL(composite.compositeUrl).pathname).buffer(true);
    expect(image.status).toBe(200);
    const stored = await UserGeneratedFrameModel.findById(frame.id).lean();
    const [top, bottom] = stored!.layoutPositions;
    const centre = (s: typeof top) => [Math.round(s!.x + s!.width / 2), Math.round(s!.y + s!.height / 2)] as const; // prettier-ignore
    expect(near(await pixelAt(image.body, ...centre(top)), [255, 0, 0])).toBe(true);
    expect(near(await pixelAt(image.body, ...centre(bottom)), [0, 255, 0])).toBe(true);
    // Between the two photos lies the (black) frame, drawn on top.
    const gap = Math.round((top!.y + top!.height + bottom!.y) / 2);
    // (black under the frame's soft white glow; far from either photo colour).
    expect(near(await pixelAt(image.body, centre(top)[0], gap), [0, 0, 0], 64)).toBe(true);
    expect((await PhotoSessionModel.findById(sessionId).lean())?.status).toBe('completed');
  });
});
