import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const TEST_GOOGLE_CLIENT_ID = 'karyaklik-test-client.apps.googleusercontent.com';

export interface OAuthProvider {
  /** The issuer URL (http://127.0.0.1:<port>) once started. */
  url: string;
  /** Environment for useTestContext; filled in before the context's beforeAll reads it. */
  env: Record<string, string>;
  /** An RS256 ID token signed by the provider; `claims` override or add payload fields. */
  idToken: (
    claims?: Record<string, unknown>,
    options?: { expiresIn?: number; remove?: string[] },
  ) => Promise<string>;
  /** The body the provider's userinfo endpoint answers next (the redirect flow's profile). */
  setUserinfo: (body: Record<string, unknown>) => Promise<void>;
}

interface Reply {
  id?: number;
  result?: unknown;
  error?: string;
  ready?: boolean;
  url?: string;
}

/**
 * A real OpenID provider (oauth2-mock-server) for one test file, standing in for Google: its key
 * set, issuer, authorization, token and userinfo endpoints. Call before useTestContext and pass
 * `provider.env` to it: the env is filled when the provider has started.
 */
export function useOAuthProvider(): OAuthProvider {
  let child: ChildProcess | undefined;
  let nextId = 0;
  const pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();

  const call = (cmd: string, args: Record<string, unknown> = {}): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (!child) return reject(new Error('OAuth provider is not running'));
      nextId += 1;
      pending.set(nextId, { resolve, reject });
      child.send({ id: nextId, cmd, args });
    });

  const provider: OAuthProvider = {
    url: '',
    env: {},
    idToken: async (claims = {}, options = {}) =>
      (await call('buildToken', {
        claims: {
          aud: TEST_GOOGLE_CLIENT_ID,
          sub: 'google-sub-1',
          email: 'someone@gmail.test',
          email_verified: true,
          name: 'Google User',
          ...claims,
        },
        expiresIn: options.expiresIn,
        remove: options.remove,
      })) as string,
    setUserinfo: async (body) => void (await call('setUserinfo', { body })),
  };

  beforeAll(async () => {
    child = fork(path.join(__dirname, 'oauth-provider.child.mjs'), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('OAuth provider did not start')), 10_000);
      child?.on('message', (message: Reply) => {
        if (message.ready && message.url) {
          clearTimeout(timer);
          resolve(message.url);
          return;
        }
        const waiter = message.id === undefined ? undefined : pending.get(message.id);
        if (!waiter || message.id === undefined) return;
        pending.delete(message.id);
        if (message.error) waiter.reject(new Error(message.error));
        else waiter.resolve(message.result);
      });
      child?.once('exit', (code) => reject(new Error(`OAuth provider exited with ${code}`)));
    });
    provider.url = url;
    Object.assign(provider.env, {
      GOOGLE_CLIENT_ID: TEST_GOOGLE_CLIENT_ID,
      GOOGLE_CLIENT_SECRET: 'test-client-secret',
      GOOGLE_JWKS_URI: `${url}/jwks`,
      GOOGLE_ISSUERS: url,
      GOOGLE_AUTHORIZATION_URL: `${url}/authorize`,
      GOOGLE_TOKEN_URL: `${url}/token`,
      GOOGLE_USERINFO_URL: `${url}/userinfo`,
    });
  });

  afterAll(async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    await call('stop').catch(() => child?.kill());
    await exited;
  });

  return provider;
}
