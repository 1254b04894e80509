import { ALWAYS_PUBLIC_FOLDERS, FileStorage, type StorageFolder } from '../../lib/storage';

/** Decides whether a file may be served from its plain (unsigned) URL. */
export type FileAccessRule = (key: string) => Promise<boolean>;

/**
 * Public folders are served to anyone. Everything else (captures, composites, payment proofs)
 * needs a signed URL unless a domain registers a rule that says a given file is public, e.g. the
 * gallery for a composite that its owner made public.
 */
export class FileAccess {
  private readonly rules = new Map<StorageFolder, FileAccessRule>();

  register(folder: StorageFolder, rule: FileAccessRule): void {
    this.rules.set(folder, rule);
  }

  /** 'static': public for good; 'dynamic': public now but may turn private; 'private'. */
  async check(key: string): Promise<'static' | 'dynamic' | 'private'> {
    if (!FileStorage.isValidKey(key)) return 'private';
    const folder = FileStorage.folderOf(key);
    if (ALWAYS_PUBLIC_FOLDERS.has(folder)) return 'static';
    const rule = this.rules.get(folder);
    return rule && (await rule(key)) ? 'dynamic' : 'private';
  }
}
