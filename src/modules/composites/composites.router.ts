import { singleFileUpload } from '../../middleware/upload';
import { Router } from 'express';
import type { AppContext } from '../../context';
import { sendData, sendMessage } from '../../middleware/legacy-routing';
import { AppError } from '../../lib/errors';
import { authenticate, currentUser } from '../../middleware/legacy-routing';
import { validate, validInput } from '../../middleware/legacy-routing';
import { likeComposite, unlikeComposite } from './composite-likes.service';
import {
  idParams,
  listCompositesQuery,
  updateCompositeBody,
  uploadCompositeBody,
  type UpdateCompositeBody,
  type UploadCompositeBody,
} from './composites.schemas';
import {
  deleteComposite,
  isOpenCompositeFile,
  listMyComposites,
  updateComposite,
  uploadComposite,
} from './composites.service';

type IdParams = { id: string };

/** My Gallery (CONTRACT #27–#29), visibility and likes (§21). */
export function compositesRouter(ctx: AppContext): Router {
  // A composite's files are served from their plain URL only while it is public or link-shared.
  ctx.fileAccess.register('composites', isOpenCompositeFile);

  const router = Router();
  router.use(authenticate(ctx.config));

  router.post(
    '/upload',
    singleFileUpload('image', { maxFileBytes: ctx.config.files.maxUploadBytes }),
    validate({ body: uploadCompositeBody }),
    async (req, res) => {
      const { body } = validInput<UploadCompositeBody>(res.locals);
      if (!req.file) throw AppError.badRequest('No image uploaded (multipart field "image")');
      const composite = await uploadComposite(
        currentUser(req),
        {
          sessionId: body.sessionId,
          templateId: body.templateId || undefined,
          image: req.file.buffer,
        },
        ctx,
      );
      sendData(res, composite, { status: 201, message: 'Composite saved' });
    },
  );

  router.get('/', validate({ query: listCompositesQuery }), async (req, res) => {
    const { query } = validInput<unknown, { page: number; limit: number }>(res.locals);
    sendData(res, await listMyComposites(currentUser(req), query, ctx.storage));
  });

  router.post('/:id/like', validate({ params: idParams }), async (req, res) => {
    const { params } = validInput<unknown, unknown, IdParams>(res.locals);
    sendData(res, await likeComposite(currentUser(req), params.id));
  });

  router.delete('/:id/like', validate({ params: idParams }), async (req, res) => {
    const { params } = validInput<unknown, unknown, IdParams>(res.locals);
    sendData(res, await unlikeComposite(currentUser(req), params.id));
  });

  router.patch(
    '/:id',
    validate({ params: idParams, body: updateCompositeBody }),
    async (req, res) => {
      const { params, body } = validInput<UpdateCompositeBody, unknown, IdParams>(res.locals);
      sendData(res, await updateComposite(currentUser(req), params.id, body, ctx.storage), {
        message: 'Composite updated',
      });
    },
  );

  router.delete('/:id', validate({ params: idParams }), async (req, res) => {
    const { params } = validInput<unknown, unknown, IdParams>(res.locals);
    await deleteComposite(currentUser(req), params.id, ctx.storage);
    sendMessage(res, 'Composite deleted');
  });

  return router;
}
