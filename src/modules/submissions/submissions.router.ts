import type { Request } from 'express';
import type { AppContext } from '../../context';
import { envelopeS, type SReply } from '../../lib/envelope';
import { idParams } from '../../lib/schemas';
import { ApiRouter } from '../../middleware/api-router';
import { namedFilesUpload } from '../../middleware/upload';
import { approveSubmission, listModerationQueue, rejectSubmission } from './moderation.service';
import {
  approveSubmissionBody,
  listOwnSubmissionsQuery,
  moderationQueueQuery,
  rejectSubmissionBody,
  submitFrameBody,
} from './submissions.schemas';
import {
  deleteOwnSubmission,
  listOwnSubmissions,
  submitFrame,
  type SubmissionUploads,
} from './submissions.service';

/** A user's frame submissions (CONTRACT §12 #46–#48, envelope S). */
export function userSubmissionsRouter(ctx: AppContext): ApiRouter<SReply> {
  const r = new ApiRouter('/user-submissions', envelopeS, ctx.resolveAccount);
  // Data URLs may also arrive as text fields of a multipart body, hence the large field size.
  const upload = namedFilesUpload(['frame', 'thumbnail'], {
    maxFileBytes: ctx.config.files.maxUploadBytes,
    maxFields: 30,
    maxFieldBytes: 40 * 1024 * 1024,
  });

  r.post(
    '/frames',
    { auth: 'user', upload, body: submitFrameBody, summary: 'Submit a frame for review (Pro)' },
    async ({ user, body, req }) => ({
      data: await submitFrame(user, body, uploadsOf(req), ctx),
      message: 'Frame submitted for review',
    }),
  );

  r.get(
    '/frames',
    { auth: 'user', query: listOwnSubmissionsQuery, summary: 'My submissions' },
    async ({ user, query }) => listOwnSubmissions(user, query, ctx.storage),
  );

  r.delete(
    '/frames/:id',
    { auth: 'user', params: idParams, summary: 'Withdraw a pending submission' },
    async ({ user, params }) => {
      await deleteOwnSubmission(user, params.id, ctx.storage);
      return { data: null, message: 'Submission deleted' };
    },
  );

  return r;
}

/** The moderation queue (CONTRACT §12 #49–#51, envelope S; non-admins get 403). */
export function frameModerationRouter(ctx: AppContext): ApiRouter<SReply> {
  const r = new ApiRouter('/admin/frame-submissions', envelopeS, ctx.resolveAccount);

  r.get(
    '/',
    { auth: 'admin', adminDenied: 403, query: moderationQueueQuery, summary: 'Moderation queue' },
    async ({ user, query }) => listModerationQueue(user, query, ctx.storage),
  );

  r.patch(
    '/:id/approve',
    {
      auth: 'admin',
      adminDenied: 403,
      params: idParams,
      body: approveSubmissionBody,
      summary: 'Approve: the frame becomes a public template',
    },
    async ({ user, params, body }) => ({
      data: await approveSubmission(user, params.id, body, ctx),
      message: 'Submission approved and published as a template',
    }),
  );

  r.patch(
    '/:id/reject',
    {
      auth: 'admin',
      adminDenied: 403,
      params: idParams,
      body: rejectSubmissionBody,
      summary: 'Reject with a reason',
    },
    async ({ user, params, body }) => ({
      data: await rejectSubmission(user, params.id, body, ctx),
      message: 'Submission rejected',
    }),
  );

  return r;
}

function uploadsOf(req: Request): SubmissionUploads {
  const files = req.files && !Array.isArray(req.files) ? req.files : {};
  return { frame: files.frame?.[0]?.buffer, thumbnail: files.thumbnail?.[0]?.buffer };
}
