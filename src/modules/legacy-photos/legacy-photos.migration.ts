import { FinalCompositeModel, PhotoModel } from '../../models';
import type { FileStorage } from '../../lib/storage';

export interface MigrationReport {
  scanned: number;
  created: number;
  alreadyMigrated: number;
  failed: Array<{ photoId: string; reason: string }>;
}

const FORMAT_OF: Record<string, string> = {
  jpg: 'jpeg',
  jpeg: 'jpeg',
  png: 'png',
  webp: 'webp',
  gif: 'gif',
};

/**
 * Copies every deprecated Photo into FinalComposite (source 'legacy'). Each copy is an upsert on
 * the unique legacyPhotoId, so running it again, or twice at once, creates nothing new. Photos
 * stay in place for the legacy routes; the composite keeps the photo's dates, counters and file.
 */
export async function migrateLegacyPhotos(deps: {
  storage: FileStorage;
  publicBaseUrl: string;
}): Promise<MigrationReport> {
  const report: MigrationReport = { scanned: 0, created: 0, alreadyMigrated: 0, failed: [] };
  const cursor = PhotoModel.find().sort({ _id: 1 }).lean().cursor();
  for await (const photo of cursor) {
    report.scanned += 1;
    const photoId = String(photo._id);
    const imageUrl = absolute(photo.imageUrl, deps.publicBaseUrl);
    const thumbnailUrl = photo.thumbnailUrl
      ? absolute(photo.thumbnailUrl, deps.publicBaseUrl)
      : null;
    const extension = /\.(\w+)(?:$|\?)/.exec(imageUrl)?.[1]?.toLowerCase() ?? '';
    const now = new Date();
    const fields = {
      userId: String(photo.userId),
      templateId: photo.templateId,
      compositeUrl: imageUrl,
      thumbnailUrl,
      compositeKey: deps.storage.keyFromUrl(imageUrl),
      thumbnailKey: thumbnailUrl ? deps.storage.keyFromUrl(thumbnailUrl) : undefined,
      isPublic: photo.isPublic === true,
      shareEnabled: false,
      likes: photo.likes ?? 0,
      views: photo.views ?? 0,
      metadata: {
        format: FORMAT_OF[extension],
        photosUsed: 1,
        templateName: photo.title ?? undefined,
      },
      source: 'legacy',
      legacyPhotoId: photoId,
      createdAt: photo.createdAt ?? now,
      updatedAt: photo.updatedAt ?? now,
    };
    try {
      const result = await FinalCompositeModel.updateOne(
        { legacyPhotoId: photoId },
        { $setOnInsert: dropUndefined(fields) },
        { upsert: true, timestamps: false, runValidators: true },
      );
      if (result.upsertedCount > 0) report.created += 1;
      else report.alreadyMigrated += 1;
    } catch (error) {
      if ((error as { code?: unknown }).code === 11000) report.alreadyMigrated += 1;
      else
        report.failed.push({
          photoId,
          reason: error instanceof Error ? error.message : String(error),
        });
    }
  }
  return report;
}

function absolute(url: string, publicBaseUrl: string): string {
  return url.startsWith('/') ? `${publicBaseUrl}${url}` : url;
}

function dropUndefined(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    out[key] =
      value && typeof value === 'object' && !(value instanceof Date)
        ? dropUndefined(value as Record<string, unknown>)
        : value;
  }
  return out;
}
