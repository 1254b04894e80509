import { MongoBulkWriteError, MongoServerError } from 'mongodb';
import { serverError, useTestDatabase } from './helpers';

const testDb = useTestDatabase('unique');

describe('unique indexes', () => {
  it('when 50 clients insert the same unique key at once, then exactly one wins and 49 get 11000', async () => {
    const coll = testDb.coll('race');
    await coll.createIndex({ email: 1 }, { unique: true });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => coll.insertOne({ email: 'same@x.test', attempt: i })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(49);
    for (const f of failed) expect((f.reason as MongoServerError).code).toBe(11000);
    expect(await coll.countDocuments({ email: 'same@x.test' })).toBe(1);
  });

  it('when a duplicate is inserted, then the error carries keyPattern, keyValue and an E11000 message', async () => {
    const coll = testDb.coll('shape');
    await coll.createIndex({ email: 1 }, { unique: true });
    await coll.insertOne({ email: 'a@x.test' });
    const err = await serverError(coll.insertOne({ email: 'a@x.test' }));
    expect(err.code).toBe(11000);
    expect(err.keyPattern).toEqual({ email: 1 });
    expect(err.keyValue).toEqual({ email: 'a@x.test' });
    expect(err.message).toMatch(
      /E11000 duplicate key error collection: .*shape index: email_1 dup key/,
    );
  });

  it('when a compound unique index exists, then only the full key combination must be unique', async () => {
    const coll = testDb.coll('compound');
    await coll.createIndex({ org: 1, slug: 1 }, { unique: true });
    await coll.insertMany([
      { org: 1, slug: 'a' },
      { org: 2, slug: 'a' },
      { org: 1, slug: 'b' },
    ]);
    const err = await serverError(coll.insertOne({ org: 1, slug: 'a' }));
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ org: 1, slug: 'a' });
  });

  it('when two documents lack a non-sparse unique field, then the second collides on null', async () => {
    const coll = testDb.coll('missing');
    await coll.createIndex({ code: 1 }, { unique: true });
    await coll.insertOne({ name: 'first' });
    const err = await serverError(coll.insertOne({ name: 'second' }));
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ code: null });
  });

  it('when the unique index is sparse, then documents without the field never collide', async () => {
    const coll = testDb.coll('sparse');
    await coll.createIndex({ code: 1 }, { unique: true, sparse: true });
    await coll.insertMany([{ name: 'a' }, { name: 'b' }, { code: 'X' }]);
    expect((await serverError(coll.insertOne({ code: 'X' }))).code).toBe(11000);
    expect(await coll.countDocuments()).toBe(3);
  });

  it('when the unique index is partial, then only documents matching the filter are constrained', async () => {
    const coll = testDb.coll('partial');
    await coll.createIndex(
      { email: 1 },
      { unique: true, partialFilterExpression: { active: true } },
    );
    await coll.insertMany([
      { email: 'p@x.test', active: false },
      { email: 'p@x.test', active: false },
      { email: 'p@x.test', active: true },
    ]);
    const err = await serverError(coll.insertOne({ email: 'p@x.test', active: true }));
    expect(err.code).toBe(11000);
    const res = await coll.updateOne({ active: true }, { $set: { active: false } });
    expect(res.modifiedCount).toBe(1);
    await coll.insertOne({ email: 'p@x.test', active: true });
    expect(await coll.countDocuments({ email: 'p@x.test' })).toBe(4);
  });

  it('when an unordered insertMany hits duplicates, then the others are inserted and a bulk error lists the failures', async () => {
    const coll = testDb.coll('bulk');
    await coll.createIndex({ k: 1 }, { unique: true });
    const err = await coll
      .insertMany([{ k: 1 }, { k: 1 }, { k: 2 }, { k: 2 }, { k: 3 }], { ordered: false })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoBulkWriteError);
    const bulk = err as MongoBulkWriteError;
    expect(bulk.code).toBe(11000);
    expect(bulk.insertedCount).toBe(3);
    expect(bulk.writeErrors).toHaveLength(2);
  });

  it('when an ordered insertMany hits a duplicate, then it stops there', async () => {
    const coll = testDb.coll('ordered');
    await coll.createIndex({ k: 1 }, { unique: true });
    await coll.insertMany([{ k: 1 }, { k: 1 }, { k: 2 }]).catch(() => undefined);
    expect(await coll.countDocuments()).toBe(1);
  });

  it('when an update would duplicate a unique key, then it fails with 11000 and changes nothing', async () => {
    const coll = testDb.coll('update');
    await coll.createIndex({ k: 1 }, { unique: true });
    await coll.insertMany([{ k: 1 }, { k: 2 }]);
    expect((await serverError(coll.updateOne({ k: 2 }, { $set: { k: 1 } }))).code).toBe(11000);
    expect(await coll.countDocuments({ k: 2 })).toBe(1);
  });

  it('when a unique index is built over existing duplicates, then the build fails with 11000', async () => {
    const coll = testDb.coll('build');
    await coll.insertMany([{ k: 1 }, { k: 1 }]);
    expect((await serverError(coll.createIndex({ k: 1 }, { unique: true }))).code).toBe(11000);
    const names = (await coll.listIndexes().toArray()).map((i) => i.name);
    expect(names).toEqual(['_id_']);
  });
});
