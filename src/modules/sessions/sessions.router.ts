import type { AppContext } from '../../context';
import { envelopeA, type AReply } from '../../lib/envelope';
import { idParams } from '../../lib/schemas';
import { ApiRouter } from '../../middleware/api-router';
import { createSessionBody, listSessionsQuery, updateSessionBody } from './sessions.schemas';
import {
  cancelSession,
  createSession,
  deleteSession,
  getSession,
  listSessions,
  updateSession,
} from './sessions.service';

/** Photo sessions (CONTRACT §7 #23–#25); their server render is modules/compositing's. */
export function sessionsRouter(ctx: AppContext): ApiRouter<AReply> {
  const r = new ApiRouter('/sessions', envelopeA, ctx.resolveAccount);

  r.post('/', { auth: 'user', body: createSessionBody }, async ({ user, body }) => ({
    status: 201,
    message: 'Session created',
    data: await createSession(user, body),
  }));

  r.get('/', { auth: 'user', query: listSessionsQuery }, async ({ user, query }) => ({
    data: await listSessions(user, query),
  }));

  r.post('/:id/cancel', { auth: 'user', params: idParams }, async ({ user, params }) => ({
    message: 'Session cancelled',
    data: await cancelSession(user, params.id),
  }));

  r.get('/:id', { auth: 'user', params: idParams }, async ({ user, params }) => ({
    data: await getSession(user, params.id, ctx.storage),
  }));

  r.patch(
    '/:id',
    { auth: 'user', params: idParams, body: updateSessionBody },
    async ({ user, params, body }) => ({
      message: 'Session updated',
      data: await updateSession(user, params.id, body),
    }),
  );

  r.delete('/:id', { auth: 'user', params: idParams }, async ({ user, params }) => {
    await deleteSession(user, params.id, ctx.storage);
    return { message: 'Session deleted' };
  });

  return r;
}
