import type { AppContext } from '../../context';
import { envelopeA, type AReply } from '../../lib/envelope';
import { ApiRouter } from '../../middleware/api-router';
import { dashboardStats, recentActivity, templateActivity } from './dashboard.service';

/** CONTRACT §16 (#63–#65): the admin dashboard; envelope A; non-admins get 401. */
export function dashboardRouter(ctx: AppContext): ApiRouter<AReply> {
  const r = new ApiRouter('/dashboard', envelopeA, ctx.resolveAccount);
  const admin = { auth: 'admin', adminDenied: 401 } as const;

  r.get('/stats', { ...admin, summary: 'Dashboard numbers (#63)' }, async () => ({
    data: await dashboardStats(),
  }));
  r.get('/templates', { ...admin, summary: 'Most used templates this week (#64)' }, async () => ({
    data: await templateActivity(),
  }));
  r.get('/activity', { ...admin, summary: 'Recent activity (#65)' }, async () => ({
    data: await recentActivity(),
  }));

  return r;
}
