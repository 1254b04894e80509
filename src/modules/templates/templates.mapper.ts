import type { Types } from 'mongoose';
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
  createdAt?: Date | null;
  updatedAt?: Date | null;
}

export function toTemplateDto(template: TemplateRecord): TemplateDto {
  return {
    _id: String(template._id),
    name: template.name,
    category: template.category ?? 'General',
    description: template.description ?? '',
    tags: template.tags ?? [],
    ...frameImageAndSlots(template),
    isPremium: template.isPremium === true,
    isActive: template.isActive !== false,
    isAIGenerated: template.isAIGenerated === true,
    createdBy: template.createdBy ? String(template.createdBy) : null,
    // The previous server's labels; a creator's real name is not exposed in the public gallery.
    creatorName: template.createdBy ? 'Community Creator' : 'Anonymous',
    visibility: template.visibility === 'private' ? 'private' : 'public',
    usageCount: template.usageCount ?? 0,
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
