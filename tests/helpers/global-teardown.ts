import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { stopSwift, type StartedSwift } from '../../scripts/local-services/swift';

export default async function globalTeardown(): Promise<void> {
  const services = globalThis.__KK_SERVICES__;
  if (!services) return;
  // The service processes are unref'd; without a live handle, Node could end jest's process
  // while it waits for them, before jest writes its results.
  const keepAlive = setInterval(() => undefined, 1000);
  try {
    await Promise.allSettled([
      services.mongo.stop(),
      services.redis.stop(),
      stopStartedSwift(services.stateDir),
    ]);
    rmSync(services.stateDir, { recursive: true, force: true });
  } finally {
    clearInterval(keepAlive);
  }
}

/** Stops the Swift a test file started on demand (tests/helpers/s3.ts), if any. */
async function stopStartedSwift(stateDir: string): Promise<void> {
  const file = path.join(stateDir, 'swift', 'started.json');
  if (!existsSync(file)) return;
  const state = JSON.parse(readFileSync(file, 'utf8')) as Partial<StartedSwift>;
  if (state.pids) await stopSwift(state.pids);
}
