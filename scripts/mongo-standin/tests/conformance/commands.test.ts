import { isStandin, serverError, useTestDatabase } from './helpers';

const { name: dbName, client, db } = useTestDatabase('cmds');
let standin: boolean;

beforeAll(async () => {
  standin = await isStandin(client());
  await db()
    .collection('items')
    .insertMany([{ name: 'b' }, { name: 'a' }, { name: 'B' }]);
});

describe('admin and catalog commands', () => {
  it('when the client connects, then hello reports a writable replica-set primary with sessions', async () => {
    const hello = await db().admin().command({ hello: 1 });
    expect(hello.isWritablePrimary).toBe(true);
    expect(typeof hello.setName).toBe('string');
    expect(hello.logicalSessionTimeoutMinutes).toBeGreaterThan(0);
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(9);
    expect((await db().admin().ping()).ok).toBe(1);
  });

  it('when collections are created, listed and dropped, then the catalog follows', async () => {
    await db().createCollection('catalog');
    const names = (await db().listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['catalog', 'items']));
    const dbs = await client().db('admin').admin().listDatabases();
    expect(dbs.databases.map((d) => d.name)).toContain(dbName);
    expect(await db().collection('catalog').drop()).toBe(true);
    expect((await db().listCollections({ name: 'catalog' }).toArray()).length).toBe(0);
  });

  it('when creating a collection that exists with different options, then it fails with 48 NamespaceExists', async () => {
    await db().createCollection('exists');
    const err = await serverError(
      db()
        .command({ create: 'exists', collation: { locale: 'simple' } })
        .then(() => db().command({ create: 'exists', capped: true, size: 4096 })),
    );
    expect(err.code).toBe(48);
  });

  it('when listing indexes of a missing collection, then it fails with 26 NamespaceNotFound', async () => {
    const err = await serverError(db().command({ listIndexes: 'nope' }));
    expect(err.code).toBe(26);
    expect(err.codeName).toBe('NamespaceNotFound');
  });

  it('when an index name is reused for another key or options, then it fails with 86 or 85', async () => {
    const c = db().collection('idx');
    await c.createIndex({ a: 1 }, { name: 'my_index' });
    expect(await c.createIndex({ a: 1 }, { name: 'my_index' })).toBe('my_index');
    expect((await serverError(c.createIndex({ b: 1 }, { name: 'my_index' }))).code).toBe(86);
    expect(
      (await serverError(c.createIndex({ a: 1 }, { name: 'my_index', unique: true }))).code,
    ).toBe(85);
    await c.dropIndex('my_index');
    expect((await c.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
    expect((await serverError(c.dropIndex('my_index'))).code).toBe(27);
  });
});

describe('refusals', () => {
  it('when an unknown command is sent, then it fails with 59 CommandNotFound', async () => {
    const err = await serverError(db().command({ frobnicate: 1 }));
    expect(err.code).toBe(59);
  });

  it('when a command carries an unknown field, then it is refused rather than ignored', async () => {
    const err = await serverError(db().command({ find: 'items', filter: {}, sortBy: { name: 1 } }));
    expect(err.code).toBe(40415);
  });

  it('when a hint names no existing index, then the query fails with 2 BadValue', async () => {
    const err = await serverError(
      db().collection('items').find({}).hint('no_such_index').toArray(),
    );
    expect(err.code).toBe(2);
  });

  it('when a query asks for a collation, then the stand-in refuses it with 115 and mongod applies it', async () => {
    const run = db()
      .collection('items')
      .find({ name: 'b' })
      .collation({ locale: 'en', strength: 2 })
      .toArray();
    if (standin) expect((await serverError(run)).code).toBe(115);
    else expect((await run).map((d) => d.name).sort()).toEqual(['B', 'b']);
  });

  it('when a $text query runs without a text index, then it fails (stand-in: 2 BadValue, mongod: 27 IndexNotFound)', async () => {
    const err = await serverError(
      db()
        .collection('items')
        .find({ $text: { $search: 'a' } })
        .toArray(),
    );
    expect(err.code).toBe(standin ? 2 : 27);
  });

  it('when a change stream is opened, then the stand-in refuses it and mongod starts one', async () => {
    const run = db().command({ aggregate: 'items', pipeline: [{ $changeStream: {} }], cursor: {} });
    if (standin) expect((await serverError(run)).code).toBe(2);
    else expect((await run).ok).toBe(1);
  });

  it('when a capped collection is requested, then the stand-in refuses it with 115 and mongod creates it', async () => {
    const run = db().createCollection('capped', { capped: true, size: 4096 });
    if (standin) expect((await serverError(run)).code).toBe(115);
    else await expect(run).resolves.toBeDefined();
  });
});
