import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Readable } from 'node:stream';

export type StorageFolder =
  | 'templates'
  | 'profiles'
  | 'captures'
  | 'composites'
  | 'payment-proofs'
  | 'frames'
  | 'legacy'
  /** Frames waiting for moderation, their thumbnails and previews; private (owner and admins). */
  | 'submissions'
  /** Checked uploads waiting for a job to turn them into their final form; always private. */
  | 'incoming'
  /** Animated GIF/WebP/MP4 of a session's captures; open when the session's composite is. */
  | 'animations'
  /** Gallery export archives; always private, reached through signed, expiring links. */
  | 'exports';

export type FileExtension = 'jpg' | 'png' | 'webp' | 'svg' | 'gif' | 'mp4' | 'zip';

/** What a file is written from: bytes in memory, or a stream that is piped to the store. */
export type StorageBody = Buffer | Readable;

export interface StoredFile {
  key: string;
  size: number;
}

/** An open stored file, ready to be streamed to a client. */
export interface OpenedFile {
  body: Readable;
  size: number;
  lastModified: Date;
  /** A validator for conditional requests (changes when the file changes). */
  etag: string;
}

/**
 * Where files live. Keys look like `<folder>/<2 hex>/<32 hex>.<ext>`; every driver stores a key's
 * bytes atomically (a reader sees the whole file or none) and hands out the same URL shapes, so
 * nothing outside the storage wiring knows which driver is in use.
 */
export interface FileStorage {
  /** Writes a new file under a random key. */
  save(folder: StorageFolder, extension: FileExtension, data: StorageBody): Promise<StoredFile>;
  /**
   * Writes to a key the caller derived (see derivedKey), replacing any earlier file: a retried job
   * rewrites the same file instead of leaving an orphan next to a new one.
   */
  saveAt(key: string, data: StorageBody): Promise<StoredFile>;
  /** A stable, unguessable key for `seed` (keyed by the URL secret, so ids cannot be predicted). */
  derivedKey(folder: StorageFolder, seed: string, extension: FileExtension): string;
  /** The whole file; rejects when it is missing. */
  read(key: string): Promise<Buffer>;
  /** A stream of the file, or undefined when it is missing. */
  open(key: string): Promise<OpenedFile | undefined>;
  exists(key: string): Promise<boolean>;
  /** Removes files; missing files are not an error (deletes are retried and idempotent). */
  remove(...keys: Array<string | null | undefined>): Promise<void>;
  /** Every stored key, optionally of one folder (order unspecified). */
  list(folder?: StorageFolder): AsyncIterable<string>;
  /** The stable URL of a file: for private folders a plain URL that only the API can serve. */
  publicUrl(key: string): string;
  /**
   * A signed, expiring URL with no query string of its own (the client may append `?t=`); valid
   * for `ttlSeconds` (default FILE_URL_TTL_SECONDS), rounded up to the hour.
   */
  signedUrl(key: string, now?: number, ttlSeconds?: number): string;
  verifySignature(key: string, expires: number, signature: string, now?: number): boolean;
  /** Maps a URL this storage produced back to its key (public or signed form). */
  keyFromUrl(url: string): string | undefined;
  /** Releases connections (the process is shutting down). */
  close(): void;
}

/** Folders whose files are public for good (no owner can make them private again). */
export const ALWAYS_PUBLIC_FOLDERS: ReadonlySet<StorageFolder> = new Set([
  'templates',
  'profiles',
  'frames',
]);

const KEY_PATTERN = /^[a-z-]+\/[0-9a-f]{2}\/[0-9a-f]{32}\.(jpg|png|webp|svg|gif|mp4|zip)$/;

/** Key helpers that do not depend on a driver. */
export const FileStorage = {
  isValidKey(key: string): boolean {
    return KEY_PATTERN.test(key);
  },
  folderOf(key: string): StorageFolder {
    return key.split('/')[0] as StorageFolder;
  },
  /** `<folder>/<2 hex>/<id>.<ext>` for a 32-hex id. */
  keyFor(folder: StorageFolder, id: string, extension: FileExtension): string {
    return `${folder}/${id.slice(0, 2)}/${id}.${extension}`;
  },
} as const;

