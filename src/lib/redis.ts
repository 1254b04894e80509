import { Redis, type RedisOptions } from 'ioredis';

export type RedisRole = 'http' | 'worker';

/**
 * The HTTP side must fail fast when Redis is down (the request answers 503), so it disables the
 * offline queue and per-request retries; BullMQ workers need `maxRetriesPerRequest: null` and
 * keep waiting for Redis to come back.
 */
export function createRedis(url: string, role: RedisRole, extra: RedisOptions = {}): Redis {
  const options: RedisOptions =
    role === 'http'
      ? {
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
          connectTimeout: 2000,
          retryStrategy: (times) => Math.min(times * 200, 2000),
          ...extra,
        }
      : {
          maxRetriesPerRequest: null,
          retryStrategy: (times) => Math.min(times * 200, 5000),
          ...extra,
        };
  const client = new Redis(url, options);
  // Connection errors are reported through readiness and per-request failures; an unhandled
  // 'error' event would otherwise crash the process.
  client.on('error', () => undefined);
  return client;
}

export async function redisIsUp(client: Redis, timeoutMs = 500): Promise<boolean> {
  if (client.status !== 'ready') return false;
  try {
    const pong = await Promise.race([
      client.ping(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs)),
    ]);
    return pong === 'PONG';
  } catch {
    return false;
  }
}
