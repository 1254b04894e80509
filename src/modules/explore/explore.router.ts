import type { AppContext } from '../../context';
import { envelopeA, type AReply } from '../../lib/envelope';
import { ApiRouter } from '../../middleware/api-router';
import { exploreQuery } from './explore.schemas';
import { explore } from './explore.service';

/** Explore: public composites for everyone; a signed-in caller also learns which ones they like. */
export function exploreRouter(ctx: AppContext): ApiRouter<AReply> {
  const r = new ApiRouter('/explore', envelopeA, ctx.resolveAccount);
  r.get('/', { auth: 'optional', query: exploreQuery }, async ({ user, query }) => ({
    data: await explore(user, query, ctx.storage),
  }));
  return r;
}
