import { ObjectId } from 'mongodb';
import { serverError, useTestDatabase } from './helpers';

const testDb = useTestDatabase('crud');
const coll = testDb.coll;

describe('updates', () => {
  it('when 50 clients $inc the same counter at once, then no increment is lost', async () => {
    const c = coll('counter');
    const { insertedId } = await c.insertOne({ n: 0 });
    await Promise.all(
      Array.from({ length: 50 }, () => c.updateOne({ _id: insertedId }, { $inc: { n: 1 } })),
    );
    expect((await c.findOne({ _id: insertedId }))?.n).toBe(50);
  });

  it('when an upsert inserts, then equality fields from the filter and $setOnInsert are applied; when it matches, $setOnInsert is not', async () => {
    const c = coll('upsert');
    const first = await c.updateOne(
      { slug: 'a', 'meta.kind': 'x' },
      { $set: { v: 1 }, $setOnInsert: { created: true } },
      { upsert: true },
    );
    expect(first.upsertedCount).toBe(1);
    expect(
      await c.findOne({ _id: first.upsertedId ?? undefined }, { projection: { _id: 0 } }),
    ).toEqual({ slug: 'a', meta: { kind: 'x' }, v: 1, created: true });
    const second = await c.updateOne(
      { slug: 'a' },
      { $set: { v: 2 }, $setOnInsert: { created: false } },
      { upsert: true },
    );
    expect(second.matchedCount).toBe(1);
    expect(second.modifiedCount).toBe(1);
    expect((await c.findOne({ slug: 'a' }))?.created).toBe(true);
  });

  it('when updating with arrayFilters and the positional $, then only the matching elements change', async () => {
    const c = testDb
      .db()
      .collection<{ slots: Array<{ i: number; v: string }>; tags: string[] }>('arrays');
    const { insertedId } = await c.insertOne({
      slots: [
        { i: 1, v: 'a' },
        { i: 2, v: 'b' },
        { i: 3, v: 'c' },
      ],
      tags: ['x', 'y'],
    });
    await c.updateOne(
      { _id: insertedId },
      { $set: { 'slots.$[s].v': 'B' } },
      { arrayFilters: [{ 's.i': { $gte: 2 } }] },
    );
    await c.updateOne({ _id: insertedId, tags: 'y' }, { $set: { 'tags.$': 'Y' } });
    await c.updateOne(
      { _id: insertedId },
      { $push: { tags: { $each: ['z'], $position: 0 } }, $pull: { slots: { i: 1 } } },
    );
    const doc = await c.findOne({ _id: insertedId });
    expect(doc?.slots).toEqual([
      { i: 2, v: 'B' },
      { i: 3, v: 'B' },
    ]);
    expect(doc?.tags).toEqual(['z', 'x', 'Y']);
  });

  it('when a pipeline update runs, then it can compute fields from the document', async () => {
    const c = coll('pipeline');
    const { insertedId } = await c.insertOne({ a: 2, b: 3 });
    await c.updateOne({ _id: insertedId }, [
      { $set: { sum: { $add: ['$a', '$b'] } } },
      { $unset: 'b' },
    ]);
    expect(await c.findOne({ _id: insertedId }, { projection: { _id: 0 } })).toEqual({
      a: 2,
      sum: 5,
    });
  });

  it('when a document is replaced, then its _id is kept and the old fields are gone', async () => {
    const c = coll('replace');
    const { insertedId } = await c.insertOne({ a: 1, b: 2 });
    const res = await c.replaceOne({ _id: insertedId }, { c: 3 });
    expect(res.modifiedCount).toBe(1);
    expect(await c.findOne({ _id: insertedId })).toEqual({ _id: insertedId, c: 3 });
  });

  it('when an update changes nothing, then matchedCount is 1 and modifiedCount 0', async () => {
    const c = coll('noop');
    await c.insertOne({ k: 1, v: 1 });
    const res = await c.updateOne({ k: 1 }, { $set: { v: 1 } });
    expect(res.matchedCount).toBe(1);
    expect(res.modifiedCount).toBe(0);
  });

  it('when updateMany runs, then every matching document changes', async () => {
    const c = coll('many');
    await c.insertMany([{ g: 1 }, { g: 1 }, { g: 2 }]);
    const res = await c.updateMany({ g: 1 }, { $set: { seen: true } });
    expect(res.modifiedCount).toBe(2);
    expect(await c.countDocuments({ seen: true })).toBe(2);
  });

  it('when an update names one path twice, touches _id, or $incs a string, then it fails with 40, 66 and 14', async () => {
    const c = coll('errors');
    const { insertedId } = await c.insertOne({ s: 'text', n: 1 });
    expect(
      (await serverError(c.updateOne({ _id: insertedId }, { $set: { n: 2 }, $inc: { n: 1 } })))
        .code,
    ).toBe(40);
    expect(
      (await serverError(c.updateOne({ _id: insertedId }, { $set: { _id: new ObjectId() } }))).code,
    ).toBe(66);
    expect((await serverError(c.updateOne({ _id: insertedId }, { $inc: { s: 1 } }))).code).toBe(14);
    expect(await c.findOne({ _id: insertedId })).toEqual({ _id: insertedId, s: 'text', n: 1 });
  });
});

