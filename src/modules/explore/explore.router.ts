import { Router } from 'express';
import type { AppContext } from '../../context';
import { sendData } from '../../middleware/legacy-routing';
import { authenticate } from '../../middleware/legacy-routing';
import { validate, validInput } from '../../middleware/legacy-routing';
import { exploreQuery } from './explore.schemas';
import { explore, type ExploreSort } from './explore.service';

/** Explore: public composites for everyone; a signed-in caller also learns which ones they like. */
export function exploreRouter(ctx: AppContext): Router {
  const router = Router();
  router.get(
    '/',
    authenticate(ctx.config, { optional: true }),
    validate({ query: exploreQuery }),
    async (req, res) => {
      const { query } = validInput<unknown, { sort: ExploreSort; cursor?: string; limit: number }>(
        res.locals,
      );
      sendData(res, await explore(req.user, query, ctx.storage));
    },
  );
  return router;
}
