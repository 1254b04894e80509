import type { AppContext } from '../../context';
import { envelopeA, type AReply } from '../../lib/envelope';
import { idParams } from '../../lib/schemas';
import { ApiRouter } from '../../middleware/api-router';
import { getExport, listExports, requestExport } from './exports.service';

/** ZIP exports of a user's gallery: written by a job, announced by a notification. */
export function exportsRouter(ctx: AppContext): ApiRouter<AReply> {
  const r = new ApiRouter('/exports', envelopeA, ctx.resolveAccount);

  r.post('/', { auth: 'user' }, async ({ user }) => ({
    status: 202,
    message: 'Export queued; you will be notified when it is ready',
    data: await requestExport(user, ctx),
  }));

  r.get('/', { auth: 'user' }, async ({ user }) => ({ data: await listExports(user, ctx) }));

  r.get('/:id', { auth: 'user', params: idParams }, async ({ user, params }) => ({
    data: await getExport(user, params.id, ctx),
  }));

  return r;
}
