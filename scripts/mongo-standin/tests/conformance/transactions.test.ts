import { MongoClient } from 'mongodb';
import mongoose from 'mongoose';
import { connectClient, connectMongoose, serverError, sleep, uniqueDbName } from './helpers';

const dbName = uniqueDbName('txn');
let client: MongoClient;
let conn: mongoose.Connection;

beforeAll(async () => {
  client = await connectClient(dbName);
  conn = await connectMongoose(dbName);
  for (const name of ['commit', 'abort', 'isolation', 'conflict', 'raw', 'dup']) {
    await client.db(dbName).createCollection(name);
  }
});
afterAll(async () => {
  await conn.close();
  await client.db(dbName).dropDatabase();
  await client.close();
});

describe('transactions', () => {
  it('when a transaction commits, then all its writes become visible together', async () => {
    const c = client.db(dbName).collection('commit');
    const session = client.startSession();
    await session.withTransaction(async () => {
      await c.insertOne({ k: 'a' }, { session });
      await c.insertOne({ k: 'b' }, { session });
      await c.updateOne({ k: 'a' }, { $set: { v: 1 } }, { session });
    });
    await session.endSession();
    expect(await c.countDocuments()).toBe(2);
    expect((await c.findOne({ k: 'a' }))?.v).toBe(1);
  });

  it('when the mongoose transaction callback throws, then nothing it wrote remains', async () => {
    const c = client.db(dbName).collection('abort');
    await c.insertOne({ k: 'kept', v: 0 });
    await expect(
      conn.transaction(async (session) => {
        await conn.collection('abort').insertOne({ k: 'gone' }, { session });
        await conn.collection('abort').updateOne({ k: 'kept' }, { $set: { v: 99 } }, { session });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await c.find({}, { projection: { _id: 0 } }).toArray()).toEqual([{ k: 'kept', v: 0 }]);
  });

  it('when a transaction has uncommitted writes, then other readers do not see them until commit', async () => {
    const c = client.db(dbName).collection('isolation');
    const session = client.startSession();
    session.startTransaction();
    await c.insertOne({ k: 'pending' }, { session });
    expect(await c.countDocuments({ k: 'pending' })).toBe(0);
    expect(await c.countDocuments({ k: 'pending' }, { session })).toBe(1);
    await session.commitTransaction();
    await session.endSession();
    expect(await c.countDocuments({ k: 'pending' })).toBe(1);
  });

  it('when two transactions write the same document, then the second gets 112 WriteConflict labelled TransientTransactionError', async () => {
    const c = client.db(dbName).collection('raw');
    const { insertedId } = await c.insertOne({ n: 0 });
    const a = client.startSession();
    const b = client.startSession();
    a.startTransaction();
    b.startTransaction();
    await c.updateOne({ _id: insertedId }, { $inc: { n: 1 } }, { session: a });
    const err = await serverError(
      c.updateOne({ _id: insertedId }, { $inc: { n: 10 } }, { session: b }),
    );
    expect(err.code).toBe(112);
    expect(err.hasErrorLabel('TransientTransactionError')).toBe(true);
    await b.abortTransaction().catch(() => undefined);
    await a.commitTransaction();
    await a.endSession();
    await b.endSession();
    expect((await c.findOne({ _id: insertedId }))?.n).toBe(1);
  });

  it('when two mongoose transactions increment the same document concurrently, then the retry converges on both increments', async () => {
    const c = client.db(dbName).collection('conflict');
    const { insertedId } = await c.insertOne({ n: 0 });
    let attempts = 0;
    const work = (delay: number) =>
      conn.transaction(async (session) => {
        attempts++;
        const doc = await conn.collection('conflict').findOne({ _id: insertedId }, { session });
        await sleep(delay);
        await conn
          .collection('conflict')
          .updateOne({ _id: insertedId }, { $set: { n: (doc?.n as number) + 1 } }, { session });
        await sleep(delay);
      });
    await Promise.all([work(50), work(50)]);
    expect((await c.findOne({ _id: insertedId }))?.n).toBe(2);
    expect(attempts).toBeGreaterThan(2);
  });

  it('when a write inside a transaction fails, then the transaction is aborted and later statements get NoSuchTransaction (251)', async () => {
    const c = client.db(dbName).collection('dup');
    await c.createIndex({ k: 1 }, { unique: true });
    await c.insertOne({ k: 1 });
    const session = client.startSession();
    session.startTransaction();
    await c.insertOne({ k: 2 }, { session });
    expect((await serverError(c.insertOne({ k: 1 }, { session }))).code).toBe(11000);
    const err = await serverError(c.insertOne({ k: 3 }, { session }));
    expect(err.code).toBe(251);
    await session.abortTransaction().catch(() => undefined);
    await session.endSession();
    expect(await c.countDocuments()).toBe(1);
  });
});
