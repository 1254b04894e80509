import type { Request } from 'express';
import Joi from 'joi';
import type { AppContext } from '../../context';
import { envelopeA, type AReply } from '../../lib/envelope';
import { ApiRouter } from '../../middleware/api-router';
import { namedFilesUpload } from '../../middleware/upload';
import {
  createTemplateBody,
  listTemplatesQuery,
  templateIdParams,
  templatePageReply,
  templateReply,
  updateTemplateBody,
} from './templates.schemas';
import {
  createTemplate,
  deleteTemplate,
  templateStats,
  updateTemplate,
  type TemplateUploads,
} from './templates-admin.service';
import { getTemplate, listTemplates, recordTemplateView } from './templates.service';

/** Templates (CONTRACT §6): the public gallery and admin management. Envelope A. */
export function templatesRouter(ctx: AppContext): ApiRouter<AReply> {
  const r = new ApiRouter('/templates', envelopeA, ctx.resolveAccount);
  const { config } = ctx;
  // Data URLs may also arrive as text fields of a multipart body, hence the large field size.
  const upload = namedFilesUpload(['frame', 'thumbnail'], {
    maxFileBytes: config.files.maxUploadBytes,
    maxFields: 30,
    maxFieldBytes: 40 * 1024 * 1024,
  });

  r.get(
    '/',
    { auth: 'optional', query: listTemplatesQuery, reply: { data: templatePageReply } },
    async ({ user, query }) => ({
      message: 'Templates retrieved',
      data: await listTemplates(user, query, ctx.storage),
    }),
  );

  r.post(
    '/',
    { auth: 'admin', adminDenied: 403, upload, body: createTemplateBody },
    async ({ user, body, req }) => ({
      status: 201,
      message: 'Template created',
      data: { template: await createTemplate(user, body, uploadsOf(req), ctx) },
    }),
  );

  // Static sub-routes before '/:id'. The previous server answered 401 to non-admins here (§2).
  r.get(
    '/:id/stats',
    { auth: 'admin', adminDenied: 401, params: templateIdParams },
    async ({ user, params }) => ({ data: { stats: await templateStats(user, params.id) } }),
  );

  r.get(
    '/:id',
    {
      auth: 'optional',
      params: templateIdParams,
      reply: { data: Joi.object({ template: templateReply.required() }) },
    },
    async ({ user, params, req }) => {
      const template = await getTemplate(user, params.id, ctx.storage);
      recordTemplateView(
        user,
        template._id,
        { ip: req.ip, userAgent: req.get('user-agent'), referrer: req.get('referer') },
        ctx,
      );
      return { message: 'Template retrieved', data: { template } };
    },
  );

  r.put(
    '/:id',
    { auth: 'admin', adminDenied: 403, upload, params: templateIdParams, body: updateTemplateBody },
    async ({ user, params, body, req }) => ({
      message: 'Template updated',
      data: { template: await updateTemplate(user, params.id, body, uploadsOf(req), ctx) },
    }),
  );

  r.delete(
    '/:id',
    { auth: 'admin', adminDenied: 403, params: templateIdParams },
    async ({ user, params }) => {
      await deleteTemplate(user, params.id);
      return { message: 'Template deleted' };
    },
  );

  return r;
}

function uploadsOf(req: Request): TemplateUploads {
  const files = req.files && !Array.isArray(req.files) ? req.files : {};
  return { frame: files.frame?.[0]?.buffer, thumbnail: files.thumbnail?.[0]?.buffer };
}
