import type { AppContext } from '../../context';
import { envelopeA, type AReply } from '../../lib/envelope';
import { idParams } from '../../lib/schemas';
import { ApiRouter } from '../../middleware/api-router';
import { shareComposite, viewSharedComposite } from './share.service';

/** Share links (CONTRACT §8 with §19.8); `/public/:id` is registered before `/:id`. */
export function shareRouter(ctx: AppContext): ApiRouter<AReply> {
  const r = new ApiRouter('/share', envelopeA, ctx.resolveAccount);

  r.get('/public/:id', { auth: 'public', params: idParams }, async ({ params }) => ({
    data: await viewSharedComposite(params.id, ctx),
  }));

  r.get('/:id', { auth: 'user', params: idParams }, async ({ user, params }) => ({
    data: await shareComposite(user, params.id, ctx),
  }));

  return r;
}
