import type { AppContext } from '../../context';
import { envelopeA, type AReply } from '../../lib/envelope';
import { idParams } from '../../lib/schemas';
import { ApiRouter } from '../../middleware/api-router';
import { streamRenderStatus } from './session-events';
import { getRenderStatus, requestRender } from './session-render.service';
import { createSessionBody, listSessionsQuery, updateSessionBody } from './sessions.schemas';
import {
  cancelSession,
  createSession,
  deleteSession,
  getSession,
  listSessions,
  updateSession,
} from './sessions.service';

/** Photo sessions (CONTRACT §7 #23–#25) and the server render of their composite (§21). */
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

  r.post('/:id/composite', { auth: 'user', params: idParams }, async ({ user, params }) => {
    const { accepted, status } = await requestRender(user, params.id, ctx);
    return {
      status: accepted ? 202 : 200,
      message: accepted ? 'Render queued' : 'Composite already rendered',
      data: status,
    };
  });

  r.get('/:id/composite', { auth: 'user', params: idParams }, async ({ user, params }) => ({
    data: await getRenderStatus(user, params.id, ctx),
  }));

  r.get('/:id/events', { auth: 'user', params: idParams }, async ({ user, params, req, res }) => {
    // Pushed: the render job's events (from whichever worker process) wake the stream.
    await streamRenderStatus(req, res, () => getRenderStatus(user, params.id, ctx), {
      watch: (first, wake) =>
        first.jobId ? ctx.jobs.watch('render-composite', first.jobId, wake) : undefined,
    });
  });

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
