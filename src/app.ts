import { randomUUID } from 'node:crypto';
import cors, { type CorsOptions } from 'cors';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Redis } from 'ioredis';
import { pinoHttp } from 'pino-http';
import type { Config } from './config';
import type { JobQueue } from './jobs/job-queue';
import { redactUrl, type Logger } from './lib/logger';
import type { FileStorage } from './lib/storage';
import { createMailer, type Mailer } from './lib/mailer';
import type { AppContext } from './context';
import { apiRouters } from './routes';
import { createAnalyticsWriter, type AnalyticsWriter } from './modules/analytics/event-writer';
import { accountResolver } from './modules/auth/account-resolver';
import { errorHandler, notFoundHandler } from './middleware/error-handler';
import { FileAccess } from './modules/files/file-access';
import { filesRouter } from './modules/files/files.router';
import { healthRouter } from './modules/health/health.router';

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
      jobs: ctx.jobs,
      port: config.port,
      startedAt: ctx.startedAt,
      mongoTarget: describeTarget(config.mongodbUri),
      redisTarget: describeTarget(config.redisUrl),
    }),
  );
  for (const router of apiRouters(ctx)) api.use(router.prefix, router.router);
  api.use('/uploads', filesRouter(ctx.storage, ctx.fileAccess));

  app.use('/api', api);
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
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
