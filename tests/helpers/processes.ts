import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../scripts/local-services/redis';
import type { Config } from '../../src/config';

const ROOT = path.resolve(__dirname, '../..');

export interface AppProcess {
  kind: 'api' | 'worker';
  child: ChildProcess;
  /** This process's own UPLOADS_DIR (an empty temp dir; with S3 it must stay empty). */
  uploadsDir: string;
  /** `http://127.0.0.1:<port>` for an API process. */
  url: string;
  output: () => string;
}

/**
 * The environment of a separate API or worker process that shares the test context's MongoDB,
 * Redis (queue prefix), secrets and storage settings, but has its own empty uploads dir.
 */
function envFor(config: Readonly<Config>, uploadsDir: string, port: number): NodeJS.ProcessEnv {
  const s3 = config.storage.s3;
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_BASE_URL: config.publicBaseUrl,
    FRONTEND_URL: config.frontendUrl,
    MONGODB_URI: config.mongodbUri,
    REDIS_URL: config.redisUrl,
    QUEUE_PREFIX: config.queuePrefix,
    JWT_SECRET: config.jwt.secret,
    FILE_URL_SECRET: config.files.urlSecret,
    UPLOADS_DIR: uploadsDir,
    STORAGE_DRIVER: config.storage.driver,
    S3_ENDPOINT: s3.endpoint,
    S3_REGION: s3.region,
    S3_BUCKET: s3.bucket,
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    S3_FORCE_PATH_STYLE: String(s3.forcePathStyle),
    WORKER_CONCURRENCY: '1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
  };
}

export interface AppProcessOptions {
  /**
   * A command that runs the process, given node and its arguments as its last arguments and
   * expected to exec them (so the child's pid is node's), e.g. one that mounts a small file system
   * over UPLOADS_DIR first.
   */
  wrapper?: string[];
  /** More environment, over the shared settings. */
  env?: Record<string, string>;
}

/** Starts `src/server.ts` or `src/worker.ts` in its own Node process (tsx as a loader). */
export async function startAppProcess(
  kind: 'api' | 'worker',
  config: Readonly<Config>,
  options: AppProcessOptions = {},
): Promise<AppProcess> {
  const uploadsDir = mkdtempSync(path.join(os.tmpdir(), `kk-proc-${kind}-`));
  const port = kind === 'api' ? await freePort() : 0;
  let output = '';
  const node = [
    process.execPath,
    '--import',
    'tsx',
    kind === 'api' ? 'src/server.ts' : 'src/worker.ts',
  ];
  const [command, ...args] = [...(options.wrapper ?? []), ...node] as [string, ...string[]];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...envFor(config, uploadsDir, port), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { kind, child, uploadsDir, url: `http://127.0.0.1:${port}`, output: () => output };
}

/** Until the API's /api/ready answers 200 (MongoDB connects after the server listens). */
export async function waitUntilReady(proc: AppProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.child.exitCode !== null) {
      throw new Error(`${proc.kind} process exited ${proc.child.exitCode}: ${proc.output()}`);
    }
    const ok = await fetch(`${proc.url}/api/ready`, { signal: AbortSignal.timeout(2000) })
      .then((res) => res.status === 200)
      .catch(() => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${proc.kind} did not start: ${proc.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Files a process left in its own uploads dir. */
export function localFiles(proc: AppProcess): string[] {
  return readdirSync(proc.uploadsDir, { recursive: true }).map(String);
}

export async function stopAppProcess(proc: AppProcess): Promise<void> {
  await new Promise<void>((resolve) => {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) return resolve();
    const killer = setTimeout(() => proc.child.kill('SIGKILL'), 15_000);
    proc.child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    proc.child.kill('SIGTERM');
  });
  rmSync(proc.uploadsDir, { recursive: true, force: true });
}
