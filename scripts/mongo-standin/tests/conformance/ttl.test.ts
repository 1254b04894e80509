import { MongoClient } from 'mongodb';
import { connectClient, sleep, uniqueDbName } from './helpers';

const dbName = uniqueDbName('ttl');
let client: MongoClient;
let restoreSleepSecs: number | undefined;

/**
 * mongod's TTL monitor wakes every 60 s. We ask for 1 s through setParameter (the stand-in and a
 * self-run mongod allow it); if the server refuses, we wait up to 70 s instead of skipping.
 */
beforeAll(async () => {
  client = await connectClient(dbName);
  const admin = client.db('admin');
  try {
    const current = await admin.command({ getParameter: 1, ttlMonitorSleepSecs: 1 });
    const was = Number(current.ttlMonitorSleepSecs);
    if (was > 1) {
      await admin.command({ setParameter: 1, ttlMonitorSleepSecs: 1 });
      restoreSleepSecs = was;
    }
  } catch {
    restoreSleepSecs = undefined;
  }
});
afterAll(async () => {
  if (restoreSleepSecs !== undefined) {
    await client
      .db('admin')
      .command({ setParameter: 1, ttlMonitorSleepSecs: restoreSleepSecs })
      .catch(() => undefined);
  }
  await client.db(dbName).dropDatabase();
  await client.close();
});

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(250);
  }
  return check();
}

describe('TTL indexes', () => {
  it('when a document is past its TTL, then the monitor deletes it and leaves fresh and dateless ones', async () => {
    const c = client.db(dbName).collection('sessions');
    await c.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
    await c.insertMany([
      { k: 'expired', expiresAt: new Date(Date.now() - 60_000) },
      { k: 'fresh', expiresAt: new Date(Date.now() + 3_600_000) },
      { k: 'not-a-date', expiresAt: 'tomorrow' },
      { k: 'no-field' },
    ]);
    const gone = await waitFor(
      async () => (await c.countDocuments({ k: 'expired' })) === 0,
      70_000,
    );
    expect(gone).toBe(true);
    expect(
      (
        await c
          .find({}, { projection: { _id: 0, k: 1 } })
          .sort({ k: 1 })
          .toArray()
      ).map((d) => d.k),
    ).toEqual(['fresh', 'no-field', 'not-a-date']);
  }, 90_000);

  it('when collMod shortens expireAfterSeconds, then older documents expire under the new value', async () => {
    const c = client.db(dbName).collection('tokens');
    await c.createIndex({ createdAt: 1 }, { expireAfterSeconds: 3600 });
    await c.insertOne({ k: 'old', createdAt: new Date(Date.now() - 120_000) });
    const res = await client.db(dbName).command({
      collMod: 'tokens',
      index: { keyPattern: { createdAt: 1 }, expireAfterSeconds: 60 },
    });
    expect(res.expireAfterSeconds_old).toBe(3600);
    expect(res.expireAfterSeconds_new).toBe(60);
    const indexes = await c.listIndexes().toArray();
    expect(indexes.find((i) => i.name === 'createdAt_1')?.expireAfterSeconds).toBe(60);
    expect(await waitFor(async () => (await c.countDocuments()) === 0, 70_000)).toBe(true);
  }, 90_000);
});
