import type { AppContext } from '../../context';
import { envelopeA, type AReply } from '../../lib/envelope';
import { ApiRouter } from '../../middleware/api-router';
import { requiredFile, singleFileUpload } from '../../middleware/upload';
import { likeComposite, unlikeComposite } from './composite-likes.service';
import {
  idParams,
  listCompositesQuery,
  updateCompositeBody,
  uploadCompositeBody,
} from './composites.schemas';
import {
  deleteComposite,
  isOpenCompositeFile,
  listMyComposites,
  updateComposite,
  uploadComposite,
} from './composites.service';

/** My Gallery (CONTRACT #27–#29), visibility and likes (§21). */
export function compositesRouter(ctx: AppContext): ApiRouter<AReply> {
  // A composite's files are served from their plain URL only while it is public or link-shared.
  ctx.fileAccess.register('composites', isOpenCompositeFile);

  const r = new ApiRouter('/composites', envelopeA, ctx.resolveAccount);

  r.post(
    '/upload',
    {
      auth: 'user',
      upload: singleFileUpload('image', { maxFileBytes: ctx.config.files.maxUploadBytes }),
      body: uploadCompositeBody,
    },
    async ({ user, body, req }) => {
      const image = requiredFile(req, 'image');
      const composite = await uploadComposite(
        user,
        {
          sessionId: body.sessionId,
          templateId: body.templateId || undefined,
          image,
        },
        ctx,
      );
      return { status: 201, message: 'Composite saved', data: composite };
    },
  );

  r.get('/', { auth: 'user', query: listCompositesQuery }, async ({ user, query }) => ({
    data: await listMyComposites(user, query, ctx.storage),
  }));

  r.post('/:id/like', { auth: 'user', params: idParams }, async ({ user, params }) => ({
    data: await likeComposite(user, params.id),
  }));

  r.delete('/:id/like', { auth: 'user', params: idParams }, async ({ user, params }) => ({
    data: await unlikeComposite(user, params.id),
  }));

  r.patch(
    '/:id',
    { auth: 'user', params: idParams, body: updateCompositeBody },
    async ({ user, params, body }) => ({
      message: 'Composite updated',
      data: await updateComposite(user, params.id, body, ctx.storage),
    }),
  );

  r.delete('/:id', { auth: 'user', params: idParams }, async ({ user, params }) => {
    await deleteComposite(user, params.id, ctx.storage);
    return { message: 'Composite deleted' };
  });

  return r;
}
