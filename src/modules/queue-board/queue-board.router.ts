import { randomBytes } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Router, type Request, type RequestHandler } from 'express';
import Joi from 'joi';
import type { AppContext } from '../../context';
import { QUEUE_NAMES } from '../../jobs/queues';
import { envelopeA, type AReply } from '../../lib/envelope';
import { AppError } from '../../lib/errors';
import { ApiRouter } from '../../middleware/api-router';
import { UserModel } from '../../models/user.model';

/** Where the dashboard lives under /api. */
export const BOARD_PATH = '/admin/queues';
const COOKIE = 'kk_queue_board';
const CODE_TTL_SECONDS = 60;

function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

function bearer(req: Request): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
}

/**
 * The queue dashboard (bull-board: jobs by state, retry, clean and pause per queue), for admins
 * only. The admin client holds a Bearer token, which a browser tab cannot send: an admin asks
 * `POST /api/admin/queues/session` for a one-time link (valid 60 s); opening it sets an HttpOnly,
 * SameSite=Strict session cookie scoped to the dashboard's path (QUEUE_BOARD_SESSION_MINUTES)
 * and redirects to the board. A Bearer token is accepted on the board too (scripts).
 */
export function queueBoardRouters(ctx: AppContext): { api: ApiRouter<AReply>; board: Router } {
  const { redis, config } = ctx;
  const key = (kind: 'code' | 'session', id: string) => `${config.queuePrefix}:board:${kind}:${id}`;
  const sessionSeconds = config.queueBoardSessionMinutes * 60;

  const api = new ApiRouter(BOARD_PATH, envelopeA, ctx.resolveAccount);
  api.post(
    '/session',
    {
      auth: 'admin',
      body: Joi.object({}),
      summary: 'A one-time link (60 s) that opens the queue dashboard in a browser',
    },
    async ({ user }) => {
      const code = randomBytes(24).toString('base64url');
      await redis.set(key('code', code), user.id, 'EX', CODE_TTL_SECONDS);
      return {
        status: 201,
        data: {
          url: `${config.publicBaseUrl}/api${BOARD_PATH}/login?code=${code}`,
          expiresInSeconds: CODE_TTL_SECONDS,
        },
      };
    },
  );

  const board = Router();
  board.get('/login', async (req, res) => {
    const code = typeof req.query.code === 'string' ? req.query.code : '';
    const userId = code ? await redis.getdel(key('code', code)) : null;
    if (!userId) throw AppError.unauthenticated('This link is invalid, used or expired');
    const session = randomBytes(32).toString('base64url');
    await redis.set(key('session', session), userId, 'EX', sessionSeconds);
    res.cookie(COOKIE, session, {
      httpOnly: true,
      sameSite: 'strict',
      secure: config.publicBaseUrl.startsWith('https:'),
      path: `/api${BOARD_PATH}`,
      maxAge: sessionSeconds * 1000,
    });
    res.redirect(303, `/api${BOARD_PATH}/`);
  });

  /** Anonymous → 401; a signed-in non-admin → 403; an admin (token or session) → next. */
  const adminsOnly: RequestHandler = async (req, _res, next) => {
    const token = bearer(req);
    if (token) {
      const account = await ctx.resolveAccount(token);
      if (!account) throw AppError.unauthenticated();
      if (account.role !== 'admin') throw AppError.forbidden('Admin access only');
      return next();
    }
    const session = cookieValue(req, COOKIE);
    const userId = session ? await redis.get(key('session', session)) : null;
    if (!userId) throw AppError.unauthenticated('Open the dashboard through an admin link');
    const account = await UserModel.findById(userId).select('+isDeleted role isActive').lean();
    if (!account || account.isDeleted || account.isActive === false || account.role !== 'admin') {
      throw AppError.forbidden('Admin access only');
    }
    next();
  };

  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(`/api${BOARD_PATH}`);
  createBullBoard({
    queues: QUEUE_NAMES.map((name) => new BullMQAdapter(ctx.jobs.queue(name))),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'KaryaKlik queues' } },
  });
  const ui: unknown = serverAdapter.getRouter();
  if (typeof ui !== 'function') throw new Error('bull-board did not return a router');
  board.use(adminsOnly, ui as RequestHandler);
  return { api, board };
}
