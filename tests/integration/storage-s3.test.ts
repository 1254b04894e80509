import { readdirSync } from 'node:fs';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { S3FileStorage } from '../../src/lib/storage-s3';
import { useTestContext } from '../helpers/context';
import { describeStorageContract } from '../helpers/storage-contract';

const ctx = useTestContext('storage-s3', { STORAGE_DRIVER: 's3' });

describeStorageContract(ctx);

describe('S3 driver on OpenStack Swift', () => {
  function s3(): S3FileStorage {
    if (!(ctx.storage instanceof S3FileStorage)) throw new Error('expected the S3 driver');
    return ctx.storage;
  }

  it('stores objects in the bucket, with their content type, and nothing on local disk', async () => {
    const { key } = await ctx.storage.save('templates', 'webp', Buffer.from('RIFF....WEBP'));
    const object = await s3().client.send(
      new GetObjectCommand({ Bucket: ctx.config.storage.s3.bucket, Key: key }),
    );
    expect(object.ContentType).toBe('image/webp');
    expect(await object.Body?.transformToString()).toBe('RIFF....WEBP');
    expect(readdirSync(ctx.uploadsDir)).toEqual([]);
  });

  it('presigned object URLs work until they expire and fail when tampered', async () => {
    const { key } = await ctx.storage.save('captures', 'jpg', Buffer.from('presigned'));
    const url = await s3().presignedGetUrl(key, 2);
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('presigned');
    const tampered = url.replace(
      /X-Amz-Signature=([0-9a-f])/,
      (_m, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`,
    );
    expect((await fetch(tampered)).status).toBe(403);
    await new Promise((resolve) => setTimeout(resolve, 3500));
    expect((await fetch(url)).status).toBe(403);
  });
});
