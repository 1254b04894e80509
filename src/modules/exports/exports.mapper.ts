import type { Types } from 'mongoose';
import type { FileStorage } from '../../lib/storage';
import type { GalleryExport } from '../../models';

export type ExportRecord = GalleryExport & {
  _id: Types.ObjectId;
  createdAt?: Date;
  updatedAt?: Date;
};

export interface ExportDto {
  _id: string;
  status: string;
  progress: number;
  itemCount: number | null;
  fileSize: number | null;
  /** A signed link that stops working at `expiresAt`; null until done or once expired. */
  downloadUrl: string | null;
  expiresAt: Date | null;
  expired: boolean;
  error?: string;
  createdAt?: Date;
}

export function toExportDto(
  record: ExportRecord,
  storage: FileStorage,
  now: number = Date.now(),
): ExportDto {
  const expiresAt = record.expiresAt ?? null;
  const expired = expiresAt !== null && expiresAt.getTime() <= now;
  const ready = record.status === 'completed' && record.fileKey && expiresAt && !expired;
  return {
    _id: String(record._id),
    status: record.status,
    progress: record.progress ?? 0,
    itemCount: record.itemCount ?? null,
    fileSize: record.fileSize ?? null,
    downloadUrl: ready
      ? storage.signedUrl(
          record.fileKey as string,
          now,
          Math.floor((expiresAt.getTime() - now) / 1000),
        )
      : null,
    expiresAt,
    expired,
    ...(record.status === 'failed' && record.error ? { error: record.error } : {}),
    createdAt: record.createdAt,
  };
}

export function exportFileKey(storage: FileStorage, exportId: string): string {
  return storage.derivedKey('exports', `export:${exportId}`, 'zip');
}
