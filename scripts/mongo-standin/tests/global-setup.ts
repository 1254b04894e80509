import { startMongoStandin, type MongoStandin } from '../src/launch';

declare global {
  var __MONGO_STANDIN__: MongoStandin | undefined;
}

/**
 * The conformance suite tests MongoDB's behaviour: against the server `TEST_MONGODB_URI` names
 * (a real mongod replica set) when given, else against the stand-in started here for the run.
 */
export default async function globalSetup(): Promise<void> {
  const log = (message: string) => process.stderr.write(`[conformance] ${message}\n`);
  const configured = process.env.TEST_MONGODB_URI;
  if (configured) {
    log(`using the configured server ${configured.replace(/\/\/([^@/]+)@/, '//***@')}`);
    process.env.CONFORMANCE_MONGODB_URI = configured;
    return;
  }
  const standin = await startMongoStandin({ ttlIntervalMs: 1000 });
  log(`started the stand-in at ${standin.uri} (pid ${standin.pid})`);
  globalThis.__MONGO_STANDIN__ = standin;
  process.env.CONFORMANCE_MONGODB_URI = standin.uri;
}
