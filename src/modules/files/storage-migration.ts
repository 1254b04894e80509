import mongoose from 'mongoose';
import type { Logger } from '../../lib/logger';
import type { FileStorage } from '../../lib/storage';
// Registers every model, so stored URLs are found in all collections.
import '../../models';

export interface StorageMigrationDeps {
  /** Where the files are now (the local driver on UPLOADS_DIR). */
  source: FileStorage;
  /** Where they go (the configured bucket). */
  target: FileStorage;
  /** The API's base URL: stored URLs may be absolute (`<base>/uploads/…`) or relative. */
  publicBaseUrl: string;
  logger?: Logger;
  /** Called after each file is copied (progress; tests interrupt a run from here). */
  onCopied?: (key: string) => void | Promise<void>;
}

export interface StorageMigrationReport {
  /** Files copied by this run. */
  copied: number;
  /** Files already in the target (an earlier, maybe interrupted, run copied them). */
  alreadyThere: number;
  /** Stored URLs changed to the target's public URL of the same key. */
  urlsRewritten: number;
}

/** Fields that hold file URLs (e.g. frameUrl, thumbnail, thumbnailUrl, profilePicture). */
const URL_FIELD = /(url|thumbnail|picture)$/i;

/**
 * Copies every stored file from `source` to `target` under the same key, then rewrites stored
 * URLs whose public form differs on the target (e.g. always-public files behind
 * STORAGE_PUBLIC_URL, or old relative `/uploads/…` URLs). Resumable and idempotent: a key already
 * in the target is complete (writes are atomic) and skipped; a URL is only rewritten while it
 * still holds the old value, and only once its file is in the target. Signed URLs are left as
 * they are: the API serves them from either driver.
 */
export async function migrateStorage(deps: StorageMigrationDeps): Promise<StorageMigrationReport> {
  const report: StorageMigrationReport = { copied: 0, alreadyThere: 0, urlsRewritten: 0 };
  for await (const key of deps.source.list()) {
    if (await deps.target.exists(key)) {
      report.alreadyThere += 1;
      continue;
    }
    const file = await deps.source.open(key);
    if (!file) continue; // removed meanwhile
    await deps.target.saveAt(key, file.body);
    report.copied += 1;
    await deps.onCopied?.(key);
  }
  deps.logger?.info({ ...report }, 'storage migration: files copied');

  const base = deps.publicBaseUrl;
  for (const name of mongoose.modelNames()) {
    const model = mongoose.model(name);
    const fields = Object.entries(model.schema.paths)
      .filter(([field, type]) => type.instance === 'String' && URL_FIELD.test(field))
      .map(([field]) => field);
    for (const field of fields) {
      const cursor = model
        .find({ [field]: mongoose.trusted({ $regex: `^(${escapeRegex(base)})?/uploads/` }) })
        .select(field)
        .lean<Array<Record<string, unknown>>>()
        .cursor();
      for await (const doc of cursor) {
        const url = readPath(doc, field);
        if (typeof url !== 'string') continue;
        const absolute = url.startsWith('/') ? `${base}${url}` : url;
        const key = deps.source.keyFromUrl(absolute);
        // Only the plain (public-form) URL of a key is rewritten; signed ones keep working.
        if (!key || absolute !== deps.source.publicUrl(key)) continue;
        const next = deps.target.publicUrl(key);
        if (next === url || !(await deps.target.exists(key))) continue;
        const result = await model.updateOne(
          { _id: doc._id, [field]: url },
          { $set: { [field]: next } },
          { timestamps: false },
        );
        report.urlsRewritten += result.modifiedCount;
      }
    }
  }
  deps.logger?.info({ ...report }, 'storage migration: done');
  return report;
}

function readPath(doc: Record<string, unknown>, field: string): unknown {
  return field
    .split('.')
    .reduce<unknown>(
      (value, part) =>
        value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined,
      doc,
    );
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
