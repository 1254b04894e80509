import { randomBytes } from 'node:crypto';
import { MongoClient, MongoServerError, type Collection, type Db } from 'mongodb';
import mongoose from 'mongoose';

/** The base URI the global setup provides (`TEST_MONGODB_URI`, else the stand-in). */
export function baseUri(): string {
  const uri = process.env.CONFORMANCE_MONGODB_URI;
  if (!uri)
    throw new Error(
      'CONFORMANCE_MONGODB_URI is not set; the conformance suite needs a MongoDB server',
    );
  return uri;
}

export function uniqueDbName(file: string): string {
  return `conf_${file}_${randomBytes(4).toString('hex')}`;
}

/** The base URI with `db` as its path (query options kept). */
export function uriForDb(db: string): string {
  const url = new URL(baseUri());
  url.pathname = `/${db}`;
  return url.toString();
}

export async function connectClient(db: string): Promise<MongoClient> {
  const client = new MongoClient(uriForDb(db), { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  return client;
}

/**
 * A database of one test file's own: a client connects before the file's tests; after them the
 * database is dropped and the client closed. The accessors are for use inside tests and hooks.
 */
export function useTestDatabase(file: string): {
  name: string;
  client: () => MongoClient;
  db: () => Db;
  coll: (name: string) => Collection;
} {
  const name = uniqueDbName(file);
  let connected: MongoClient | undefined;
  beforeAll(async () => {
    connected = await connectClient(name);
  });
  afterAll(async () => {
    if (!connected) return;
    await connected.db(name).dropDatabase();
    await connected.close();
  });
  const client = (): MongoClient => {
    if (!connected) throw new Error(`the ${file} test database is used outside its tests`);
    return connected;
  };
  return {
    name,
    client,
    db: () => client().db(name),
    coll: (collection) => client().db(name).collection(collection),
  };
}

export async function connectMongoose(db: string): Promise<mongoose.Connection> {
  return mongoose.createConnection(uriForDb(db), { serverSelectionTimeoutMS: 10_000 }).asPromise();
}

/** True when the server is the stand-in (its buildInfo says so); real mongod differs in refusals. */
export async function isStandin(client: MongoClient): Promise<boolean> {
  const info = await client.db('admin').command({ buildInfo: 1 });
  return info.mongoStandin === true;
}

/** Resolves to the server error a promise rejects with; fails the test if it resolves. */
export async function serverError(p: Promise<unknown>): Promise<MongoServerError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof MongoServerError) return err;
    throw err;
  }
  throw new Error('expected a MongoServerError, but the operation succeeded');
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
