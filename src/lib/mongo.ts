import mongoose from 'mongoose';
import type { Logger } from './logger';

export interface MongoConnectOptions {
  /**
   * How long an operation waits for a reachable server before it fails (driver server selection,
   * and mongoose's buffering while disconnected). The API keeps it short so that requests answer
   * 503 at once during an outage; scripts and workers can afford the driver's patience.
   */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** One connection attempt; no listeners (scripts connect, work and disconnect quietly). */
export async function connectMongo(
  uri: string,
  options: MongoConnectOptions = {},
): Promise<typeof mongoose> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // Process-wide: mongoose queues commands while disconnected for this long, then fails them.
  mongoose.set('bufferTimeoutMS', timeoutMs);
  await mongoose.connect(uri, { serverSelectionTimeoutMS: timeoutMs, autoIndex: true });
  return mongoose;
}

const onDisconnected = (logger: Logger) => () => logger.warn('MongoDB disconnected');
let watching: { logger: Logger; disconnected: () => void; reconnected: () => void } | undefined;

/** Logs outages of a long-running process's connection (not the deliberate close on shutdown). */
function watchConnection(logger: Logger): void {
  unwatchConnection();
  watching = {
    logger,
    disconnected: onDisconnected(logger),
    reconnected: () => logger.info('MongoDB reconnected'),
  };
  mongoose.connection.on('disconnected', watching.disconnected);
  mongoose.connection.on('reconnected', watching.reconnected);
}

function unwatchConnection(): void {
  if (!watching) return;
  mongoose.connection.off('disconnected', watching.disconnected);
  mongoose.connection.off('reconnected', watching.reconnected);
  watching = undefined;
}

/** Closes the connection on purpose, so it is not reported as an outage. */
export async function disconnectMongo(): Promise<void> {
  unwatchConnection();
  await mongoose.disconnect();
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
  options: MongoConnectOptions & { retryMs?: number } = {},
): MongoConnecting {
  const retryMs = options.retryMs ?? 2000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const connected = (async () => {
    for (let attempt = 1; !stopped; attempt += 1) {
      try {
        await connectMongo(uri, options);
        watchConnection(logger);
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
