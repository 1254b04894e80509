import { randomUUID } from 'node:crypto';
import cors, { type CorsOptions } from 'cors';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Redis } from 'ioredis';
import { pinoHttp } from 'pino-http';
import type { Config } from './config';
import type { ApiRouter } from './middleware/api-router';
import type { JobQueue } from './jobs/job-queue';
import { redactUrl, type Logger } from './lib/logger';
import type { FileStorage } from './lib/storage';
import { createMailer, type Mailer } from './lib/mailer';
import type { AppContext } from './context';
import { aiFramesRouter } from './modules/ai-frames/ai-frames.router';
import { analyticsRouter } from './modules/analytics/analytics.router';
import { createAnalyticsWriter, type AnalyticsWriter } from './modules/analytics/event-writer';
import { accountResolver } from './modules/auth/account-resolver';
import { authRouter } from './modules/auth/auth.router';
import { notificationsRouter } from './modules/notifications/notifications.router';
import { usersRouter } from './modules/users/users.router';
import { errorHandler, notFoundHandler } from './middleware/error-handler';
import { FileAccess } from './modules/files/file-access';
import { filesRouter } from './modules/files/files.router';
import { healthRouter } from './modules/health/health.router';
import { compositesRouter } from './modules/composites/composites.router';
import { exploreRouter } from './modules/explore/explore.router';
import { galleryRouter } from './modules/gallery/gallery.router';
import { legacyPhotosRouter } from './modules/legacy-photos/legacy-photos.router';
import { photosRouter } from './modules/photos/photos.router';
import { sessionsRouter } from './modules/sessions/sessions.router';
import { animationsRouter } from './modules/animations/animations.router';
import { exportsRouter } from './modules/exports/exports.router';
import { shareRouter } from './modules/share/share.router';
import {
  frameModerationRouter,
  userSubmissionsRouter,
} from './modules/submissions/submissions.router';
import { templatesRouter } from './modules/templates/templates.router';
import { userFramesRouter } from './modules/user-frames/user-frames.router';
import { auditRouter } from './modules/audit/audit.router';
import { adminPaymentsRouter } from './modules/payments/admin-payments.router';
import { paymentsRouter } from './modules/payments/payments.router';
import { usageRouter } from './modules/usage/usage.router';

export interface AppDeps {
  config: Readonly<Config>;
  logger: Logger;
  redis: Redis;
  jobs: JobQueue;
  storage: FileStorage;
  /** Defaults to SMTP from config, or the log without SMTP_HOST; tests pass a recording transport. */
  mailer?: Mailer;
  fileAccess?: FileAccess;
  startedAt?: Date;
  /** The tracked events' batch writer; whoever passes it closes it (a default one is never flushed on exit). */
  analytics?: AnalyticsWriter;
}

const ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'Cache-Control',
  'Pragma',
  'X-Request-Type',
  'X-Requested-With',
  'X-Request-Id',
];

export function corsOptions(config: Readonly<Config>): CorsOptions {
  const allowed = new Set(config.corsOrigins);
  return {
    // The client sends one request with credentials, so the origin is echoed, never `*`.
    origin: (origin, callback) =>
      callback(null, origin !== undefined && allowed.has(origin) ? origin : false),
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: ['X-Request-Id', 'Retry-After', 'RateLimit', 'RateLimit-Policy'],
    optionsSuccessStatus: 200,
    maxAge: 600,
  };
}

/** Builds the Express app without listening; tests drive it with supertest. */
export function buildApp(deps: AppDeps): Express {
  const ctx: AppContext = {
    ...deps,
    fileAccess: deps.fileAccess ?? new FileAccess(),
    startedAt: deps.startedAt ?? new Date(),
    mailer: deps.mailer ?? createMailer(deps.config, deps.logger),
    resolveAccount: accountResolver(deps.config),
    analytics: deps.analytics ?? createAnalyticsWriter(deps.config, deps.logger),
  };
  const { config } = ctx;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('query parser', 'simple');

  app.use(
    pinoHttp({
      logger: ctx.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id =
          typeof incoming === 'string' && /^[\w-]{8,64}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: redactUrl(req.url),
        }),
      },
      autoLogging: { ignore: (req) => req.url === '/api/health' },
    }),
  );
  app.use(
    helmet({
      // Images and frames are drawn by the web client from another origin (crossOrigin="anonymous").
      crossOriginResourcePolicy: { policy: 'cross-origin' },
    }),
  );
  const corsMiddleware = cors(corsOptions(config));
  app.use(corsMiddleware);

  app.use('/uploads', filesRouter(ctx.storage, ctx.fileAccess));

  const api = express.Router();
  // The client sends JSON on DELETE too (DELETE /users/delete carries the password).
  api.use(
    express.json({ limit: config.jsonBodyLimit, type: ['application/json', 'application/*+json'] }),
  );
  api.use(express.urlencoded({ extended: false, limit: '1mb' }));
  api.use(
    healthRouter({
      redis: ctx.redis,
      port: config.port,
      startedAt: ctx.startedAt,
      mongoTarget: describeTarget(config.mongodbUri),
      redisTarget: describeTarget(config.redisUrl),
    }),
  );
  api.use('/templates', templatesRouter(ctx));
  mount(api, sessionsRouter(ctx));
  mount(api, animationsRouter(ctx));
  mount(api, exportsRouter(ctx));
  api.use('/photos', photosRouter(ctx));
  api.use('/photos', legacyPhotosRouter(ctx));
  api.use('/gallery', galleryRouter(ctx));
  api.use('/composites', compositesRouter(ctx));
  api.use('/explore', exploreRouter(ctx));
  api.use('/share', shareRouter(ctx));
  api.use('/auth', authRouter(ctx));
  api.use('/users', usersRouter(ctx));
  api.use('/notifications', notificationsRouter(config));
  mount(api, aiFramesRouter(ctx));
  mount(api, userFramesRouter(ctx));
  mount(api, userSubmissionsRouter(ctx));
  mount(api, frameModerationRouter(ctx));
  mount(api, paymentsRouter(ctx));
  mount(api, adminPaymentsRouter(ctx));
  mount(api, auditRouter(ctx));
  mount(api, usageRouter(ctx));
  mount(api, analyticsRouter(ctx));
  api.use('/uploads', filesRouter(ctx.storage, ctx.fileAccess));

  app.use('/api', api);
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}

function mount(api: express.Router, router: ApiRouter<never>): void {
  api.use(router.prefix, router.router);
}

/** host:port/database of a service URI, never its credentials. */
function describeTarget(uri: string): string {
  try {
    const url = new URL(uri);
    return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return 'unparseable';
  }
}
