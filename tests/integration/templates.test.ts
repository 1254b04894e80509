import request from 'supertest';
import { AnalyticsEventModel, PhotoSessionModel, TemplateModel } from '../../src/models';
import { eventually } from '../helpers/eventually';
import { useTemplatesContext } from '../helpers/templates';
import { insertTemplate, insertUserFrame } from '../factories/templates.factory';

// Reading templates (list, detail, stats) and deleting them; creating and editing are in
// templates-admin.test.ts.
const { ctx, users } = useTemplatesContext('templates');

describe('GET /api/templates', () => {
  it('lists active public templates newest first with the fields the gallery reads and no data.total', async () => {
    const older = await insertTemplate({
      createdAt: new Date('2024-01-01'),
      createdBy: users.admin.id,
      isAIGenerated: true,
    });
    const newer = await insertTemplate({ createdAt: new Date('2024-06-01') });
    await insertTemplate({ isActive: false });

    const res = await request(ctx.app).get('/api/templates?limit=12&page=1').expect(200);

    expect(res.body.success).toBe(true);
    expect(res.body.data.total).toBeUndefined();
    expect(res.body.data.pagination).toEqual({ page: 1, limit: 12, total: 2, pages: 1 });
    const [first, second] = res.body.data.templates;
    expect([first._id, second._id]).toEqual([String(newer._id), String(older._id)]);
    expect(second).toMatchObject({
      name: older.name,
      category: 'Birthday',
      thumbnail: older.thumbnail,
      frameUrl: older.frameUrl,
      isPremium: false,
      frameCount: 3,
      isActive: true,
      isAIGenerated: true,
      createdBy: users.admin.id,
      creatorName: 'Community Creator',
      visibility: 'public',
    });
    expect(first.creatorName).toBe('Anonymous');
    expect(second.layoutPositions[0]).toEqual({
      x: 20,
      y: 20,
      width: 270,
      height: 370,
      borderRadius: 0,
      rotation: 0,
    });
    expect(typeof second.createdAt).toBe('string');
    expect(typeof second.updatedAt).toBe('string');
  });

  it('filters by category unless All, by isPremium and by isActive, and pages', async () => {
    await insertTemplate({ category: 'Wedding', isPremium: true });
    await insertTemplate({ category: 'Wedding' });
    await insertTemplate({ category: 'Graduation' });
    await insertTemplate({ category: 'Wedding', isActive: false });

    const wedding = await request(ctx.app).get('/api/templates?category=Wedding').expect(200);
    expect(wedding.body.data.templates).toHaveLength(2);
    const all = await request(ctx.app).get('/api/templates?category=All').expect(200);
    expect(all.body.data.templates).toHaveLength(3);
    const premium = await request(ctx.app).get('/api/templates?isPremium=true').expect(200);
    expect(premium.body.data.templates.map((t: { isPremium: boolean }) => t.isPremium)).toEqual([
      true,
    ]);
    const inactive = await request(ctx.app).get('/api/templates?isActive=false').expect(200);
    expect(inactive.body.data.templates.map((t: { isActive: boolean }) => t.isActive)).toEqual([
      false,
    ]);

    const page2 = await request(ctx.app).get('/api/templates?limit=2&page=2').expect(200);
    expect(page2.body.data.templates).toHaveLength(1);
    expect(page2.body.data.pagination).toEqual({ page: 2, limit: 2, total: 3, pages: 2 });
  });

  it('shows a private template only to its owner; templates without a visibility field stay public', async () => {
    const mine = await insertTemplate({ visibility: 'private', createdBy: users.alice.id });
    const legacy = await insertTemplate();
    await TemplateModel.collection.updateOne({ _id: legacy._id }, { $unset: { visibility: '' } });

    const anonymous = await request(ctx.app).get('/api/templates').expect(200);
    expect(anonymous.body.data.templates.map((t: { _id: string }) => t._id)).toEqual([
      String(legacy._id),
    ]);
    expect(anonymous.body.data.templates[0].visibility).toBe('public');
    const owner = await request(ctx.app)
      .get('/api/templates')
      .set('Authorization', users.alice.auth)
      .expect(200);
    expect(owner.body.data.templates.map((t: { _id: string }) => t._id)).toEqual([
      String(legacy._id),
      String(mine._id),
    ]);
    const other = await request(ctx.app)
      .get('/api/templates')
      .set('Authorization', users.bob.auth)
      .expect(200);
    expect(other.body.data.templates).toHaveLength(1);
  });

  it('answers 401 for an invalid token even though auth is optional', async () => {
    const res = await request(ctx.app)
      .get('/api/templates')
      .set('Authorization', 'Bearer nope')
      .expect(401);
    expect(res.body).toMatchObject({ success: false, code: 'UNAUTHENTICATED' });
  });

  it('answers 400 with details for bad filters', async () => {
    const res = await request(ctx.app)
      .get('/api/templates?limit=0&category=Nope&page=x')
      .expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.map((e: { field: string }) => e.field).sort()).toEqual([
      'query.category',
      'query.limit',
      'query.page',
    ]);
  });
});

