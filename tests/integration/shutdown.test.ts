import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { freePort } from '../../scripts/local-services/redis';
import { testDatabaseUri } from '../helpers/database';

const ROOT = path.resolve(__dirname, '../..');

function startServer(port: number): { child: ChildProcess; output: () => string } {
  let output = '';
  // tsx as a loader in the server's own process: the tsx CLI would stand between the signal and
  // the server, and gives up relaying it when the server's event loop is busy for 30 ms.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      MONGODB_URI: testDatabaseUri('shutdown'),
      REDIS_URL: process.env.KK_TEST_REDIS_URL,
      QUEUE_PREFIX: `kktest:shutdown:${port}`,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/** Until /api/ready answers 200: MongoDB is connected in the background after the server listens. */
async function waitUntilReady(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      http
        .get({ host: '127.0.0.1', port, path: '/api/ready' }, (res) => {
          res.resume();
          resolve(res.statusCode === 200);
        })
        .on('error', () => resolve(false));
    });
    if (up) return;
    if (Date.now() > deadline) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('graceful shutdown', () => {
  it('when SIGTERM arrives mid-request, then that request still completes and the process exits 0', async () => {
    const port = await freePort();
    const server = startServer(port);
    try {
      await waitUntilReady(port, 30_000);

      // A request whose body is still arriving when the signal lands.
      const body = JSON.stringify({ name: 'x'.repeat(1000) });
      const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/api/slow-upload',
            headers: {
              'Content-Type': 'application/json',
              'Content-Length': Buffer.byteLength(body),
            },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on('error', reject);
        req.write(body.slice(0, 100));
        setTimeout(() => {
          server.child.kill('SIGTERM');
          setTimeout(() => req.end(body.slice(100)), 500);
        }, 300);
      });
      const exited = new Promise<number | null>((resolve) =>
        server.child.once('exit', (code) => resolve(code)),
      );

      const result = await response;
      expect(result.status).toBe(404);
      expect(JSON.parse(result.body)).toMatchObject({ success: false, code: 'NOT_FOUND' });
      expect(await exited).toBe(0);
      expect(server.output()).toContain('shutting down: finishing in-flight requests');
      expect(server.output()).toContain('shutdown complete');
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
  }, 60_000);
});
