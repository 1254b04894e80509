import cors, { type CorsOptions } from 'cors';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Redis } from 'ioredis';
import type { Config } from './config';
import type { JobQueue } from './jobs/job-queue';
import type { Logger } from './lib/logger';
import { requestLog } from './middleware/request-log';
import { SegmentRouter } from './middleware/segment-router';
import { precomputedHeaders } from './middleware/static-headers';
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
import { metricsRouter } from './modules/health/metrics.router';
import { buildOpenApi } from './modules/api-docs/openapi';
import swaggerUi from 'swagger-ui-express';
import { BOARD_PATH, queueBoardRouters } from './modules/queue-board/queue-board.router';

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

  app.use(requestLog(app, ctx.logger, { quietPaths: ['/api/health'] }));
  app.use(
    // helmet's headers are the same for every response: computed once, set in one step.
    precomputedHeaders(
      helmet({
        // Images and frames are drawn by the web client from another origin (crossOrigin="anonymous").
        crossOriginResourcePolicy: { policy: 'cross-origin' },
      }),
    ),
  );
  const corsMiddleware = cors(corsOptions(config));
  app.use(corsMiddleware);

  app.use('/uploads', filesRouter(ctx.storage, ctx.fileAccess));

  const api = express.Router();
  // The client sends JSON on DELETE too (DELETE /users/delete carries the password).
  // A request without a body (most GETs) skips the parsers: they would find nothing to parse.
  api.use(
    whenBody(
      express.json({
        limit: config.jsonBodyLimit,
        type: ['application/json', 'application/*+json'],
      }),
      express.urlencoded({ extended: false, limit: '1mb' }),
    ),
  );
  const queueBoard = queueBoardRouters(ctx);
  const routers = [...apiRouters(ctx), queueBoard.api];
  // Mounted by first path segment: a request is matched only against the mounts it can hit.
  const mounts = new SegmentRouter();
  mounts.mount(
    ['health', 'ready'],
    healthRouter({
      redis: ctx.redis,
      jobs: ctx.jobs,
      port: config.port,
      startedAt: ctx.startedAt,
      mongoTarget: describeTarget(config.mongodbUri),
      redisTarget: describeTarget(config.redisUrl),
    }),
  );
  mounts.mount(['metrics'], metricsRouter(config, ctx.jobs));
  for (const router of routers) mounts.use(router.prefix, router.router);
  mounts.use(BOARD_PATH, queueBoard.board);
  // Swagger UI with its own assets (the document itself is the route below).
  mounts.use(
    '/docs',
    ...swaggerUi.serve,
    swaggerUi.setup(undefined, {
      customSiteTitle: 'KaryaKlik API',
      swaggerOptions: { url: '/api/openapi.json' },
    }),
  );
  mounts.use('/uploads', filesRouter(ctx.storage, ctx.fileAccess));
  // The API document, from the joi schemas the routes validate with.
  const openApi = buildOpenApi(
    routers.flatMap((router) => router.routes),
    config.publicBaseUrl,
  );
  const openApiRoute = express.Router();
  openApiRoute.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  mounts.mount(['openapi.json'], openApiRoute);
  api.use(mounts.handler());

  app.use('/api', api);
  app.use(notFoundHandler);
  app.use(errorHandler(ctx.logger));
  return app;
}

/**
 * Runs the body parsers (in order) only for a request that has a body: a request without one
 * (most GETs) would have nothing to parse, and one layer instead of one per parser.
 */
function whenBody(...parsers: RequestHandler[]): RequestHandler {
  return (req, res, next) => {
    if (req.headers['content-length'] === undefined && !req.headers['transfer-encoding']) {
      next();
      return;
    }
    let index = 0;
    const step = (error?: unknown): void => {
      const parser = parsers[index];
      index += 1;
      if (error !== undefined || !parser) next(error);
      else parser(req, res, step);
    };
    step();
  };
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
