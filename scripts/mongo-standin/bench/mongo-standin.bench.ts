import { MongoClient } from 'mongodb';
import { startMongoStandin } from '../src/launch';

const N = 10_000;

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const start = process.hrtime.bigint();
  const out = await fn();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(`${label.padEnd(48)} ${ms.toFixed(1).padStart(8)} ms`);
  return out;
}

async function main(): Promise<void> {
  const standin = await startMongoStandin();
  const client = new MongoClient(standin.uri.replace('/?', '/bench?'));
  try {
    await client.connect();
    const coll = client.db().collection('captures');
    await coll.createIndex({ code: 1 }, { unique: true });
    const docs = Array.from({ length: N }, (_, i) => ({
      code: `c${i}`,
      booth: `b${i % 20}`,
      size: i % 97,
      at: new Date(Date.UTC(2024, 0, 1) + i * 60_000),
    }));
    const total = process.hrtime.bigint();
    await timed(`insertMany ${N} docs (unique index on code)`, () => coll.insertMany(docs));
    await timed('500 indexed finds by unique code', async () => {
      for (let i = 0; i < 500; i++) await coll.findOne({ code: `c${(i * 37) % N}` });
    });
    await timed('find by non-indexed field (scan), sorted', () =>
      coll.find({ size: 5 }).sort({ at: -1 }).toArray(),
    );
    await timed('aggregate: $group by booth + $sort', () =>
      coll
        .aggregate([
          { $group: { _id: '$booth', n: { $sum: 1 }, avg: { $avg: '$size' } } },
          { $sort: { _id: 1 } },
        ])
        .toArray(),
    );
    await timed('aggregate: Jakarta day buckets ($dateTrunc)', () =>
      coll
        .aggregate([
          {
            $group: {
              _id: { $dateTrunc: { date: '$at', unit: 'day', timezone: 'Asia/Jakarta' } },
              n: { $sum: 1 },
            },
          },
        ])
        .toArray(),
    );
    console.log(
      `${'total'.padEnd(48)} ${(Number(process.hrtime.bigint() - total) / 1e6).toFixed(1).padStart(8)} ms`,
    );
  } finally {
    await client.close();
    await standin.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
