import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Config } from '../config';
import {
  FileStorage,
  StorageUrls,
  type FileExtension,
  type OpenedFile,
  type StorageBody,
  type StorageFolder,
  type StorageUrlOptions,
  type StoredFile,
} from './storage';

export type S3StorageOptions = StorageUrlOptions & Config['storage']['s3'];

const CONTENT_TYPES: Record<FileExtension, string> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  gif: 'image/gif',
  mp4: 'video/mp4',
  zip: 'application/zip',
};

/** Streams larger than this go up as a multipart upload (parts of this size). */
const PART_SIZE = 8 * 1024 * 1024;

/**
 * Files in an S3-compatible bucket, under the same keys as on disk. A PutObject or a completed
 * multipart upload makes an object appear whole or not at all, so writes are atomic without temp
 * names. The API keeps serving the files (files.router streams them through open()), so URLs,
 * signatures and response headers are the same as with the local driver.
 */
export class S3FileStorage extends StorageUrls implements FileStorage {
  readonly client: S3Client;

  constructor(private readonly options: S3StorageOptions) {
    super(options);
    this.client = new S3Client({
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.accessKeyId
        ? {
            credentials: {
              accessKeyId: options.accessKeyId,
              secretAccessKey: options.secretAccessKey,
            },
          }
        : {}),
      // The SDK's default sends streamed bodies aws-chunked with trailing checksums, which
      // S3-compatible servers (Swift, older MinIO/Ceph) refuse; plain SigV4 works everywhere.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      // Stores answer 503 "slow down" under bursts; back off and retry a few more times.
      retryMode: 'adaptive',
      maxAttempts: 6,
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  get bucket(): string {
    return this.options.bucket;
  }

  async saveAt(key: string, data: StorageBody): Promise<StoredFile> {
    assertKey(key);
    const contentType = CONTENT_TYPES[key.slice(key.lastIndexOf('.') + 1) as FileExtension];
    if (Buffer.isBuffer(data)) {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.options.bucket,
          Key: key,
          Body: data,
          ContentType: contentType,
          ContentLength: data.length,
        }),
      );
      return { key, size: data.length };
    }
    let size = 0;
    const counted = data.on('data', (chunk: Buffer) => (size += chunk.length));
    // One PutObject for small streams, a multipart upload (completed atomically) for big ones;
    // an error aborts the upload, so no partial object is left behind.
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.options.bucket, Key: key, Body: counted, ContentType: contentType },
      partSize: PART_SIZE,
      queueSize: 2,
      leavePartsOnError: false,
    });
    await upload.done();
    return { key, size };
  }

  async read(key: string): Promise<Buffer> {
    assertKey(key);
    const result = await this.client.send(
      new GetObjectCommand({ Bucket: this.options.bucket, Key: key }),
    );
    if (!result.Body) throw new Error(`Empty body for ${key}`);
    return Buffer.from(await result.Body.transformToByteArray());
  }

  async open(key: string): Promise<OpenedFile | undefined> {
    if (!FileStorage.isValidKey(key)) return undefined;
    try {
      const result = await this.client.send(
        new GetObjectCommand({ Bucket: this.options.bucket, Key: key }),
      );
      const body = result.Body;
      if (!(body instanceof Readable)) throw new Error(`Unexpected body type for ${key}`);
      return {
        body,
        size: result.ContentLength ?? 0,
        lastModified: result.LastModified ?? new Date(0),
        etag: result.ETag ?? `"${key}"`,
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    if (!FileStorage.isValidKey(key)) return false;
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: key }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async remove(...keys: Array<string | null | undefined>): Promise<void> {
    // One DeleteObject each (deleting a missing key succeeds): multi-object delete needs a
    // checksum header that not every S3-compatible server accepts.
    await this.removeEach(keys, (key) =>
      this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: key })),
    );
  }

  async *list(folder?: StorageFolder): AsyncIterable<string> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.options.bucket,
          ...(folder ? { Prefix: `${folder}/` } : {}),
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      for (const item of page.Contents ?? []) {
        if (item.Key && FileStorage.isValidKey(item.Key)) yield item.Key;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /** A presigned GET of the object itself (for tools and checks; clients get the API's URLs). */
  async presignedGetUrl(key: string, expiresInSeconds: number): Promise<string> {
    assertKey(key);
    return getSignedUrl(
      this.client,
      new GetObjectCommand({ Bucket: this.options.bucket, Key: key }),
      { expiresIn: expiresInSeconds },
    );
  }

  close(): void {
    this.client.destroy();
  }
}

function assertKey(key: string): void {
  if (!FileStorage.isValidKey(key)) throw new Error(`Invalid storage key: ${key}`);
}

function isNotFound(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    (error.$metadata.httpStatusCode === 404 ||
      error.name === 'NoSuchKey' ||
      error.name === 'NotFound')
  );
}
