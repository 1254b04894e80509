import type { FileStorage, StorageFolder } from '../../src/lib/storage';

/** Every stored file, as storage keys (whichever driver the context uses). */
export async function storedKeys(storage: FileStorage, folder?: StorageFolder): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of storage.list(folder)) keys.push(key);
  return keys;
}
