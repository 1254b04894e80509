import { sweepFileDeletions } from '../../src/jobs/processors/sweep-file-deletions.processor';
import { createLogger } from '../../src/lib/logger';
import { S3FileStorage } from '../../src/lib/storage-s3';
import { FileDeletionModel } from '../../src/models';
import { createStorage } from '../../src/runtime';
import { jobContextOf, useTestContext } from '../helpers/context';

const ctx = useTestContext('file_deletions', { STORAGE_DRIVER: 's3' });

function jobContext(storage = ctx.storage) {
  return jobContextOf(ctx, { logger: createLogger('silent'), storage, jobId: 'local' });
}

/** The same storage wiring, pointed at a store that cannot be reached (port 1). */
function unreachableStorage() {
  return createStorage({
    ...ctx.config,
    storage: {
      ...ctx.config.storage,
      s3: { ...ctx.config.storage.s3, endpoint: 'http://127.0.0.1:1' },
    },
  });
}

it('when a removal fails, then a record is left and the sweep job removes the file and the record', async () => {
  const { key } = await ctx.storage.save('captures', 'jpg', Buffer.from('to delete'));
  const broken = unreachableStorage();
  expect(broken).toBeInstanceOf(S3FileStorage);
  // The caller (after its document change committed) is not failed by the store being down.
  await expect(broken.remove(key, undefined)).resolves.toBeUndefined();
  expect(await ctx.storage.exists(key)).toBe(true);
  expect(await FileDeletionModel.find({ key }).lean()).toEqual([
    expect.objectContaining({ key, attempts: 1, lastError: expect.any(String) }),
  ]);

  // A sweep while the store is still down keeps the record (one more attempt).
  await expect(sweepFileDeletions({}, jobContext(broken))).resolves.toEqual({
    removed: 0,
    pending: 1,
  });
  expect((await FileDeletionModel.findOne({ key }).lean())?.attempts).toBe(2);
  broken.close();

  await expect(sweepFileDeletions({}, jobContext())).resolves.toEqual({ removed: 1, pending: 0 });
  expect(await ctx.storage.exists(key)).toBe(false);
  expect(await FileDeletionModel.countDocuments()).toBe(0);
  // Nothing left to do: a second run is harmless.
  await expect(sweepFileDeletions({}, jobContext())).resolves.toEqual({ removed: 0, pending: 0 });
}, 120_000);

it('when removals succeed, then no record is written', async () => {
  const a = await ctx.storage.save('captures', 'jpg', Buffer.from('a'));
  const b = await ctx.storage.save('composites', 'jpg', Buffer.from('b'));
  await ctx.storage.remove(a.key, b.key);
  expect(await ctx.storage.exists(a.key)).toBe(false);
  expect(await ctx.storage.exists(b.key)).toBe(false);
  expect(await FileDeletionModel.countDocuments()).toBe(0);
});
