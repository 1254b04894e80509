import { BatchWriter } from '../../../src/lib/batch-writer';
import { createLogger } from '../../../src/lib/logger';

const logger = createLogger('silent');

function writerWith(write: (items: number[]) => Promise<void>, overrides = {}) {
  return new BatchWriter<number>({
    name: 'test',
    batchSize: 3,
    flushIntervalMs: 20,
    maxBuffered: 10,
    logger,
    write,
    ...overrides,
  });
}

describe('BatchWriter', () => {
  it('when a batch fills up, then it is written at once, in order', async () => {
    const batches: number[][] = [];
    const writer = writerWith(async (items) => void batches.push(items), {
      flushIntervalMs: 60_000,
    });
    [1, 2, 3, 4].forEach((n) => expect(writer.add(n)).toBe(true));
    await writer.flush();
    expect(batches[0]).toEqual([1, 2, 3]);
    expect(batches.flat()).toEqual([1, 2, 3, 4]);
    await writer.close();
  });

  it('when fewer items than a batch wait, then the timer writes them', async () => {
    const written: number[] = [];
    const writer = writerWith(async (items) => void written.push(...items));
    writer.add(7);
    const deadline = Date.now() + 5000;
    while (written.length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    expect(written).toEqual([7]);
    await writer.close();
  });

  it('when the buffer is full, then add refuses instead of growing', async () => {
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const writer = writerWith(() => blocked, { maxBuffered: 5, batchSize: 100 });
    for (let i = 0; i < 5; i += 1) expect(writer.add(i)).toBe(true);
    expect(writer.add(99)).toBe(false);
    expect(writer.held).toBe(5);
    release();
    await writer.close();
  });

  it('when a write fails, then its items are kept and written by a later attempt', async () => {
    const written: number[] = [];
    let failures = 2;
    const writer = writerWith(async (items) => {
      if (failures > 0) {
        failures -= 1;
        throw new Error('database down');
      }
      written.push(...items);
    });
    [1, 2, 3, 4, 5].forEach((n) => writer.add(n));
    await writer.close(5000);
    expect(written).toEqual([1, 2, 3, 4, 5]);
    expect(writer.stats()).toMatchObject({ buffered: 0, written: 5, failedWrites: 2 });
  });

  it('when closed, then everything held is written before close resolves, and later adds are refused', async () => {
    const written: number[] = [];
    const writer = writerWith(
      async (items) => {
        await new Promise((r) => setTimeout(r, 5));
        written.push(...items);
      },
      { flushIntervalMs: 60_000, batchSize: 4, maxBuffered: 1000 },
    );
    for (let i = 0; i < 250; i += 1) writer.add(i);
    await writer.close();
    expect(written).toEqual(Array.from({ length: 250 }, (_, i) => i));
    expect(writer.add(1)).toBe(false);
  });
});
