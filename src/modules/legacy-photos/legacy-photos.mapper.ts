import type { Types } from 'mongoose';
import type { FileStorage } from '../../lib/storage';
import type { Photo } from '../../models';

export type PhotoRecord = Photo & { _id: Types.ObjectId; createdAt?: Date; updatedAt?: Date };

export interface LegacyPhotoDto {
  _id: string;
  userId: string;
  title: string | null;
  description: string | null;
  imageUrl: string;
  thumbnailUrl: string | null;
  isPublic: boolean;
  templateId: string | null;
  views: number;
  likes: number;
  createdAt?: Date;
  updatedAt?: Date;
}

/**
 * Old rows hold relative `/uploads/...` URLs or URLs of other hosts; relative ones are made
 * absolute (§19.12), and files in this API's storage are signed unless the photo is public.
 */
export function legacyFileUrl(
  storage: FileStorage,
  publicBaseUrl: string,
  url: string | null | undefined,
  isPublic: boolean,
): string | null {
  if (!url) return null;
  const absolute = url.startsWith('/') ? `${publicBaseUrl}${url}` : url;
  const key = storage.keyFromUrl(absolute);
  if (!key) return absolute;
  return isPublic ? storage.publicUrl(key) : storage.signedUrl(key);
}

export function toLegacyPhotoDto(
  photo: PhotoRecord,
  storage: FileStorage,
  publicBaseUrl: string,
): LegacyPhotoDto {
  const isPublic = photo.isPublic === true;
  return {
    _id: String(photo._id),
    userId: String(photo.userId),
    title: photo.title ?? null,
    description: photo.description ?? null,
    imageUrl: legacyFileUrl(storage, publicBaseUrl, photo.imageUrl, isPublic) ?? photo.imageUrl,
    thumbnailUrl: legacyFileUrl(storage, publicBaseUrl, photo.thumbnailUrl, isPublic),
    isPublic,
    templateId: photo.templateId ?? null,
    views: photo.views ?? 0,
    likes: photo.likes ?? 0,
    createdAt: photo.createdAt,
    updatedAt: photo.updatedAt,
  };
}
