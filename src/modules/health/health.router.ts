import { Router } from 'express';
import mongoose from 'mongoose';
import type { Redis } from 'ioredis';
import type { JobQueue } from '../../jobs/job-queue';
import { mongoIsUp, mongoServerInfo } from '../../lib/mongo';
import { redisIsUp } from '../../lib/redis';

export interface HealthDeps {
  redis: Redis;
  /** The queues count as up only when a job could be enqueued now. */
  jobs: JobQueue;
  port: number;
  startedAt: Date;
  mongoTarget: string;
  redisTarget: string;
}

const MONGO_STATES: Record<number, string> = {
  0: 'disconnected',
  1: 'connected',
  2: 'connecting',
  3: 'disconnecting',
};

/** `/health` answers whether the process runs (and reports its backing services); `/ready` gates traffic. */
export function healthRouter(deps: HealthDeps): Router {
  const router = Router();

  // Express answers HEAD from the GET handler (CONTRACT #60: the client only reads `ok`).
  router.get('/health', async (_req, res) => {
    const [mongoUp, redisUp, queuesUp] = await Promise.all([
      mongoIsUp(400),
      redisIsUp(deps.redis, 400),
      deps.jobs.isReady(400),
    ]);
    const mongoInfo = mongoUp ? await mongoServerInfo() : undefined;
    res.status(200).json({
      success: true,
      message: 'KaryaKlik API is running',
      status: {
        server: 'running',
        mongodb: mongoUp
          ? 'connected'
          : (MONGO_STATES[Number(mongoose.connection.readyState)] ?? 'unknown'),
        redis: redisUp ? 'connected' : deps.redis.status,
        queues: queuesUp ? 'up' : 'down',
        port: deps.port,
      },
      services: {
        mongodb: {
          target: deps.mongoTarget,
          up: mongoUp,
          ...(mongoInfo && {
            server: mongoInfo.standin ? 'mongo-standin' : 'mongod',
            version: mongoInfo.version,
          }),
        },
        redis: { target: deps.redisTarget, up: redisUp },
        queues: { up: queuesUp },
      },
      uptimeSeconds: Math.round((Date.now() - deps.startedAt.getTime()) / 1000),
      timestamp: new Date().toISOString(),
      endpoints: { health: '/api/health', ready: '/api/ready' },
    });
  });

  router.get('/ready', async (_req, res) => {
    const [mongoUp, redisUp, queuesUp] = await Promise.all([
      mongoIsUp(800),
      redisIsUp(deps.redis, 800),
      deps.jobs.isReady(800),
    ]);
    const ready = mongoUp && redisUp && queuesUp;
    res.status(ready ? 200 : 503).json({
      success: ready,
      message: ready ? 'ready' : 'not ready',
      data: {
        mongodb: mongoUp ? 'up' : 'down',
        redis: redisUp ? 'up' : 'down',
        queues: queuesUp ? 'up' : 'down',
      },
    });
  });

  return router;
}