describe('findAndModify', () => {
  it('when findOneAndUpdate sorts, projects and returns the new document, then it gets the first by sort order', async () => {
    const c = coll('fam');
    await c.insertMany([
      { q: 1, p: 3 },
      { q: 1, p: 1 },
      { q: 1, p: 2 },
    ]);
    const doc = await c.findOneAndUpdate(
      { q: 1 },
      { $set: { taken: true } },
      { sort: { p: 1 }, returnDocument: 'after', projection: { _id: 0, p: 1, taken: 1 } },
    );
    expect(doc).toEqual({ p: 1, taken: true });
  });

  it('when findOneAndUpdate upserts with $setOnInsert, then the new document is returned', async () => {
    const c = coll('famUpsert');
    const doc = await c.findOneAndUpdate(
      { key: 'k' },
      { $setOnInsert: { n: 0 }, $inc: { hits: 1 } },
      { upsert: true, returnDocument: 'after' },
    );
    expect(doc).toMatchObject({ key: 'k', n: 0, hits: 1 });
    const before = await c.findOneAndUpdate(
      { key: 'k' },
      { $inc: { hits: 1 } },
      { returnDocument: 'before' },
    );
    expect(before?.hits).toBe(1);
  });

  it('when findOneAndDelete matches, then it returns the removed document', async () => {
    const c = coll('famDelete');
    await c.insertMany([{ v: 1 }, { v: 2 }]);
    const doc = await c.findOneAndDelete({}, { sort: { v: -1 } });
    expect(doc?.v).toBe(2);
    expect(await c.countDocuments()).toBe(1);
  });
});

describe('reads', () => {
  it('when 10,000 documents are read with batchSize 1000, then every document arrives once via getMore', async () => {
    const c = coll('big');
    await c.insertMany(Array.from({ length: 10_000 }, (_, i) => ({ i })));
    const seen = new Set<number>();
    for await (const doc of c.find({}, { batchSize: 1000 }).sort({ i: 1 }))
      seen.add(doc.i as number);
    expect(seen.size).toBe(10_000);
    const page = await c
      .find({ i: { $gte: 5000 } })
      .sort({ i: -1 })
      .skip(10)
      .limit(5)
      .project({ _id: 0 })
      .toArray();
    expect(page).toEqual([{ i: 9989 }, { i: 9988 }, { i: 9987 }, { i: 9986 }, { i: 9985 }]);
  });

  it('when a cursor is killed, then killCursors reports it and a later getMore fails with 43 CursorNotFound', async () => {
    const db = testDb.db();
    const res = await db.command({ find: 'big', filter: {}, batchSize: 10 });
    const id = res.cursor.id;
    expect(res.cursor.firstBatch).toHaveLength(10);
    const killed = await db.command({ killCursors: 'big', cursors: [id] });
    expect(killed.cursorsKilled.map(String)).toEqual([String(id)]);
    expect((await serverError(db.command({ getMore: id, collection: 'big' }))).code).toBe(43);
  });

  it('when counting and listing distinct values, then arrays are unwound and filters apply', async () => {
    const c = coll('distinct');
    await c.insertMany([
      { t: ['a', 'b'], k: 1 },
      { t: 'b', k: 1 },
      { t: 'c', k: 2 },
    ]);
    expect((await c.distinct('t', { k: 1 })).sort()).toEqual(['a', 'b']);
    expect(await c.countDocuments({ k: 1 })).toBe(2);
    expect(await c.estimatedDocumentCount()).toBe(3);
  });

  it('when deleting one and then many, then the counts match', async () => {
    const c = coll('delete');
    await c.insertMany([{ g: 1 }, { g: 1 }, { g: 1 }, { g: 2 }]);
    expect((await c.deleteOne({ g: 1 })).deletedCount).toBe(1);
    expect((await c.deleteMany({ g: 1 })).deletedCount).toBe(2);
    expect(await c.countDocuments()).toBe(1);
  });
});
