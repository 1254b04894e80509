import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

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

export type StoredExtension = 'jpg' | 'png' | 'webp' | 'svg' | 'gif' | 'mp4' | 'zip';

export interface StoredFile {
  key: string;
  size: number;
}

export interface StorageOptions {
  root: string;
  publicBaseUrl: string;
  urlSecret: string;
  urlTtlSeconds: number;
}

const KEY_PATTERN = /^[a-z-]+\/[0-9a-f]{2}\/[0-9a-f]{32}\.(jpg|png|webp|svg|gif|mp4|zip)$/;

/**
 * Local file storage: random names, atomic writes (temp file + rename), absolute URLs. Private
 * files are reached through signed, expiring URLs whose signature sits in the path, because the
 * web client appends `?t=<ms>` to some image URLs.
 */
export class FileStorage {
  constructor(private readonly options: StorageOptions) {}

  get root(): string {
    return this.options.root;
  }

  async save(folder: StorageFolder, extension: StoredExtension, data: Buffer): Promise<StoredFile> {
    const id = randomBytes(16).toString('hex');
    return this.saveAt(`${folder}/${id.slice(0, 2)}/${id}.${extension}`, data);
  }

  /**
   * Writes to a key the caller derived (see derivedKey), replacing any earlier file: a retried job
   * rewrites the same file instead of leaving an orphan next to a new one.
   */
  async saveAt(key: string, data: Buffer): Promise<StoredFile> {
    const target = this.pathOf(key);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await fs.writeFile(temp, data, { flag: 'wx' });
      await fs.rename(temp, target);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
    return { key, size: data.length };
  }

  /**
   * Streams `source` to `key` (temp file, then rename) without holding it in memory, for files
   * too large to buffer such as gallery exports.
   */
  async saveStreamAt(key: string, source: Readable): Promise<StoredFile> {
    const target = this.pathOf(key);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      const sink = createWriteStream(temp, { flags: 'wx' });
      await pipeline(source, sink);
      await fs.rename(temp, target);
      return { key, size: sink.bytesWritten };
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
  }

  /** Opens a stored file for reading without loading it whole. */
  openRead(key: string): Readable {
    return createReadStream(this.pathOf(key));
  }

  /** A stable, unguessable key for `seed` (keyed by the URL secret, so ids cannot be predicted). */
  derivedKey(folder: StorageFolder, seed: string, extension: StoredExtension): string {
    const id = createHmac('sha256', this.options.urlSecret)
      .update(`key:${folder}:${seed}`)
      .digest('hex')
      .slice(0, 32);
    return `${folder}/${id.slice(0, 2)}/${id}.${extension}`;
  }

  async read(key: string): Promise<Buffer> {
    return fs.readFile(this.pathOf(key));
  }

  async exists(key: string): Promise<boolean> {
    if (!FileStorage.isValidKey(key)) return false;
    return fs
      .stat(this.pathOf(key))
      .then((s) => s.isFile())
      .catch(() => false);
  }

  /** Removes files; missing files are not an error (deletes are retried and idempotent). */
  async remove(...keys: Array<string | null | undefined>): Promise<void> {
    await Promise.all(
      keys
        .filter((key): key is string => typeof key === 'string' && FileStorage.isValidKey(key))
        .map((key) => fs.rm(this.pathOf(key), { force: true })),
    );
  }

  publicUrl(key: string): string {
    return `${this.options.publicBaseUrl}/uploads/${key}`;
  }

  signedUrl(
    key: string,
    now: number = Date.now(),
    ttlSeconds: number = this.options.urlTtlSeconds,
  ): string {
    // Expiry is rounded up to the hour so repeated reads hand out the same, cacheable URL.
    const hour = 3600;
    const expires = Math.ceil((Math.floor(now / 1000) + ttlSeconds) / hour) * hour;
    return `${this.options.publicBaseUrl}/uploads/s/${expires}/${this.sign(key, expires)}/${key}`;
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

  pathOf(key: string): string {
    if (!FileStorage.isValidKey(key)) throw new Error(`Invalid storage key: ${key}`);
    return path.join(this.options.root, key);
  }

  /** Maps a URL this storage produced back to its key (public or signed form). */
  keyFromUrl(url: string): string | undefined {
    const prefix = `${this.options.publicBaseUrl}/uploads/`;
    if (!url.startsWith(prefix)) return undefined;
    const rest = url.slice(prefix.length).split('?')[0] ?? '';
    const key = rest.startsWith('s/') ? rest.split('/').slice(3).join('/') : rest;
    return FileStorage.isValidKey(key) ? key : undefined;
  }

  static isValidKey(key: string): boolean {
    return KEY_PATTERN.test(key);
  }

  static folderOf(key: string): StorageFolder {
    return key.split('/')[0] as StorageFolder;
  }

  private sign(key: string, expires: number): string {
    return createHmac('sha256', this.options.urlSecret)
      .update(`${expires}:${key}`)
      .digest('base64url')
      .slice(0, 32);
  }
}
