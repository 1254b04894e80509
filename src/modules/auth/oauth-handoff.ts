import type { Redis } from 'ioredis';
import { randomToken, sha256 } from './secrets';

// Long enough for a person at Google's consent screen; the state is useless afterwards.
const STATE_TTL_S = 10 * 60;
// The client exchanges the code right after the redirect.
const CODE_TTL_S = 60;

/**
 * Server-side, single-use records of the redirect flow, in Redis under the queue prefix:
 * the OAuth `state` (with the allowed return URL) and the one-time code handed to the client
 * instead of a token. Keys hold hashes, and each is consumed with GETDEL, so it works once.
 */
export class OAuthHandoff {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async createState(returnTo: string): Promise<string> {
    const state = randomToken();
    await this.redis.set(this.key('state', state), returnTo, 'EX', STATE_TTL_S);
    return state;
  }

  /** The return URL the state was created for, or undefined for an unknown, expired or used state. */
  async consumeState(state: string): Promise<string | undefined> {
    if (!state || state.length > 200) return undefined;
    return (await this.redis.getdel(this.key('state', state))) ?? undefined;
  }

  async createCode(userId: string): Promise<string> {
    const code = randomToken();
    await this.redis.set(this.key('code', code), userId, 'EX', CODE_TTL_S);
    return code;
  }

  async consumeCode(code: string): Promise<string | undefined> {
    return (await this.redis.getdel(this.key('code', code))) ?? undefined;
  }

  private key(kind: 'state' | 'code', value: string): string {
    return `${this.prefix}:oauth:${kind}:${sha256(value)}`;
  }
}
