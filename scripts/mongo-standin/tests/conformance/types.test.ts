import { Binary, Decimal128, Long, ObjectId, UUID } from 'mongodb';
import { useTestDatabase } from './helpers';

const testDb = useTestDatabase('types');

describe('BSON type round trips', () => {
  it('when a document holds ObjectId, Date, Decimal128, Binary and UUID values, then it reads back identical', async () => {
    const coll = testDb.coll('roundtrip');
    const doc = {
      _id: new ObjectId(),
      ref: new ObjectId(),
      at: new Date('2024-05-31T20:30:00.123Z'),
      price: Decimal128.fromString('12345678901234567890.1234567890'),
      small: Decimal128.fromString('0.10'),
      bytes: new Binary(Buffer.from([0, 1, 2, 250, 255]), 0),
      uuid: new UUID('5f0c4e1a-1b2c-4d3e-8f90-123456789abc'),
      nested: { list: [new ObjectId(), { when: new Date(0) }] },
      big: Long.fromString('9007199254740993'),
    };
    await coll.insertOne(doc);
    const back = await coll.findOne({ _id: doc._id });
    expect(back?.ref).toBeInstanceOf(ObjectId);
    expect(back?.ref.equals(doc.ref)).toBe(true);
    expect(back?.at).toEqual(doc.at);
    expect(back?.price).toBeInstanceOf(Decimal128);
    expect(back?.price.toString()).toBe('12345678901234567890.1234567890');
    expect(back?.small.toString()).toBe('0.10');
    expect(Buffer.from(back?.bytes.buffer).equals(Buffer.from([0, 1, 2, 250, 255]))).toBe(true);
    expect(back?.uuid.toHexString()).toBe(doc.uuid.toHexString());
    expect(back?.nested.list[0].equals(doc.nested.list[0])).toBe(true);
    expect(back?.nested.list[1].when).toEqual(new Date(0));
    expect(String(back?.big)).toBe('9007199254740993');
  });

  it('when Decimal128 values are sorted and compared, then numeric order is used (10 > 9.50, 9.5 == 9.50)', async () => {
    const coll = testDb.coll('decimals');
    await coll.insertMany(
      ['9.50', '10', '-2.5', '0.001', '100'].map((v) => ({ v: Decimal128.fromString(v) })),
    );
    const sorted = await coll.find().sort({ v: 1 }).toArray();
    expect(sorted.map((d) => d.v.toString())).toEqual(['-2.5', '0.001', '9.50', '10', '100']);
    const greater = await coll.find({ v: { $gt: Decimal128.fromString('9.6') } }).toArray();
    expect(greater.map((d) => d.v.toString()).sort()).toEqual(['10', '100']);
    const equal = await coll.find({ v: Decimal128.fromString('9.5') }).toArray();
    expect(equal).toHaveLength(1);
  });

  it('when filtering by $type objectId, date or binData, then only values of that BSON type match', async () => {
    const coll = testDb.coll('typed');
    await coll.insertMany([
      { x: new ObjectId() },
      { x: 'abc' },
      { x: new Date() },
      { x: new Binary(Buffer.from('hi')) },
    ]);
    expect(await coll.countDocuments({ x: { $type: 'objectId' } })).toBe(1);
    expect(await coll.countDocuments({ x: { $type: 'date' } })).toBe(1);
    expect(await coll.countDocuments({ x: { $type: 'binData' } })).toBe(1);
    expect(await coll.countDocuments({ x: { $type: 'string' } })).toBe(1);
  });

  it('when an aggregation converts ObjectIds to strings and back, then $toString and $toObjectId agree', async () => {
    const coll = testDb.coll('convert');
    const id = new ObjectId();
    await coll.insertOne({ _id: id });
    const [row] = await coll
      .aggregate([
        { $project: { s: { $toString: '$_id' } } },
        { $project: { s: 1, o: { $toObjectId: '$s' } } },
      ])
      .toArray();
    expect(row.s).toBe(id.toHexString());
    expect(row.o.equals(id)).toBe(true);
  });
});
