import { Router, type RequestHandler } from 'express';
import type { AppContext } from '../../context';
import { sendData } from '../../middleware/legacy-routing';
import { authenticate, currentUser } from '../../middleware/legacy-routing';
import { validate, validInput } from '../../middleware/legacy-routing';
import { idParams, pageQuery, type PageQuery } from '../legacy-photos/legacy-photos.schemas';
import { mountPhotoInteractions } from '../legacy-photos/legacy-photos.router';
import {
  listMyPhotos,
  listPublicPhotos,
  toggleVisibility,
} from '../legacy-photos/legacy-photos.service';

type IdParams = { id: string };

/** The previous server's `/gallery` routes on the deprecated Photo collection (CONTRACT §18). */
export function galleryRouter(ctx: AppContext): Router {
  const router = Router();
  const required = authenticate(ctx.config);

  router.get('/public', validate({ query: pageQuery }), async (_req, res) => {
    const { query } = validInput<unknown, PageQuery>(res.locals);
    sendData(res, await listPublicPhotos(query, ctx));
  });

  router.get('/my-photos', required, validate({ query: pageQuery }), async (req, res) => {
    const { query } = validInput<unknown, PageQuery>(res.locals);
    sendData(res, await listMyPhotos(currentUser(req), query, ctx));
  });

  mountPhotoInteractions(router, ctx);

  const toggle: RequestHandler = async (req, res) => {
    const { params } = validInput<unknown, unknown, IdParams>(res.locals);
    sendData(res, await toggleVisibility(currentUser(req), params.id, ctx), {
      message: 'Visibility updated',
    });
  };
  router.patch('/:id/toggle-visibility', required, validate({ params: idParams }), toggle);
  router.put('/:id/toggle-visibility', required, validate({ params: idParams }), toggle);

  return router;
}
