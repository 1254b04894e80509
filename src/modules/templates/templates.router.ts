import { namedFilesUpload } from '../../middleware/upload';
import { Router, type Request } from 'express';
import type { AppContext } from '../../context';
import { sendData, sendMessage } from '../../middleware/legacy-routing';
import { authenticate, currentUser, requireRole } from '../../middleware/legacy-routing';
import { validate, validInput } from '../../middleware/legacy-routing';
import {
  createTemplateBody,
  listTemplatesQuery,
  templateIdParams,
  updateTemplateBody,
  type CreateTemplateBody,
  type ListTemplatesQuery,
  type TemplateFields,
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
export function templatesRouter(ctx: AppContext): Router {
  const router = Router();
  const { config } = ctx;
  const admin = [authenticate(config), requireRole('admin', 403)];
  // Data URLs may also arrive as text fields of a multipart body, hence the large field size.
  const upload = namedFilesUpload(['frame', 'thumbnail'], {
    maxFileBytes: config.files.maxUploadBytes,
    maxFields: 30,
    maxFieldBytes: 40 * 1024 * 1024,
  });

  router.get(
    '/',
    authenticate(config, { optional: true }),
    validate({ query: listTemplatesQuery }),
    async (req, res) => {
      const { query } = validInput<unknown, ListTemplatesQuery>(res.locals);
      sendData(res, await listTemplates(req.user, query), { message: 'Templates retrieved' });
    },
  );

  router.post('/', ...admin, upload, validate({ body: createTemplateBody }), async (req, res) => {
    const { body } = validInput<CreateTemplateBody>(res.locals);
    const template = await createTemplate(currentUser(req), body, uploadsOf(req), ctx);
    sendData(res, { template }, { status: 201, message: 'Template created' });
  });

  // Static sub-routes before '/:id'. The previous server answered 401 to non-admins here (§2).
  router.get(
    '/:id/stats',
    authenticate(config),
    requireRole('admin', 401),
    validate({ params: templateIdParams }),
    async (req, res) => {
      const { params } = validInput<unknown, unknown, { id: string }>(res.locals);
      sendData(res, { stats: await templateStats(currentUser(req), params.id) });
    },
  );

  router.get(
    '/:id',
    authenticate(config, { optional: true }),
    validate({ params: templateIdParams }),
    async (req, res) => {
      const { params } = validInput<unknown, unknown, { id: string }>(res.locals);
      const template = await getTemplate(req.user, params.id);
      recordTemplateView(
        req.user,
        template._id,
        { ip: req.ip, referrer: req.get('referer') },
        ctx.logger,
      );
      sendData(res, { template }, { message: 'Template retrieved' });
    },
  );

  router.put(
    '/:id',
    ...admin,
    upload,
    validate({ params: templateIdParams, body: updateTemplateBody }),
    async (req, res) => {
      const { body, params } = validInput<TemplateFields, unknown, { id: string }>(res.locals);
      const template = await updateTemplate(currentUser(req), params.id, body, uploadsOf(req), ctx);
      sendData(res, { template }, { message: 'Template updated' });
    },
  );

  router.delete('/:id', ...admin, validate({ params: templateIdParams }), async (req, res) => {
    const { params } = validInput<unknown, unknown, { id: string }>(res.locals);
    await deleteTemplate(currentUser(req), params.id);
    sendMessage(res, 'Template deleted');
  });

  return router;
}

function uploadsOf(req: Request): TemplateUploads {
  const files = req.files && !Array.isArray(req.files) ? req.files : {};
  return { frame: files.frame?.[0]?.buffer, thumbnail: files.thumbnail?.[0]?.buffer };
}
