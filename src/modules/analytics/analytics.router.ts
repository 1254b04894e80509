import type { AppContext } from '../../context';
import { envelopeA, type AReply } from '../../lib/envelope';
import { ApiRouter } from '../../middleware/api-router';
import { createRateLimiter } from '../../middleware/rate-limit';
import { trackBody } from './analytics.schemas';
import { trackEvent } from './track.service';

/** CONTRACT §15 (#61, #62) and the admin insights beside it; envelope A. */
export function analyticsRouter(ctx: AppContext): ApiRouter<AReply> {
  const r = new ApiRouter('/analytics', envelopeA, ctx.resolveAccount);
  const trackLimit = createRateLimiter(ctx.config, ctx.redis, {
    name: 'analytics-track',
    by: 'ip',
    windowMs: 60_000,
    limit: ctx.config.analytics.trackLimitPerMinute,
    message: 'Too many analytics events from this address, slow down',
  });

  r.post(
    '/track',
    {
      auth: 'public',
      limits: [trackLimit],
      body: trackBody,
      summary: 'Record a client event (anonymous, batched)',
    },
    ({ body, req }) => ({
      status: 201,
      message: 'Event tracked',
      data: trackEvent(
        body,
        { ip: req.ip, userAgent: req.get('user-agent'), referrer: req.get('referer') },
        ctx,
      ),
    }),
  );

  return r;
}
