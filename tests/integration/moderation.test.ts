import request from 'supertest';
import {
  NotificationModel,
  TemplateModel,
  UserModel,
  UserSubmittedFrameModel,
} from '../../src/models';
import { AuditLogModel } from '../../src/models/audit-log.model';
import { createProUser, insertSubmission, submissionBody } from '../factories/frames.factory';
import { createAdmin, createUser, signIn, type TestUser } from '../factories/users.factory';
import { useTestContext } from '../helpers/context';
import { eventually } from '../helpers/eventually';

const ctx = useTestContext('moderation');

let admin: TestUser;
let submitter: TestUser;
beforeAll(async () => {
  // Submissions are reviewable once their frame job has run.
  ctx.startWorkers();
  admin = await signIn(ctx, await createAdmin());
  submitter = await signIn(ctx, await createProUser({ name: 'Sinta Frame Maker' }));
});

async function submitted(count = 3, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await request(ctx.app)
    .post('/api/user-submissions/frames')
    .set('Authorization', submitter.auth)
    .send(await submissionBody(count, overrides));
  expect(res.status).toBe(200);
  const id = res.body.data._id as string;
  await eventually(async () => {
    const stored = await UserSubmittedFrameModel.findById(id).select('processing').lean();
    return stored?.processing !== true;
  });
  return id;
}

const approve = (id: string, body: Record<string, unknown> = { isPremium: false }) =>
  request(ctx.app)
    .patch(`/api/admin/frame-submissions/${id}/approve`)
    .set('Authorization', admin.auth)
    .send(body);

const reject = (id: string, body: Record<string, unknown>) =>
  request(ctx.app)
    .patch(`/api/admin/frame-submissions/${id}/reject`)
    .set('Authorization', admin.auth)
    .send(body);

describe('GET /api/admin/frame-submissions (#49)', () => {
  const queue = (query = '') =>
    request(ctx.app).get(`/api/admin/frame-submissions${query}`).set('Authorization', admin.auth);

  it('lists pending submissions with the submitter populated (username = name) and hasMore', async () => {
    const id = await submitted(2);
    const res = await queue('?status=pending&limit=50&skip=0');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true });
    expect(typeof res.body.count).toBe('number');
    expect(typeof res.body.total).toBe('number');
    expect(typeof res.body.hasMore).toBe('boolean');
    const row = res.body.data.find((s: { _id: string }) => s._id === id);
    expect(row).toMatchObject({
      name: expect.any(String),
      description: 'A 2-photo Birthday frame',
      frameCount: 2,
      status: 'pending',
      userId: { _id: submitter.id, name: 'Sinta Frame Maker', username: 'Sinta Frame Maker', email: submitter.email },
    }); // prettier-ignore
    expect(typeof row.thumbnail).toBe('string');
    expect(typeof row.createdAt).toBe('string');
  });

  it('never breaks on a submitter who is gone or deleted', async () => {
    const ghost = await insertSubmission('0123456789abcdef01234567', { name: 'Ghost Frame' });
    const gone = await createUser({ name: 'Soon Deleted' });
    const soft = await insertSubmission(String(gone._id), { name: 'Soft Deleted Frame' });
    await UserModel.updateOne({ _id: gone._id }, { $set: { isDeleted: true, isActive: false } });
    const odd = await insertSubmission('legacy-user', { name: 'Odd Id Frame' });
    const res = await queue('?limit=100');
    expect(res.status).toBe(200);
    const rows = new Map(res.body.data.map((s: { _id: string }) => [s._id, s]));
    expect(rows.get(String(ghost._id))).toMatchObject({ userId: { username: 'Deleted user', name: 'Deleted user', email: '', isDeleted: true } }); // prettier-ignore
    expect(rows.get(String(soft._id))).toMatchObject({ userId: { username: 'Soon Deleted', isDeleted: true } }); // prettier-ignore
    expect(rows.get(String(odd._id))).toMatchObject({ userId: { username: 'Deleted user' } });
  });

  it('filters by status, submitter, name and layout, and pages with hasMore', async () => {
    const maker = await createUser();
    const makerId = String(maker._id);
    await insertSubmission(makerId, { name: 'Sunset Strip' });
    await insertSubmission(makerId, { name: 'Sunset Grid', layout: 'grid' });
    await insertSubmission(makerId, { name: 'Night Strip', status: 'rejected' });
    const mine = await queue(`?status=all&userId=${makerId}&limit=2`);
    expect(mine.body).toMatchObject({ count: 2, total: 3, hasMore: true });
    const rejected = await queue(`?status=rejected&userId=${makerId}`);
    expect(rejected.body.data.map((s: { name: string }) => s.name)).toEqual(['Night Strip']);
    const named = await queue(`?userId=${makerId}&q=sunset`);
    expect(named.body.total).toBe(2);
    const grid = await queue(`?userId=${makerId}&layout=grid`);
    expect(grid.body.data.map((s: { name: string }) => s.name)).toEqual(['Sunset Grid']);
    const regexy = await queue(`?userId=${makerId}&q=${encodeURIComponent('.*(')}`);
    expect(regexy.status).toBe(200);
    expect(regexy.body.total).toBe(0);
    expect((await queue('?status=lost')).status).toBe(400);
  });

  it('answers 403 {success:false, error} to a non-admin and 401 without a token', async () => {
    const res = await request(ctx.app)
      .get('/api/admin/frame-submissions')
      .set('Authorization', submitter.auth);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ success: false, error: expect.any(String) });
    expect((await request(ctx.app).get('/api/admin/frame-submissions')).status).toBe(401);
  });

  it('shows admins a preview with sample photos made by a job; the submitter never sees it', async () => {
    const id = await submitted(3);
    const row = await eventually(async () => {
      const res = await queue('?limit=100');
      const found = res.body.data.find((s: { _id: string; previewUrl: string | null }) => s._id === id);
      return found?.previewUrl ? found : null;
    }); // prettier-ignore
    const preview = await request(ctx.app).get(new URL(row.previewUrl).pathname);
    expect(preview.status).toBe(200);
    expect(preview.headers['content-type']).toBe('image/webp');
    const key = (await UserSubmittedFrameModel.findById(id).lean())!.previewKey!;
    expect((await request(ctx.app).get(`/uploads/${key}`)).status).toBe(404);
    const own = await request(ctx.app)
      .get('/api/user-submissions/frames')
      .set('Authorization', submitter.auth);
    expect(own.body.data.find((s: { _id: string }) => s._id === id)).not.toHaveProperty('previewUrl');
  }); // prettier-ignore
});