describe('GET /api/templates/:id', () => {
  it('returns the full template and records a template_view event', async () => {
    const template = await insertTemplate({ isPremium: true, category: 'Love' });
    const res = await request(ctx.app)
      .get(`/api/templates/${template._id}`)
      .set('Authorization', users.alice.auth)
      .expect(200);
    expect(res.body.data.template).toMatchObject({
      _id: String(template._id),
      name: template.name,
      frameUrl: template.frameUrl,
      frameCount: 3,
      isPremium: true,
      thumbnail: template.thumbnail,
      category: 'Love',
    });
    expect(res.body.data.template.layoutPositions).toHaveLength(3);
    const event = await eventually(() =>
      AnalyticsEventModel.findOne({
        eventType: 'template_view',
        templateId: String(template._id),
      }).lean(),
    );
    expect(event).toMatchObject({ eventCategory: 'template', userId: users.alice.id });
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    await request(ctx.app).get('/api/templates/0123456789abcdef01234567').expect(404);
    const bad = await request(ctx.app).get('/api/templates/not-an-id').expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });

  it("answers 404 for another user's private template and 200 for the owner", async () => {
    const template = await insertTemplate({ visibility: 'private', createdBy: users.alice.id });
    await request(ctx.app)
      .get(`/api/templates/${template._id}`)
      .set('Authorization', users.bob.auth)
      .expect(404);
    await request(ctx.app).get(`/api/templates/${template._id}`).expect(404);
    await request(ctx.app)
      .get(`/api/templates/${template._id}`)
      .set('Authorization', users.alice.auth)
      .expect(200);
  });

  it("resolves the caller's own AI frame in the template shape, and nobody else's", async () => {
    const frame = await insertUserFrame(users.alice.id);
    const res = await request(ctx.app)
      .get(`/api/templates/${frame._id}`)
      .set('Authorization', users.alice.auth)
      .expect(200);
    expect(res.body.data.template).toMatchObject({
      _id: String(frame._id),
      name: frame.name,
      frameUrl: frame.frameUrl,
      frameCount: 2,
      isPremium: false,
      isAIGenerated: true,
      visibility: 'private',
      category: 'AI Generated',
    });
    await request(ctx.app)
      .get(`/api/templates/${frame._id}`)
      .set('Authorization', users.bob.auth)
      .expect(404);
  });
});

describe('DELETE /api/templates/:id', () => {
  it('soft-deletes: the template leaves the default list but stays readable by id', async () => {
    const template = await insertTemplate();
    const res = await request(ctx.app)
      .delete(`/api/templates/${template._id}`)
      .set('Authorization', users.admin.auth)
      .expect(200);
    expect(res.body).toEqual({ success: true, message: 'Template deleted' });
    expect((await TemplateModel.findById(template._id).lean())?.isActive).toBe(false);
    const list = await request(ctx.app).get('/api/templates').expect(200);
    expect(list.body.data.templates).toHaveLength(0);
    await request(ctx.app).get(`/api/templates/${template._id}`).expect(200);
  });

  it('answers 401, 403 and 404', async () => {
    const template = await insertTemplate();
    await request(ctx.app).delete(`/api/templates/${template._id}`).expect(401);
    await request(ctx.app)
      .delete(`/api/templates/${template._id}`)
      .set('Authorization', users.bob.auth)
      .expect(403);
    await request(ctx.app)
      .delete('/api/templates/0123456789abcdef01234567')
      .set('Authorization', users.admin.auth)
      .expect(404);
    expect((await TemplateModel.findById(template._id).lean())?.isActive).toBe(true);
  });
});

describe('GET /api/templates/:id/stats', () => {
  it('counts views, sessions and composites for admins and answers 401 to others', async () => {
    const template = await insertTemplate({ usageCount: 4 });
    const templateId = String(template._id);
    await AnalyticsEventModel.create([
      { eventType: 'template_view', eventCategory: 'template', templateId },
      { eventType: 'template_view', eventCategory: 'template', templateId },
    ]);
    await PhotoSessionModel.create({
      userId: users.alice.id,
      templateId,
      sessionName: 'Stats session',
    });
    const res = await request(ctx.app)
      .get(`/api/templates/${templateId}/stats`)
      .set('Authorization', users.admin.auth)
      .expect(200);
    expect(res.body.data.stats).toEqual({
      templateId,
      name: template.name,
      usageCount: 4,
      views: 2,
      sessions: 1,
      composites: 0,
    });
    await request(ctx.app)
      .get(`/api/templates/${templateId}/stats`)
      .set('Authorization', users.alice.auth)
      .expect(401);
    await request(ctx.app).get(`/api/templates/${templateId}/stats`).expect(401);
    await request(ctx.app)
      .get('/api/templates/0123456789abcdef01234567/stats')
      .set('Authorization', users.admin.auth)
      .expect(404);
  });
});
