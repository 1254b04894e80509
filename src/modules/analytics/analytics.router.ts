import type { AppContext } from '../../context';
import { envelopeA, type AReply } from '../../lib/envelope';
import { ApiRouter } from '../../middleware/api-router';
import { createRateLimiter } from '../../middleware/rate-limit';
import { adminAnalytics } from './admin-analytics.service';
import { dateRangeQuery, eventsExportQuery, funnelQuery, trackBody } from './analytics.schemas';
import { streamEventsCsv, streamFunnelCsv } from './csv-export.service';
import { resolveRange } from './date-range';
import { funnel, revenueByDay } from './funnel.service';
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

  r.get(
    '/',
    { auth: 'admin', adminDenied: 403, query: dateRangeQuery, summary: 'Admin analytics (#62)' },
    async ({ query }) => ({ data: await adminAnalytics(resolveRange(query)) }),
  );

  r.get(
    '/funnel',
    {
      auth: 'admin',
      adminDenied: 403,
      query: funnelQuery,
      summary: 'Booth funnel, overall and per template',
    },
    async ({ query }) => ({ data: await funnel(resolveRange(query), query.templateId) }),
  );

  r.get(
    '/revenue',
    {
      auth: 'admin',
      adminDenied: 403,
      query: dateRangeQuery,
      summary: 'Approved payments by Jakarta day',
    },
    async ({ query }) => ({ data: await revenueByDay(resolveRange(query)) }),
  );

  r.get(
    '/export/events.csv',
    {
      auth: 'admin',
      adminDenied: 403,
      query: eventsExportQuery,
      summary: 'Events of a range as CSV (streamed)',
    },
    async ({ query, res }) => {
      await streamEventsCsv(res, resolveRange(query), query.eventType);
    },
  );

  r.get(
    '/export/funnel.csv',
    {
      auth: 'admin',
      adminDenied: 403,
      query: funnelQuery,
      summary: 'The funnel of a range as CSV',
    },
    async ({ query, res }) => {
      await streamFunnelCsv(res, resolveRange(query), query.templateId);
    },
  );

  return r;
}
