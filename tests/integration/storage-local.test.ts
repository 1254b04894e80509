import { readdirSync } from 'node:fs';
import { useTestContext } from '../helpers/context';
import { describeStorageContract } from '../helpers/storage-contract';

const ctx = useTestContext('storage-local', { STORAGE_DRIVER: 'local' });

describeStorageContract(ctx);

describe('local driver', () => {
  it('keeps files under UPLOADS_DIR and leaves no temp files', async () => {
    const { key } = await ctx.storage.save('captures', 'jpg', Buffer.from('on disk'));
    const files = readdirSync(ctx.uploadsDir, { recursive: true }).map(String);
    expect(files).toContain(key);
    expect(files.filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
