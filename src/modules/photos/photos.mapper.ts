import type { Types } from 'mongoose';
import type { FileStorage } from '../../lib/storage';
import type { CapturedPhoto } from '../../models';

export type CaptureRecord = CapturedPhoto & {
  _id: Types.ObjectId;
  createdAt?: Date;
  updatedAt?: Date;
};

export interface CaptureDto {
  _id: string;
  sessionId: string;
  userId: string;
  photoUrl: string;
  thumbnailUrl: string | null;
  order: number;
  slot: number | null;
  metadata: Record<string, unknown>;
  createdAt?: Date;
  updatedAt?: Date;
}

/** Captures are private: their URLs are signed for the caller (owner or admin), never plain (§19.12). */
export function toCaptureDto(capture: CaptureRecord, storage: FileStorage): CaptureDto {
  return {
    _id: String(capture._id),
    sessionId: capture.sessionId,
    userId: capture.userId,
    photoUrl: capture.photoKey ? storage.signedUrl(capture.photoKey) : capture.photoUrl,
    thumbnailUrl: capture.thumbnailKey ? storage.signedUrl(capture.thumbnailKey) : null,
    order: capture.order,
    slot: capture.slot ?? null,
    metadata: { ...(capture.metadata ?? {}) },
    createdAt: capture.createdAt,
    updatedAt: capture.updatedAt,
  };
}

/** The thumbnail of a capture has a key derived from the capture's, so every writer and deleter agrees on it. */
export function captureThumbnailKey(storage: FileStorage, photoKey: string): string {
  return storage.derivedKey('captures', `thumb:${photoKey}`, 'webp');
}
