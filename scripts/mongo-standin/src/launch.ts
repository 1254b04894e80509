import { spawn } from 'node:child_process';
import path from 'node:path';

export interface MongoStandin {
  uri: string;
  pid: number;
  stop: () => Promise<void>;
}

export interface MongoStandinOptions {
  /** TTL monitor interval; mongod's default (and the stand-in's) is 60 s. */
  ttlIntervalMs?: number;
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
}

const STARTUP_TIMEOUT_MS = 15_000;

/** Starts the stand-in as a child process and resolves once it prints its URI. */
export function startMongoStandin(opts: MongoStandinOptions = {}): Promise<MongoStandin> {
  const runningAsTs = __filename.endsWith('.ts');
  const entry = path.join(__dirname, runningAsTs ? 'main.ts' : 'main.js');
  const args = runningAsTs ? [require.resolve('tsx/cli'), entry] : [entry];
  args.push('--port', String(opts.port ?? 0));
  if (opts.ttlIntervalMs !== undefined) args.push('--ttl-interval-ms', String(opts.ttlIntervalMs));

  const child = spawn(process.execPath, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, MONGO_STANDIN_WATCH_STDIN: '1' },
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  let started = false;
  return new Promise<MongoStandin>((resolve, reject) => {
    const fail = (why: string): void => {
      if (started) return;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`mongo stand-in failed to start: ${why}\nstderr:\n${stderr}`));
    };
    const timer = setTimeout(
      () => fail(`no URI within ${STARTUP_TIMEOUT_MS} ms`),
      STARTUP_TIMEOUT_MS,
    );
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.length > 20_000) stderr = stderr.slice(-20_000);
    });
    child.once('error', (err) => fail(err.message));
    child.once('exit', (code, signal) =>
      fail(`exited early (code ${String(code)}, signal ${String(signal)})`),
    );
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      const match = /MONGO_STANDIN_URI=(\S+)/.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      started = true;
      child.stdout?.removeAllListeners('data');
      child.stdout?.resume();
      // Forward later stderr so server-side errors show up in test output.
      child.stderr?.on('data', (e: Buffer) => process.stderr.write(e));
      child.unref();
      resolve({
        uri: match[1],
        pid: child.pid ?? -1,
        stop: async () => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(killer);
        },
      });
    });
  });
}
