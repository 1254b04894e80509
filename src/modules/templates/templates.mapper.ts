import type { Types } from 'mongoose';
import { ALWAYS_PUBLIC_FOLDERS, FileStorage } from '../../lib/storage';
import { frameImageAndSlots, type StoredFrameImage } from '../../models/schema-helpers';
import type { UserFrameRecord } from '../user-frames/user-frames.mapper';

export interface SlotDto {
  x: number;
  y: number;
  width: number;
  height: number;
  borderRadius: number;
  rotation: number;
}

/** A template as the web client reads it (CONTRACT §6 #18/#19, with isAIGenerated per §19.4). */
export interface TemplateDto {
  _id: string;
  name: string;
  category: string;
  description: string;
  tags: string[];
  thumbnail: string;
  frameUrl: string;
  isPremium: boolean;
  frameCount: number;
  layoutPositions: SlotDto[];
  canvasWidth: number | null;
  canvasHeight: number | null;
  isActive: boolean;
  isAIGenerated: boolean;
  createdBy: string | null;
  creatorName: string;
  visibility: 'public' | 'private';
  usageCount: number;
  /** True until an uploaded raster frame has been normalised (admins only see such a template). */
  processing: boolean;
  processingError: string | null;
  createdAt: Date | null;
  updatedAt: Date | null;
}

export interface TemplateRecord extends StoredFrameImage {
  _id: Types.ObjectId;
  name: string;
  category?: string | null;
  description?: string | null;
  tags?: string[] | null;
  isPremium?: boolean | null;
  isActive?: boolean | null;
  isAIGenerated?: boolean | null;
  createdBy?: Types.ObjectId | string | null;
  visibility?: string | null;
  usageCount?: number | null;
  processing?: boolean | null;
  processingError?: string | null;
  createdAt?: Date | null;
  updatedAt?: Date | null;
}

/**
 * `storage` is given only where the caller may see a template still being processed (admins):
 * its frame then sits in a private folder and is answered as a signed URL.
 */
export function toTemplateDto(template: TemplateRecord, storage?: FileStorage): TemplateDto {
  const fileUrl = (url: string): string => {
    const key = storage?.keyFromUrl(url);
    return storage && key && !ALWAYS_PUBLIC_FOLDERS.has(FileStorage.folderOf(key))
      ? storage.signedUrl(key)
      : url;
  };
  return {
    _id: String(template._id),
    name: template.name,
    category: template.category ?? 'General',
    description: template.description ?? '',
    tags: template.tags ?? [],
    ...frameImageAndSlots(template),
    thumbnail: fileUrl(template.thumbnail || template.frameUrl),
    frameUrl: fileUrl(template.frameUrl),
    isPremium: template.isPremium === true,
    isActive: template.isActive !== false,
    isAIGenerated: template.isAIGenerated === true,
    createdBy: template.createdBy ? String(template.createdBy) : null,
    // The previous server's labels; a creator's real name is not exposed in the public gallery.
    creatorName: template.createdBy ? 'Community Creator' : 'Anonymous',
    visibility: template.visibility === 'private' ? 'private' : 'public',
    usageCount: template.usageCount ?? 0,
    processing: template.processing === true,
    processingError: template.processingError ?? null,
    createdAt: template.createdAt ?? null,
    updatedAt: template.updatedAt ?? null,
  };
}

/** The caller's own AI frame answered in the template shape (CONTRACT §19.19). */
export function userFrameToTemplateDto(frame: UserFrameRecord): TemplateDto {
  return toTemplateDto({
    ...frame,
    category: frame.category ?? 'AI Generated',
    isPremium: false,
    isAIGenerated: true,
    createdBy: frame.userId,
    visibility: 'private',
  });
}
