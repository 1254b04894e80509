import mongoose from 'mongoose';
import type { Logger } from './logger';

export async function connectMongo(uri: string, logger: Logger): Promise<typeof mongoose> {
  mongoose.connection.on('disconnected', () => logger.warn('MongoDB disconnected'));
  mongoose.connection.on('reconnected', () => logger.info('MongoDB reconnected'));
  await mongoose.connect(uri, { serverSelectionTimeoutMS: 10_000, autoIndex: true });
  return mongoose;
}

export interface MongoConnecting {
  /** Settles once connected (never rejects; pending while the database stays unreachable). */
  connected: Promise<void>;
  /** Gives up trying (on shutdown). */
  stop: () => void;
}

/**
 * Connects in the background and keeps trying until the database answers, so a process started
 * before its database comes up waits for it instead of exiting: the API answers /api/ready 503
 * meanwhile, and both processes go on by themselves once it is up. After the first connection
 * the driver reconnects by itself.
 */
export function connectMongoWithRetry(
  uri: string,
  logger: Logger,
  options: { retryMs?: number } = {},
): MongoConnecting {
  const retryMs = options.retryMs ?? 2000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const connected = (async () => {
    for (let attempt = 1; !stopped; attempt += 1) {
      try {
        mongoose.connection.removeAllListeners('disconnected');
        mongoose.connection.removeAllListeners('reconnected');
        await connectMongo(uri, logger);
        if (attempt > 1) logger.info({ attempt }, 'MongoDB connected');
        return;
      } catch (error) {
        if (stopped) return;
        const reason = error instanceof Error ? error.message : String(error);
        if (attempt === 1)
          logger.warn(
            { reason },
            `MongoDB is unreachable; retrying every ${retryMs} ms (/api/ready answers 503 until then)`,
          );
        else logger.debug({ attempt, reason }, 'MongoDB still unreachable');
        await mongoose.disconnect().catch(() => undefined);
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, retryMs);
        });
      }
    }
  })();
  return {
    connected,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      wake?.();
    },
  };
}

export async function mongoIsUp(timeoutMs = 1000): Promise<boolean> {
  const db = mongoose.connection.db;
  if (mongoose.connection.readyState !== 1 || !db) return false;
  try {
    await Promise.race([
      db.admin().ping(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs)),
    ]);
    return true;
  } catch {
    return false;
  }
}

export interface MongoServerInfo {
  version: string;
  /** True when the server is the in-repo development stand-in rather than a real mongod. */
  standin: boolean;
}

let cachedInfo: MongoServerInfo | undefined;

/** The server's version, read once; undefined while disconnected. */
export async function mongoServerInfo(): Promise<MongoServerInfo | undefined> {
  const db = mongoose.connection.db;
  if (cachedInfo || mongoose.connection.readyState !== 1 || !db) return cachedInfo;
  try {
    const info = await db.admin().buildInfo();
    cachedInfo = { version: String(info.version), standin: info.mongoStandin === true };
  } catch {
    return undefined;
  }
  return cachedInfo;
}
