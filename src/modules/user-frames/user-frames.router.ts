import type { AppContext } from '../../context';
import { envelopeUF, type UFReply } from '../../lib/envelope';
import { idParams } from '../../lib/schemas';
import { ApiRouter } from '../../middleware/api-router';
import { updateUserFrameBody } from './user-frames.schemas';
import { getUserFrame, listUserFrames, updateUserFrame } from './user-frames.service';

/** The caller's own frames (CONTRACT §11 #44–#45, envelope UF), plus favourite/rename. */
export function userFramesRouter(ctx: AppContext): ApiRouter<UFReply> {
  const r = new ApiRouter('/user-frames', envelopeUF, ctx.resolveAccount);

  r.get('/', { auth: 'user', summary: 'My frames' }, async ({ user }) => ({
    data: await listUserFrames(user),
  }));

  r.get(
    '/:id',
    { auth: 'user', params: idParams, summary: 'One of my frames' },
    async ({ user, params }) => ({
      data: await getUserFrame(user, params.id),
    }),
  );

  r.patch(
    '/:id',
    {
      auth: 'user',
      params: idParams,
      body: updateUserFrameBody,
      summary: 'Rename or favourite a frame',
    },
    async ({ user, params, body }) => ({ data: await updateUserFrame(user, params.id, body) }),
  );

  return r;
}
