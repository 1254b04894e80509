import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { redactUri } from './mongo';
import { stopProcess } from './processes';

export type RedisKind = 'configured' | 'spawned';

export interface ProvidedRedis {
  url: string;
  kind: RedisKind;
  stop: () => Promise<void>;
}

export interface ProvideRedisOptions {
  configuredUrl?: string | undefined;
  log: (message: string) => void;
}

/** Uses REDIS_URL if set; otherwise starts a private, non-persistent redis-server on a free port. */
export async function provideRedis(options: ProvideRedisOptions): Promise<ProvidedRedis> {
  const { configuredUrl, log } = options;
  if (configuredUrl) {
    log(`Redis: the configured server ${redactUri(configuredUrl)}`);
    return { url: configuredUrl, kind: 'configured', stop: async () => undefined };
  }

  const binary = findRedisServer();
  if (!binary) {
    throw new Error(
      'Redis: REDIS_URL is not set and no redis-server binary was found on PATH. ' +
        'Install it (Debian/Ubuntu: `sudo apt-get install redis-server`, macOS: `brew install redis`) ' +
        'or point REDIS_URL at a running Redis.',
    );
  }

  const port = await freePort();
  const child = spawn(
    binary,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.unref();
  await waitForPort(port, 10_000).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw new Error(
      `Redis: redis-server did not start on port ${port}: ${String(error)} ${stderr}`,
    );
  });

  const url = `redis://127.0.0.1:${port}`;
  log(`Redis: a private redis-server (${binary}, not persisted) at ${url}`);
  return {
    url,
    kind: 'spawned',
    // The child is unref'd: stopProcess's kill timer keeps the event loop alive until it exits.
    stop: () => stopProcess(child, 5000),
  };
}

function findRedisServer(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path ? path : undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
