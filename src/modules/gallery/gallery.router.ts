import type { AppContext } from '../../context';
import { envelopeA, type AReply } from '../../lib/envelope';
import { ApiRouter } from '../../middleware/api-router';
import { idParams, pageQuery } from '../legacy-photos/legacy-photos.schemas';
import { addPhotoInteractions } from '../legacy-photos/legacy-photos.router';
import {
  listMyPhotos,
  listPublicPhotos,
  toggleVisibility,
} from '../legacy-photos/legacy-photos.service';

/** The previous server's `/gallery` routes on the deprecated Photo collection (CONTRACT §18). */
export function galleryRouter(ctx: AppContext): ApiRouter<AReply> {
  const r = new ApiRouter('/gallery', envelopeA, ctx.resolveAccount);

  r.get('/public', { auth: 'public', query: pageQuery }, async ({ query }) => ({
    data: await listPublicPhotos(query, ctx),
  }));

  r.get('/my-photos', { auth: 'user', query: pageQuery }, async ({ user, query }) => ({
    data: await listMyPhotos(user, query, ctx),
  }));

  addPhotoInteractions(r);

  // PATCH and PUT both toggle, as on the previous server.
  for (const method of ['patch', 'put'] as const) {
    r[method](
      '/:id/toggle-visibility',
      { auth: 'user', params: idParams },
      async ({ user, params }) => ({
        message: 'Visibility updated',
        data: await toggleVisibility(user, params.id, ctx),
      }),
    );
  }

  return r;
}
