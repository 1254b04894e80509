import type { AppContext } from '../../context';
import { envelopeA, type AReply } from '../../lib/envelope';
import { idParams } from '../../lib/schemas';
import { ApiRouter } from '../../middleware/api-router';
import { createRateLimiter } from '../../middleware/rate-limit';
import {
  createFeedbackBody,
  listFeedbackQuery,
  replyFeedbackBody,
  updateFeedbackBody,
} from './feedback.schemas';
import {
  createFeedback,
  deleteFeedback,
  listFeedback,
  replyToFeedback,
  updateFeedbackStatus,
} from './feedback.service';

/** CONTRACT §14 (#56–#59) and the reply; envelope A; admin routes deny with 403. */
export function feedbackRouter(ctx: AppContext): ApiRouter<AReply> {
  const r = new ApiRouter('/feedback', envelopeA, ctx.resolveAccount);
  const sendLimit = createRateLimiter(ctx.config, ctx.redis, {
    name: 'feedback',
    by: 'ip',
    windowMs: 60 * 60_000,
    limit: ctx.config.feedbackLimitPerHour,
    message: 'Too many messages from this address, try again later',
  });

  r.post(
    '/',
    { auth: 'public', limits: [sendLimit], body: createFeedbackBody, summary: 'Contact form' },
    async ({ body }) => ({
      status: 201,
      message: 'Thank you, your message has been sent',
      data: { feedback: await createFeedback(body, ctx) },
    }),
  );

  r.get(
    '/',
    {
      auth: 'admin',
      adminDenied: 403,
      query: listFeedbackQuery,
      summary: 'Feedback, newest first',
    },
    async ({ user, query }) => ({ data: await listFeedback(user, query) }),
  );

  r.patch(
    '/:id',
    { auth: 'admin', adminDenied: 403, params: idParams, body: updateFeedbackBody },
    async ({ user, params, body }) => ({
      message: 'Feedback updated',
      data: { feedback: await updateFeedbackStatus(user, params.id, body) },
    }),
  );

  r.delete(
    '/:id',
    { auth: 'admin', adminDenied: 403, params: idParams },
    async ({ user, params }) => {
      await deleteFeedback(user, params.id);
      return { message: 'Feedback deleted' };
    },
  );

  r.post(
    '/:id/reply',
    { auth: 'admin', adminDenied: 403, params: idParams, body: replyFeedbackBody },
    async ({ user, params, body }) => ({
      message: 'Reply sent',
      data: { feedback: await replyToFeedback(user, params.id, body, ctx) },
    }),
  );

  return r;
}
