import { startMongoStandin } from '@karyaklik/mongo-standin';

export type MongoKind = 'configured' | 'memory-server' | 'standin';

export interface ProvidedMongo {
  uri: string;
  kind: MongoKind;
  stop: () => Promise<void>;
}

export interface ProvideMongoOptions {
  /** A URI the user configured (MONGODB_URI, or TEST_MONGODB_URI in tests): used as is. */
  configuredUri?: string | undefined;
  log: (message: string) => void;
  /** TTL monitor interval for the stand-in; mongod's default is 60 s. */
  ttlIntervalMs?: number;
}

/**
 * Picks the database for local runs and tests: the configured URI, else mongodb-memory-server
 * as a single-node replica set (transactions need one), else the in-repo stand-in. The
 * fallback to the stand-in is announced loudly because it is not a real mongod.
 */
export async function provideMongo(options: ProvideMongoOptions): Promise<ProvidedMongo> {
  const { configuredUri, log } = options;
  if (configuredUri) {
    log(`MongoDB: the configured server ${redactUri(configuredUri)}`);
    return { uri: configuredUri, kind: 'configured', stop: async () => undefined };
  }

  let reason: string;
  // mongodb-memory-server prints the whole error with its stack when it cannot start (offline
  // machines cannot download a mongod): an expected fallback, reported below in one line.
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    // Loaded lazily: it is a development dependency and production never reaches this line.
    const { MongoMemoryReplSet } = await import('mongodb-memory-server');
    const replSet = await MongoMemoryReplSet.create({
      replSet: { count: 1, storageEngine: 'wiredTiger' },
    });
    const uri = replSet.getUri();
    log(`MongoDB: mongodb-memory-server (single-node replica set, empty at each start) at ${uri}`);
    return { uri, kind: 'memory-server', stop: async () => void (await replSet.stop()) };
  } catch (error) {
    reason = (error instanceof Error ? error.message : String(error))
      .replace(/\s+/g, ' ')
      .slice(0, 200);
  } finally {
    console.warn = warn;
  }

  const standin = await startMongoStandin(
    options.ttlIntervalMs === undefined ? {} : { ttlIntervalMs: options.ttlIntervalMs },
  );
  log(
    `MongoDB: the in-repo stand-in at ${standin.uri}, an in-memory development server, NOT ` +
      `MongoDB (no mongod could be started: ${reason}). Set MONGODB_URI for a real server.`,
  );
  return { uri: standin.uri, kind: 'standin', stop: standin.stop };
}

export function redactUri(uri: string): string {
  return uri.replace(/\/\/([^@/]+)@/, '//***@');
}
