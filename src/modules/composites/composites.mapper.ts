import type { Types } from 'mongoose';
import { FileStorage } from '../../lib/storage';
import type { FinalComposite } from '../../models';

export type CompositeRecord = FinalComposite & {
  _id: Types.ObjectId;
  createdAt?: Date;
  updatedAt?: Date;
};

export interface CompositeDto {
  _id: string;
  sessionId: string | null;
  userId: string;
  templateId: string | null;
  compositeUrl: string;
  thumbnailUrl: string | null;
  isPublic: boolean;
  shareEnabled: boolean;
  likes: number;
  views: number;
  metadata: Record<string, unknown>;
  source: string;
  createdAt?: Date;
  updatedAt?: Date;
}

/** Whether a composite's files may be served from their plain URL (FileAccess rule, §19.8). */
export function isOpenComposite(composite: {
  isPublic?: boolean | null;
  shareEnabled?: boolean | null;
}): boolean {
  return composite.isPublic === true || composite.shareEnabled === true;
}

/**
 * Public or link-shared composites get plain URLs (anyone may load them, and they cache well);
 * private ones get signed URLs, handed only to the owner (§19.12). An upload not yet normalised
 * (`incoming/`) is always signed: public listings and share links skip it, so only its owner gets
 * here. Migrated legacy composites whose files are elsewhere keep their stored URL.
 */
export function compositeFileUrl(
  storage: FileStorage,
  composite: { isPublic?: boolean | null; shareEnabled?: boolean | null },
  key: string | null | undefined,
  storedUrl: string | null | undefined,
): string | null {
  if (!key) return storedUrl ?? null;
  return isOpenComposite(composite) && FileStorage.folderOf(key) !== 'incoming'
    ? storage.publicUrl(key)
    : storage.signedUrl(key);
}

export function toCompositeDto(composite: CompositeRecord, storage: FileStorage): CompositeDto {
  return {
    _id: String(composite._id),
    sessionId: composite.sessionId ?? null,
    userId: composite.userId,
    templateId: composite.templateId ?? null,
    compositeUrl:
      compositeFileUrl(storage, composite, composite.compositeKey, composite.compositeUrl) ??
      composite.compositeUrl,
    thumbnailUrl: compositeFileUrl(
      storage,
      composite,
      composite.thumbnailKey,
      composite.thumbnailUrl,
    ),
    isPublic: composite.isPublic === true,
    shareEnabled: composite.shareEnabled === true,
    likes: composite.likes ?? 0,
    views: composite.views ?? 0,
    metadata: { ...(composite.metadata ?? {}) },
    source: composite.source,
    createdAt: composite.createdAt,
    updatedAt: composite.updatedAt,
  };
}

/** A composite's thumbnail key derives from its image key, so writers and deleters agree on it. */
export function compositeThumbnailKey(storage: FileStorage, compositeKey: string): string {
  return storage.derivedKey('composites', `thumb:${compositeKey}`, 'webp');
}

/** Every file a composite may own, including a thumbnail a job is writing right now. */
export function compositeFileKeys(
  storage: FileStorage,
  composite: { compositeKey?: string | null; thumbnailKey?: string | null },
): string[] {
  const keys = [composite.compositeKey, composite.thumbnailKey];
  if (composite.compositeKey) keys.push(compositeThumbnailKey(storage, composite.compositeKey));
  return keys.filter((key): key is string => typeof key === 'string' && key.length > 0);
}
