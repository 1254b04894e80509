import type { AppContext } from '../../context';
import { envelopeA, type AReply } from '../../lib/envelope';
import { ApiRouter } from '../../middleware/api-router';
import { usageToday } from './usage.service';

/** Today's allowances and their use (Asia/Jakarta day); envelope A. */
export function usageRouter(ctx: AppContext): ApiRouter<AReply> {
  const r = new ApiRouter('/usage', envelopeA, ctx.resolveAccount);

  r.get('/today', { auth: 'user', summary: "Today's usage and limits" }, async ({ user }) => ({
    data: await usageToday(user, ctx),
  }));

  return r;
}