export interface StorageUrlOptions {
  /** The API's own base URL; files are served under `<base>/uploads/`. */
  publicBaseUrl: string;
  urlSecret: string;
  urlTtlSeconds: number;
  /**
   * A base URL (a CDN, or the bucket's public endpoint) that serves always-public files directly;
   * empty: the API serves them under `<publicBaseUrl>/uploads/`.
   */
  directPublicUrl?: string;
  /**
   * Keeps a record of keys whose removal failed, for a sweep job to retry (no orphans). When set,
   * remove() resolves once failures are recorded; without it, remove() rejects on a failure.
   */
  onRemoveFailed?: (keys: string[], error: unknown) => Promise<void>;
}

/**
 * URLs, signatures and key choice shared by every driver. Private files are reached through
 * signed, expiring URLs whose signature sits in the path, because the web client appends `?t=<ms>`
 * to some image URLs.
 */
export abstract class StorageUrls {
  protected constructor(protected readonly urls: StorageUrlOptions) {}

  abstract saveAt(key: string, data: StorageBody): Promise<StoredFile>;

  /** Writes a new file under a random key. */
  async save(
    folder: StorageFolder,
    extension: FileExtension,
    data: StorageBody,
  ): Promise<StoredFile> {
    return this.saveAt(
      FileStorage.keyFor(folder, randomBytes(16).toString('hex'), extension),
      data,
    );
  }

  derivedKey(folder: StorageFolder, seed: string, extension: FileExtension): string {
    const id = createHmac('sha256', this.urls.urlSecret)
      .update(`key:${folder}:${seed}`)
      .digest('hex')
      .slice(0, 32);
    return FileStorage.keyFor(folder, id, extension);
  }

  publicUrl(key: string): string {
    const direct = this.urls.directPublicUrl;
    if (direct && ALWAYS_PUBLIC_FOLDERS.has(FileStorage.folderOf(key))) return `${direct}/${key}`;
    return `${this.urls.publicBaseUrl}/uploads/${key}`;
  }

  signedUrl(
    key: string,
    now: number = Date.now(),
    ttlSeconds: number = this.urls.urlTtlSeconds,
  ): string {
    // Expiry is rounded up to the hour so repeated reads hand out the same, cacheable URL.
    const hour = 3600;
    const expires = Math.ceil((Math.floor(now / 1000) + ttlSeconds) / hour) * hour;
    return `${this.urls.publicBaseUrl}/uploads/s/${expires}/${this.sign(key, expires)}/${key}`;
  }

  verifySignature(
    key: string,
    expires: number,
    signature: string,
    now: number = Date.now(),
  ): boolean {
    if (!Number.isInteger(expires) || expires * 1000 < now) return false;
    const expected = Buffer.from(this.sign(key, expires));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  /**
   * Runs a driver's removal of each key; keys that fail go to onRemoveFailed (if set), so the
   * caller's committed document change is never undone by a storage hiccup.
   */
  protected async removeEach(
    keys: Array<string | null | undefined>,
    removeOne: (key: string) => Promise<unknown>,
    concurrency = 8,
  ): Promise<void> {
    const valid = [
      ...new Set(
        keys.filter((key): key is string => typeof key === 'string' && FileStorage.isValidKey(key)),
      ),
    ];
    const failed: string[] = [];
    let firstError: unknown;
    for (let i = 0; i < valid.length; i += concurrency) {
      const batch = valid.slice(i, i + concurrency);
      const results = await Promise.allSettled(batch.map((key) => removeOne(key)));
      results.forEach((result, index) => {
        if (result.status === 'fulfilled') return;
        failed.push(batch[index]!);
        firstError ??= result.reason;
      });
    }
    if (failed.length === 0) return;
    if (!this.urls.onRemoveFailed) throw firstError;
    await this.urls.onRemoveFailed(failed, firstError);
  }

  keyFromUrl(url: string): string | undefined {
    const direct = this.urls.directPublicUrl ? `${this.urls.directPublicUrl}/` : undefined;
    if (direct && url.startsWith(direct)) {
      const key = url.slice(direct.length).split('?')[0] ?? '';
      return FileStorage.isValidKey(key) ? key : undefined;
    }
    const prefix = `${this.urls.publicBaseUrl}/uploads/`;
    if (!url.startsWith(prefix)) return undefined;
    const rest = url.slice(prefix.length).split('?')[0] ?? '';
    const key = rest.startsWith('s/') ? rest.split('/').slice(3).join('/') : rest;
    return FileStorage.isValidKey(key) ? key : undefined;
  }

  private sign(key: string, expires: number): string {
    return createHmac('sha256', this.urls.urlSecret)
      .update(`${expires}:${key}`)
      .digest('base64url')
      .slice(0, 32);
  }
}
