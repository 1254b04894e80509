import { Router } from 'express';
import type { AppContext } from '../../context';
import { sendData } from '../../middleware/legacy-routing';
import { authenticate, currentUser } from '../../middleware/legacy-routing';
import { validate, validInput } from '../../middleware/legacy-routing';
import { idParams } from '../../lib/schemas';
import { shareComposite, viewSharedComposite } from './share.service';

type IdParams = { id: string };

/** Share links (CONTRACT §8 with §19.8); `/public/:id` is registered before `/:id`. */
export function shareRouter(ctx: AppContext): Router {
  const router = Router();

  router.get('/public/:id', validate({ params: idParams }), async (_req, res) => {
    const { params } = validInput<unknown, unknown, IdParams>(res.locals);
    sendData(res, await viewSharedComposite(params.id, ctx));
  });

  router.get('/:id', authenticate(ctx.config), validate({ params: idParams }), async (req, res) => {
    const { params } = validInput<unknown, unknown, IdParams>(res.locals);
    sendData(res, await shareComposite(currentUser(req), params.id, ctx));
  });

  return router;
}
