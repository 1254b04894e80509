import type { FileStorage } from '../../src/lib/storage';

/** Every stored file under the uploads root, as storage keys. */
export async function storedKeys(storage: FileStorage, folder?: string): Promise<string[]> {
  const { readdir } = await import('node:fs/promises');
  const entries = await readdir(storage.root, { recursive: true, withFileTypes: true }).catch(
    () => [],
  );
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => `${entry.parentPath}/${entry.name}`.slice(storage.root.length + 1))
    .filter((key) => !folder || key.startsWith(`${folder}/`));
}
