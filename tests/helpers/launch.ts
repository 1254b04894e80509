import { spawn, type ChildProcess } from 'node:child_process';

export interface Launched {
  child: ChildProcess;
  /** Everything the process group wrote to stdout and stderr so far. */
  output: () => string;
  /** Resolves with the line matching `pattern` once it has been printed. */
  waitForOutput: (pattern: RegExp, timeoutMs: number) => Promise<RegExpExecArray>;
  /** SIGTERM to the whole process group, then SIGKILL to whatever is left after `graceMs`. */
  stop: (graceMs?: number) => Promise<void>;
}

/**
 * Starts a command the way a user would in a terminal (`npm start`, `npm run start:api`), in a
 * process group of its own, so stopping it also stops what it started (the API, the worker, an
 * embedded database or Redis) and nothing else.
 */
export function launch(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Launched {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const append = (chunk: Buffer) => {
    text += chunk.toString();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signalGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  };

  return {
    child,
    output: () => text,
    waitForOutput: async (pattern, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(text);
        if (match) return match;
        if (child.exitCode !== null || child.signalCode !== null)
          throw new Error(`${command} ${args.join(' ')} exited before printing ${pattern}`);
        if (Date.now() > deadline) throw new Error(`${pattern} not printed within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    stop: async (graceMs = 20_000) => {
      signalGroup('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, graceMs))]);
      // Children that outlive the leader (or ignored SIGTERM) go too.
      await new Promise((resolve) => setTimeout(resolve, 500));
      signalGroup('SIGKILL');
    },
  };
}

/** The environment of a user's shell: none of the test harness's settings. */
export function userEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (
      key === 'NODE_ENV' ||
      key.startsWith('KK_') ||
      key.startsWith('JEST_') ||
      key.startsWith('ADMIN_') ||
      key.startsWith('TEST_') ||
      ['MONGODB_URI', 'REDIS_URL', 'PORT', 'UPLOADS_DIR', 'LOG_LEVEL'].includes(key)
    )
      continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}