describe('PATCH /api/admin/frame-submissions/:id/approve (#50)', () => {
  it('creates a public Template from the submission, notifies the submitter, records the decision', async () => {
    const id = await submitted(3);
    const res = await approve(id, { isPremium: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, message: expect.any(String) });
    const { submission, template } = res.body.data;
    expect(submission).toMatchObject({ _id: id, status: 'approved', isPremium: true, templateId: template._id }); // prettier-ignore
    expect(template).toMatchObject({
      isPremium: true,
      visibility: 'public',
      isAIGenerated: false,
      isActive: true,
      category: 'Birthday',
      frameCount: 3,
      createdBy: submitter.id,
    });
    expect(template.frameUrl).toMatch(/^http:\/\/api\.test\/uploads\/templates\//);
    expect((await request(ctx.app).get(new URL(template.frameUrl).pathname)).status).toBe(200);
    expect(await TemplateModel.findOne({ sourceSubmissionId: id }).lean()).toMatchObject({ name: submission.name }); // prettier-ignore
    const note = await NotificationModel.findOne({ userId: submitter.id, 'data.submissionId': id }).lean(); // prettier-ignore
    expect(note).toMatchObject({ title: 'Your frame was approved', type: 'template' });
    const audit = await request(ctx.app)
      .get('/api/admin/audit')
      .query({ targetType: 'submission', targetId: id })
      .set('Authorization', admin.auth);
    expect(audit.status).toBe(200);
    expect(JSON.stringify(audit.body.data)).toContain('submission.approve');
    const entry = await AuditLogModel.findOne({ targetType: 'submission', targetId: id }).lean();
    expect(entry).toMatchObject({
      action: 'submission.approve',
      actorKind: 'admin',
      actorName: expect.any(String),
      before: { status: 'pending' },
      after: { status: 'approved', templateId: template._id, isPremium: true },
    });
    expect(String(entry?.actorId)).toBe(admin.id);
    expect(String(entry?.subjectUserId)).toBe(submitter.id);
    const gallery = await request(ctx.app).get('/api/templates?limit=50');
    expect(gallery.body.data.templates.map((t: { _id: string }) => t._id)).toContain(template._id);
  });

  it('happens at most once: 20 concurrent approvals → one 200, one Template, one notification', async () => {
    const id = await submitted(2);
    const responses = await Promise.all(Array.from({ length: 20 }, () => approve(id)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(19);
    expect(await TemplateModel.countDocuments({ sourceSubmissionId: id })).toBe(1);
    expect(await NotificationModel.countDocuments({ userId: submitter.id, 'data.submissionId': id })).toBe(1); // prettier-ignore
    expect(await AuditLogModel.countDocuments({ targetId: id })).toBe(1);
  });

  it('has one winner when approvals race rejections, and everything agrees with it', async () => {
    const id = await submitted(2);
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => [approve(id), reject(id, { rejectionReason: `No ${i}` })]).flat(),
    ); // prettier-ignore
    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
    const stored = await UserSubmittedFrameModel.findById(id).lean();
    const templates = await TemplateModel.countDocuments({ sourceSubmissionId: id });
    expect(templates).toBe(stored!.status === 'approved' ? 1 : 0);
    const notes = await NotificationModel.find({ userId: submitter.id, 'data.submissionId': id }).lean(); // prettier-ignore
    expect(notes).toHaveLength(1);
    expect(notes[0]!.title).toBe(stored!.status === 'approved' ? 'Your frame was approved' : 'Your frame was not approved'); // prettier-ignore
    const audit = await AuditLogModel.find({ targetId: id }).lean();
    expect(audit.map((a) => a.action)).toEqual([stored!.status === 'approved' ? 'submission.approve' : 'submission.reject']); // prettier-ignore
  });

  it('answers 400 when not pending, 404 for an unknown id, 400 for a bad id, 403 for a non-admin', async () => {
    const id = await submitted(2);
    expect((await approve(id)).status).toBe(200);
    const again = await approve(id);
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ success: false, error: 'This submission is already approved' });
    expect((await approve('0123456789abcdef01234567')).status).toBe(404);
    expect((await approve('nope')).status).toBe(400);
    expect((await approve(id, { isPremium: 'maybe' })).status).toBe(400);
    const denied = await request(ctx.app)
      .patch(`/api/admin/frame-submissions/${id}/approve`)
      .set('Authorization', submitter.auth)
      .send({ isPremium: false });
    expect(denied.status).toBe(403);
  }); // prettier-ignore

  it('renders the new template’s thumbnail in a job', async () => {
    ctx.startWorkers();
    const res = await approve(await submitted(2));
    const template = await eventually(async () => {
      const doc = await TemplateModel.findById(res.body.data.template._id).lean();
      return doc?.thumbnail.endsWith('.webp') ? doc : null;
    });
    expect((await request(ctx.app).get(new URL(template.thumbnail).pathname)).status).toBe(200);
  });
});

