import type { AppContext } from '../../context';
import { envelopeA, type AReply } from '../../lib/envelope';
import { ApiRouter } from '../../middleware/api-router';
import { idParams, pageQuery, updatePhotoBody } from './legacy-photos.schemas';
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

/** Like, unlike and view of a legacy photo; the old server had them under /photos and /gallery. */
export function addPhotoInteractions(r: ApiRouter<AReply>): void {
  r.post('/:id/like', { auth: 'user', params: idParams }, async ({ user, params }) => ({
    data: await changeLikes(user, params.id, 1),
  }));
  r.delete('/:id/like', { auth: 'user', params: idParams }, async ({ user, params }) => ({
    data: await changeLikes(user, params.id, -1),
  }));
  r.post('/:id/view', { auth: 'optional', params: idParams }, async ({ user, params }) => ({
    data: await countView(user, params.id),
  }));
}

/**
 * The previous server's `/photos` routes on the deprecated Photo collection (CONTRACT §18).
 * Mounted after the capture router: `POST /photos` is now the multipart capture upload (§21), so
 * new Photo documents are never created.
 */
export function legacyPhotosRouter(ctx: AppContext): ApiRouter<AReply> {
  ctx.fileAccess.register('legacy', legacyFileRule(ctx));
  const r = new ApiRouter('/photos', envelopeA, ctx.resolveAccount);

  r.get('/', { auth: 'user', query: pageQuery }, async ({ user, query }) => ({
    data: await listMyPhotos(user, query, ctx),
  }));

  r.get('/public', { auth: 'public', query: pageQuery }, async ({ query }) => ({
    data: await listPublicPhotos(query, ctx),
  }));

  addPhotoInteractions(r);

  r.get('/:id', { auth: 'optional', params: idParams }, async ({ user, params }) => ({
    data: await getPhoto(user, params.id, ctx),
  }));

  r.put(
    '/:id',
    { auth: 'user', params: idParams, body: updatePhotoBody },
    async ({ user, params, body }) => ({
      message: 'Photo updated',
      data: await updatePhoto(user, params.id, body, ctx),
    }),
  );

  r.delete('/:id', { auth: 'user', params: idParams }, async ({ user, params }) => {
    await deletePhoto(user, params.id, ctx);
    return { message: 'Photo deleted' };
  });

  return r;
}
