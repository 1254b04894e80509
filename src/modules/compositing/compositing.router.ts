import type { AppContext } from '../../context';
import { envelopeA, type AReply } from '../../lib/envelope';
import { idParams } from '../../lib/schemas';
import { streamRenderStatus } from '../../lib/status-stream';
import { ApiRouter } from '../../middleware/api-router';
import { getRenderStatus, requestRender } from './render-request.service';

/** The server render of a session's composite (CONTRACT §21): request, status, and its stream. */
export function compositingRouter(ctx: AppContext): ApiRouter<AReply> {
  const r = new ApiRouter('/sessions', envelopeA, ctx.resolveAccount);

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
      heartbeatMs: ctx.config.sseHeartbeatMs,
      watch: (first, wake) =>
        first.jobId ? ctx.jobs.watch('render-composite', first.jobId, wake) : undefined,
    });
  });

  return r;
}
