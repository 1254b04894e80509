import { ObjectId } from 'mongodb';
import { useTestDatabase } from './helpers';

const { coll } = useTestDatabase('agg');

describe('aggregation', () => {
  it('when $lookup joins another collection, then each document gets its matches and the source is not modified', async () => {
    const orgs = coll('orgs');
    const users = coll('users');
    const [o1, o2] = [new ObjectId(), new ObjectId()];
    await orgs.insertMany([
      { _id: o1, name: 'One' },
      { _id: o2, name: 'Two' },
    ]);
    await users.insertMany([
      { name: 'u1', org: o1 },
      { name: 'u2', org: o1 },
      { name: 'u3', org: o2 },
    ]);
    const rows = await users
      .aggregate([
        { $lookup: { from: 'orgs', localField: 'org', foreignField: '_id', as: 'orgDoc' } },
        { $unwind: '$orgDoc' },
        { $set: { 'orgDoc.name': { $toUpper: '$orgDoc.name' } } },
        { $group: { _id: '$orgDoc.name', users: { $sum: 1 } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(rows).toEqual([
      { _id: 'ONE', users: 2 },
      { _id: 'TWO', users: 1 },
    ]);
    expect((await orgs.findOne({ _id: o1 }))?.name).toBe('One');
  });

  it('when $count runs on no input, then it returns no document (not n:0)', async () => {
    expect(
      await coll('users')
        .aggregate([{ $match: { name: 'nobody' } }, { $count: 'n' }])
        .toArray(),
    ).toEqual([]);
    expect(
      await coll('users')
        .aggregate([{ $count: 'n' }])
        .toArray(),
    ).toEqual([{ n: 3 }]);
  });

  it('when $facet runs sub-pipelines, then each facet has its own result', async () => {
    const [row] = await coll('users')
      .aggregate([
        {
          $facet: {
            total: [{ $count: 'n' }],
            names: [{ $sort: { name: -1 } }, { $limit: 2 }, { $project: { _id: 0, name: 1 } }],
          },
        },
      ])
      .toArray();
    expect(row).toEqual({ total: [{ n: 3 }], names: [{ name: 'u3' }, { name: 'u2' }] });
  });

  it('when captures are bucketed by Asia/Jakarta day, then late-UTC-evening captures fall on the next local day', async () => {
    const c = coll('captures');
    await c.insertMany([
      { at: new Date('2024-05-31T16:59:59Z') }, // 23:59:59 on 31 May in Jakarta (UTC+7)
      { at: new Date('2024-05-31T17:00:00Z') }, // 00:00 on 1 June in Jakarta
      { at: new Date('2024-05-31T20:30:00Z') }, // 03:30 on 1 June in Jakarta
      { at: new Date('2024-06-01T10:00:00Z') }, // 17:00 on 1 June in Jakarta
    ]);
    const byTrunc = await c
      .aggregate([
        {
          $group: {
            _id: { $dateTrunc: { date: '$at', unit: 'day', timezone: 'Asia/Jakarta' } },
            n: { $sum: 1 },
          },
        },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(byTrunc).toEqual([
      { _id: new Date('2024-05-30T17:00:00Z'), n: 1 },
      { _id: new Date('2024-05-31T17:00:00Z'), n: 3 },
    ]);
    const byString = await c
      .aggregate([
        {
          $group: {
            _id: { $dateToString: { date: '$at', format: '%Y-%m-%d', timezone: 'Asia/Jakarta' } },
            n: { $sum: 1 },
          },
        },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(byString).toEqual([
      { _id: '2024-05-31', n: 1 },
      { _id: '2024-06-01', n: 3 },
    ]);
    const [month] = await c
      .aggregate([
        { $match: { at: new Date('2024-05-31T20:30:00Z') } },
        {
          $project: {
            _id: 0,
            m: { $dateTrunc: { date: '$at', unit: 'month', timezone: 'Asia/Jakarta' } },
          },
        },
      ])
      .toArray();
    expect(month).toEqual({ m: new Date('2024-05-31T17:00:00Z') });
  });

  it('when grouping with $sum, $avg, $push and sorting, then totals are correct', async () => {
    const c = coll('sales');
    await c.insertMany([
      { g: 'a', v: 1 },
      { g: 'a', v: 3 },
      { g: 'b', v: 10 },
    ]);
    const rows = await c
      .aggregate([
        { $group: { _id: '$g', total: { $sum: '$v' }, avg: { $avg: '$v' }, vs: { $push: '$v' } } },
        { $sort: { total: -1 } },
      ])
      .toArray();
    expect(rows).toEqual([
      { _id: 'b', total: 10, avg: 10, vs: [10] },
      { _id: 'a', total: 4, avg: 2, vs: [1, 3] },
    ]);
  });

  it('when an aggregation yields more than one batch, then getMore returns the rest', async () => {
    const c = coll('many');
    await c.insertMany(Array.from({ length: 250 }, (_, i) => ({ i })));
    const rows = await c.aggregate([{ $match: { i: { $gte: 0 } } }], { batchSize: 50 }).toArray();
    expect(rows).toHaveLength(250);
  });
});
