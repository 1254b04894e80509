import { Router } from 'express';
import type { AppContext } from '../../app';
import { sendData, sendMessage } from '../../lib/envelope';
import { authenticate, currentUser } from '../../middleware/authenticate';
import { validate, validInput } from '../../middleware/validate';
import { streamRenderStatus } from './session-events';
import { getRenderStatus, requestRender } from './session-render.service';
import {
  createSessionBody,
  idParams,
  listSessionsQuery,
  updateSessionBody,
  type CreateSessionInput,
  type ListSessionsQuery,
  type UpdateSessionInput,
} from './sessions.schemas';
import {
  cancelSession,
  createSession,
  deleteSession,
  getSession,
  listSessions,
  updateSession,
} from './sessions.service';

type IdParams = { id: string };

/** Photo sessions (CONTRACT §7 #23–#25) and the server render of their composite (§21). */
export function sessionsRouter(ctx: AppContext): Router {
  const router = Router();
  router.use(authenticate(ctx.config));

  router.post('/', validate({ body: createSessionBody }), async (req, res) => {
    const { body } = validInput<CreateSessionInput>(res.locals);
    sendData(res, await createSession(currentUser(req), body), {
      status: 201,
      message: 'Session created',
    });
  });

  router.get('/', validate({ query: listSessionsQuery }), async (req, res) => {
    const { query } = validInput<unknown, ListSessionsQuery>(res.locals);
    sendData(res, await listSessions(currentUser(req), query));
  });

  router.post('/:id/cancel', validate({ params: idParams }), async (req, res) => {
    const { params } = validInput<unknown, unknown, IdParams>(res.locals);
    sendData(res, await cancelSession(currentUser(req), params.id), {
      message: 'Session cancelled',
    });
  });

  router.post('/:id/composite', validate({ params: idParams }), async (req, res) => {
    const { params } = validInput<unknown, unknown, IdParams>(res.locals);
    const { accepted, status } = await requestRender(currentUser(req), params.id, ctx);
    sendData(res, status, {
      status: accepted ? 202 : 200,
      message: accepted ? 'Render queued' : 'Composite already rendered',
    });
  });

  router.get('/:id/composite', validate({ params: idParams }), async (req, res) => {
    const { params } = validInput<unknown, unknown, IdParams>(res.locals);
    sendData(res, await getRenderStatus(currentUser(req), params.id, ctx));
  });

  router.get('/:id/events', validate({ params: idParams }), async (req, res) => {
    const { params } = validInput<unknown, unknown, IdParams>(res.locals);
    const actor = currentUser(req);
    await streamRenderStatus(req, res, () => getRenderStatus(actor, params.id, ctx));
  });

  router.get('/:id', validate({ params: idParams }), async (req, res) => {
    const { params } = validInput<unknown, unknown, IdParams>(res.locals);
    sendData(res, await getSession(currentUser(req), params.id, ctx.storage));
  });

  router.patch(
    '/:id',
    validate({ params: idParams, body: updateSessionBody }),
    async (req, res) => {
      const { params, body } = validInput<UpdateSessionInput, unknown, IdParams>(res.locals);
      sendData(res, await updateSession(currentUser(req), params.id, body), {
        message: 'Session updated',
      });
    },
  );

  router.delete('/:id', validate({ params: idParams }), async (req, res) => {
    const { params } = validInput<unknown, unknown, IdParams>(res.locals);
    await deleteSession(currentUser(req), params.id, ctx.storage);
    sendMessage(res, 'Session deleted');
  });

  return router;
}
