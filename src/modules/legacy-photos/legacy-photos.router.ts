import { Router } from 'express';
import type { AppContext } from '../../context';
import { sendData, sendMessage } from '../../middleware/legacy-routing';
import { authenticate, currentUser } from '../../middleware/legacy-routing';
import { validate, validInput } from '../../middleware/legacy-routing';
import {
  idParams,
  pageQuery,
  updatePhotoBody,
  type PageQuery,
  type UpdatePhotoBody,
} from './legacy-photos.schemas';
import {
  changeLikes,
  countView,
  deletePhoto,
  getPhoto,
  legacyFileRule,
  listMyPhotos,
  listPublicPhotos,
  updatePhoto,
} from './legacy-photos.service';

type IdParams = { id: string };

/** Like, unlike and view of a legacy photo; the old server had them under /photos and /gallery. */
export function mountPhotoInteractions(router: Router, ctx: AppContext): void {
  const required = authenticate(ctx.config);
  const optional = authenticate(ctx.config, { optional: true });
  router.post('/:id/like', required, validate({ params: idParams }), async (req, res) => {
    const { params } = validInput<unknown, unknown, IdParams>(res.locals);
    sendData(res, await changeLikes(currentUser(req), params.id, 1));
  });
  router.delete('/:id/like', required, validate({ params: idParams }), async (req, res) => {
    const { params } = validInput<unknown, unknown, IdParams>(res.locals);
    sendData(res, await changeLikes(currentUser(req), params.id, -1));
  });
  router.post('/:id/view', optional, validate({ params: idParams }), async (req, res) => {
    const { params } = validInput<unknown, unknown, IdParams>(res.locals);
    sendData(res, await countView(req.user, params.id));
  });
}

/**
 * The previous server's `/photos` routes on the deprecated Photo collection (CONTRACT §18).
 * Mounted after the capture router: `POST /photos` is now the multipart capture upload (§21), so
 * new Photo documents are never created.
 */
export function legacyPhotosRouter(ctx: AppContext): Router {
  ctx.fileAccess.register('legacy', legacyFileRule(ctx));
  const router = Router();
  const required = authenticate(ctx.config);
  const optional = authenticate(ctx.config, { optional: true });

  router.get('/', required, validate({ query: pageQuery }), async (req, res) => {
    const { query } = validInput<unknown, PageQuery>(res.locals);
    sendData(res, await listMyPhotos(currentUser(req), query, ctx));
  });

  router.get('/public', validate({ query: pageQuery }), async (_req, res) => {
    const { query } = validInput<unknown, PageQuery>(res.locals);
    sendData(res, await listPublicPhotos(query, ctx));
  });

  mountPhotoInteractions(router, ctx);

  router.get('/:id', optional, validate({ params: idParams }), async (req, res) => {
    const { params } = validInput<unknown, unknown, IdParams>(res.locals);
    sendData(res, await getPhoto(req.user, params.id, ctx));
  });

  router.put(
    '/:id',
    required,
    validate({ params: idParams, body: updatePhotoBody }),
    async (req, res) => {
      const { params, body } = validInput<UpdatePhotoBody, unknown, IdParams>(res.locals);
      sendData(res, await updatePhoto(currentUser(req), params.id, body, ctx), {
        message: 'Photo updated',
      });
    },
  );

  router.delete('/:id', required, validate({ params: idParams }), async (req, res) => {
    const { params } = validInput<unknown, unknown, IdParams>(res.locals);
    await deletePhoto(currentUser(req), params.id, ctx);
    sendMessage(res, 'Photo deleted');
  });

  return router;
}
