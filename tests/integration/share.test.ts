import request from 'supertest';
import { FinalCompositeModel, TemplateModel } from '../../src/models';
import { useTestContext } from '../helpers/context';
import { createComposite } from '../factories/composites.factory';
import { createTemplate } from '../factories/sessions.factory';
import { createUser, signIn } from '../factories/users.factory';

const ctx = useTestContext('share');

describe('GET /api/share/:id', () => {
  it('gives the owner a share link and QR code and turns on link sharing without listing it in Explore', async () => {
    const owner = await signIn(ctx, await createUser());
    const composite = await createComposite(ctx.storage, owner.id);
    const id = String(composite._id);
    const res = await request(ctx.app).get(`/api/share/${id}`).set('Authorization', owner.auth);
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    expect(res.body.data).toMatchObject({
      shareUrl: `http://app.test/share/${id}`,
      shareLink: `http://app.test/share/${id}`,
      shareCode: id,
    });
    expect(res.body.data.qrCode).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
    expect(res.body.data.composite).toEqual(
      expect.objectContaining({
        _id: id,
        compositeUrl: expect.any(String),
        isPublic: false,
        likes: 0,
        views: 0,
        createdAt: expect.any(String),
        metadata: expect.any(Object),
      }),
    );
    expect(res.body.data.composite).toHaveProperty('thumbnailUrl');
    expect((await FinalCompositeModel.findById(id).lean())?.shareEnabled).toBe(true);
    const explore = await request(ctx.app).get('/api/explore');
    expect(explore.body.data.composites.map((c: { _id: string }) => c._id)).not.toContain(id);
  });

  it('answers 404 to another user and 401 without a token', async () => {
    const owner = await signIn(ctx, await createUser());
    const other = await signIn(ctx, await createUser());
    const composite = await createComposite(ctx.storage, owner.id);
    expect(
      (
        await request(ctx.app)
          .get(`/api/share/${String(composite._id)}`)
          .set('Authorization', other.auth)
      ).status,
    ).toBe(404);
    expect((await request(ctx.app).get(`/api/share/${String(composite._id)}`)).status).toBe(401);
    expect((await FinalCompositeModel.findById(composite._id).lean())?.shareEnabled).toBe(false);
  });
});

describe('GET /api/share/public/:id', () => {
  it('serves a link-shared composite to anyone, counts the view and names the template', async () => {
    const owner = await signIn(ctx, await createUser());
    const template = await createTemplate(ctx.storage);
    const composite = await createComposite(ctx.storage, owner.id, {
      shareEnabled: true,
      templateId: String(template._id),
    });
    const id = String(composite._id);
    const first = await request(ctx.app).get(`/api/share/public/${id}`);
    expect(first.status).toBe(200);
    expect(first.body.data.composite).toMatchObject({
      _id: id,
      views: 1,
      likes: 0,
      metadata: { templateName: template.name },
    });
    expect(first.body.data.shareUrl).toBe(`http://app.test/share/${id}`);
    const second = await request(ctx.app).get(`/api/share/public/${id}`);
    expect(second.body.data.composite.views).toBe(2);
    expect(
      (await request(ctx.app).get(new URL(second.body.data.composite.compositeUrl).pathname))
        .status,
    ).toBe(200);
    expect(await TemplateModel.exists({ _id: template._id })).not.toBeNull();
  });

  it('serves a public composite too', async () => {
    const owner = await signIn(ctx, await createUser());
    const composite = await createComposite(ctx.storage, owner.id, { isPublic: true });
    expect((await request(ctx.app).get(`/api/share/public/${String(composite._id)}`)).status).toBe(
      200,
    );
  });

  it('answers 403 once link sharing is revoked, and the plain file URL stops working', async () => {
    const owner = await signIn(ctx, await createUser());
    const composite = await createComposite(ctx.storage, owner.id);
    const id = String(composite._id);
    await request(ctx.app).get(`/api/share/${id}`).set('Authorization', owner.auth).expect(200);
    const plainPath = new URL(ctx.storage.publicUrl(composite.compositeKey!)).pathname;
    expect((await request(ctx.app).get(plainPath)).status).toBe(200);

    const revoked = await request(ctx.app)
      .patch(`/api/composites/${id}`)
      .set('Authorization', owner.auth)
      .send({ shareEnabled: false });
    expect(revoked.body.data.shareEnabled).toBe(false);
    const res = await request(ctx.app).get(`/api/share/public/${id}`);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      success: false,
      message: 'This composite is not publicly shared',
    });
    expect((await FinalCompositeModel.findById(id).lean())?.views).toBe(0);
    expect((await request(ctx.app).get(plainPath)).status).toBe(404);
  });

  it('answers 404 for an unknown composite', async () => {
    expect((await request(ctx.app).get('/api/share/public/0123456789abcdef01234567')).status).toBe(
      404,
    );
  });
});
