import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type Options } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { Config } from '../config';
import { AppError } from '../lib/errors';

export interface RateLimitRule {
  /** Part of the Redis key; one name per limiter. */
  name: string;
  windowMs: number;
  limit: number;
  /**
   * `ip`: per client address; `email`: per account named in the body (register, reset);
   * `email-ip`: per account and address together, so a lock never reaches the account's owner
   * from another address.
   */
  by: 'ip' | 'email' | 'email-ip';
  /** Count only failed requests (status >= 400), e.g. wrong passwords. */
  failuresOnly?: boolean;
  message: string;
}

export type RateLimiter = RequestHandler & { resetKey: (key: string) => void };

// A sha that Redis never has: the first call gets NOSCRIPT, and rate-limit-redis loads its script.
const NOT_LOADED = '0000000000000000000000000000000000000000';

/**
 * rate-limit-redis loads its Lua scripts once at start-up and keeps the promise. The HTTP Redis
 * client fails fast while it is not connected, so a load at start-up (or during an outage) would
 * be remembered as failed for good. Scripts are loaded on first use instead, and a failed load
 * is forgotten so the next request tries again.
 */
class LazyRedisStore extends RedisStore {
  override async init(options: Options): Promise<void> {
    this.windowMs = options.windowMs;
    this.incrementScriptSha = Promise.resolve(NOT_LOADED);
    this.getScriptSha = Promise.resolve(NOT_LOADED);
  }

  override loadIncrementScript(key?: string): Promise<string> {
    const loading = super.loadIncrementScript(key);
    loading.catch(() => (this.incrementScriptSha = Promise.resolve(NOT_LOADED)));
    return loading;
  }

  override loadGetScript(key?: string): Promise<string> {
    const loading = super.loadGetScript(key);
    loading.catch(() => (this.getScriptSha = Promise.resolve(NOT_LOADED)));
    return loading;
  }
}

export function accountKey(req: Request): string | undefined {
  const email: unknown = (req.body as Record<string, unknown> | undefined)?.email;
  if (typeof email !== 'string') return undefined;
  const normalized = email.trim().toLowerCase();
  return normalized && normalized.length <= 254 ? normalized : undefined;
}

/** The key of an `email-ip` rule: the account named in the body, at the client's address. */
export function accountAtAddressKey(req: Request, email = accountKey(req)): string | undefined {
  return email === undefined ? undefined : `${email}|${ipKeyGenerator(req.ip ?? '')}`;
}

/**
 * A Redis-backed limiter (shared by every API process); the 429 goes through the error handler,
 * so it is rendered in the route's envelope. Keys live under the queue prefix. When Redis is down
 * the limiter errors and the request answers 503 (auth endpoints fail closed).
 */
export function createRateLimiter(
  config: Readonly<Config>,
  redis: Redis,
  rule: RateLimitRule,
): RateLimiter {
  if (!config.rateLimitEnabled) {
    const passThrough: RequestHandler = (_req, _res, next) => next();
    return Object.assign(passThrough, { resetKey: () => undefined });
  }
  const limiter = rateLimit({
    windowMs: rule.windowMs,
    limit: rule.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    skipSuccessfulRequests: rule.failuresOnly ?? false,
    requestPropertyName: `rateLimit_${rule.name}`,
    store: new LazyRedisStore({
      sendCommand: (command: string, ...args: string[]) =>
        redis.call(command, ...args) as Promise<RedisReply>,
      prefix: `${config.queuePrefix}:rl:${rule.name}:`,
    }),
    ...(rule.by === 'email'
      ? {
          keyGenerator: (req: Request) => accountKey(req) ?? '',
          skip: (req: Request) => accountKey(req) === undefined,
        }
      : {}),
    ...(rule.by === 'email-ip'
      ? {
          keyGenerator: (req: Request) => accountAtAddressKey(req) ?? '',
          skip: (req: Request) => accountKey(req) === undefined,
        }
      : {}),
    handler: (_req, _res, next) => next(new AppError(429, 'RATE_LIMITED', rule.message)),
  });
  return limiter as RateLimiter;
}
