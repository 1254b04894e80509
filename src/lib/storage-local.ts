import { randomBytes } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  FileStorage,
  StorageUrls,
  type OpenedFile,
  type StorageBody,
  type StorageFolder,
  type StorageUrlOptions,
  type StoredFile,
} from './storage';

export interface LocalStorageOptions extends StorageUrlOptions {
  root: string;
}

/** Files on local disk under one root: random names, atomic writes (temp file + rename). */
export class LocalFileStorage extends StorageUrls implements FileStorage {
  constructor(private readonly options: LocalStorageOptions) {
    super(options);
  }

  get root(): string {
    return this.options.root;
  }

  async saveAt(key: string, data: StorageBody): Promise<StoredFile> {
    const target = this.pathOf(key);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      let size: number;
      if (Buffer.isBuffer(data)) {
        await fs.writeFile(temp, data, { flag: 'wx' });
        size = data.length;
      } else {
        const out = createWriteStream(temp, { flags: 'wx' });
        await pipeline(data, out);
        size = out.bytesWritten;
      }
      await fs.rename(temp, target);
      return { key, size };
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
  }

  async read(key: string): Promise<Buffer> {
    return fs.readFile(this.pathOf(key));
  }

  async open(key: string): Promise<OpenedFile | undefined> {
    if (!FileStorage.isValidKey(key)) return undefined;
    const handle = await fs.open(this.pathOf(key), 'r').catch(() => undefined);
    if (!handle) return undefined;
    const stat = await handle.stat().catch(async (error: unknown) => {
      await handle.close();
      throw error;
    });
    if (!stat.isFile()) {
      await handle.close();
      return undefined;
    }
    return {
      body: handle.createReadStream({ autoClose: true }),
      size: stat.size,
      lastModified: stat.mtime,
      // The same weak validator express's sendFile used for these files.
      etag: `W/"${stat.size.toString(16)}-${stat.mtime.getTime().toString(16)}"`,
    };
  }

  async exists(key: string): Promise<boolean> {
    if (!FileStorage.isValidKey(key)) return false;
    return fs
      .stat(this.pathOf(key))
      .then((s) => s.isFile())
      .catch(() => false);
  }

  async remove(...keys: Array<string | null | undefined>): Promise<void> {
    await this.removeEach(keys, (key) => fs.rm(this.pathOf(key), { force: true }));
  }

  async *list(folder?: StorageFolder): AsyncIterable<string> {
    const base = folder ? path.join(this.options.root, folder) : this.options.root;
    const entries = await fs
      .readdir(base, { recursive: true, withFileTypes: true })
      .catch(() => []);
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const key = path
        .relative(this.options.root, path.join(entry.parentPath, entry.name))
        .split(path.sep)
        .join('/');
      if (FileStorage.isValidKey(key)) yield key;
    }
  }

  close(): void {
    // Nothing held open between calls.
  }

  /** The file's path on disk (local driver only; tests and the migration read it). */
  pathOf(key: string): string {
    if (!FileStorage.isValidKey(key)) throw new Error(`Invalid storage key: ${key}`);
    return path.join(this.options.root, key);
  }
}
