import type { AppContext } from '../../context';
import { envelopeA, type AReply } from '../../lib/envelope';
import { idParams } from '../../lib/schemas';
import { ApiRouter } from '../../middleware/api-router';
import { streamRenderStatus } from '../../lib/status-stream';
import { getAnimation, isOpenAnimationFile, requestAnimation } from './animations.service';
import { animationBody, animationQuery } from './animations.schemas';

/** Animated GIF/WebP/MP4 of a session's captures in its frame, rendered beside the still. */
export function animationsRouter(ctx: AppContext): ApiRouter<AReply> {
  const r = new ApiRouter('/sessions', envelopeA, ctx.resolveAccount);
  ctx.fileAccess.register('animations', isOpenAnimationFile);

  r.post(
    '/:id/animation',
    { auth: 'user', params: idParams, body: animationBody },
    async ({ user, params, body }) => {
      const { accepted, animation } = await requestAnimation(user, params.id, body, ctx);
      return {
        status: accepted ? 202 : 200,
        message: accepted ? 'Animation queued' : 'Animation already rendered',
        data: animation,
      };
    },
  );

  r.get(
    '/:id/animation',
    { auth: 'user', params: idParams, query: animationQuery },
    async ({ user, params, query }) => ({
      data: await getAnimation(user, params.id, query, ctx),
    }),
  );

  r.get(
    '/:id/animation/events',
    { auth: 'user', params: idParams, query: animationQuery },
    async ({ user, params, query, req, res }) => {
      // Pushed like the render's stream: the animation job's events wake it.
      await streamRenderStatus(req, res, () => getAnimation(user, params.id, query, ctx), {
        heartbeatMs: ctx.config.sseHeartbeatMs,
        watch: (first, wake) => ctx.jobs.watch('render-animation', first.jobId, wake),
      });
    },
  );

  return r;
}
