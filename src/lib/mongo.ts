import mongoose from 'mongoose';
import type { Logger } from './logger';

export async function connectMongo(uri: string, logger: Logger): Promise<typeof mongoose> {
  mongoose.connection.on('disconnected', () => logger.warn('MongoDB disconnected'));
  mongoose.connection.on('reconnected', () => logger.info('MongoDB reconnected'));
  await mongoose.connect(uri, { serverSelectionTimeoutMS: 10_000, autoIndex: true });
  return mongoose;
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