describe('PATCH /api/admin/frame-submissions/:id/reject (#51)', () => {
  it('needs a reason', async () => {
    const id = await submitted(2);
    for (const body of [{}, { rejectionReason: '   ' }]) {
      const res = await reject(id, body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ success: false, error: 'A rejection reason is required' });
    }
    expect((await UserSubmittedFrameModel.findById(id).lean())?.status).toBe('pending');
  });

  it('rejects with the reason, tells the submitter why, and cannot be approved afterwards', async () => {
    const id = await submitted(2);
    const res = await reject(id, { rejectionReason: 'The holes are too small' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      success: true,
      data: { _id: id, status: 'rejected', rejectionReason: 'The holes are too small', approvedAt: null },
    }); // prettier-ignore
    const note = await NotificationModel.findOne({ userId: submitter.id, 'data.submissionId': id }).lean(); // prettier-ignore
    expect(note?.message).toContain('The holes are too small');
    expect(await AuditLogModel.findOne({ targetId: id }).lean()).toMatchObject({
      action: 'submission.reject',
      after: { status: 'rejected' },
      note: 'The holes are too small',
    });
    expect((await approve(id)).status).toBe(400);
    expect((await reject(id, { rejectionReason: 'again' })).status).toBe(400);
    expect(await TemplateModel.countDocuments({ sourceSubmissionId: id })).toBe(0);
    const own = await request(ctx.app)
      .get('/api/user-submissions/frames?status=rejected')
      .set('Authorization', submitter.auth);
    expect(own.body.data.find((s: { _id: string }) => s._id === id)).toMatchObject({ rejectionReason: 'The holes are too small' }); // prettier-ignore
  });
});
