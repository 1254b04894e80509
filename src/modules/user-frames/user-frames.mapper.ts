import type { Types } from 'mongoose';
import {
  frameImageAndSlots,
  type LayoutSlot,
  type StoredFrameImage,
} from '../../models/schema-helpers';

export interface UserFrameRecord extends StoredFrameImage {
  _id: Types.ObjectId;
  userId: string;
  name: string;
  description?: string | null;
  category?: string | null;
  tags?: string[] | null;
  frameSpec?: unknown;
  isActive?: boolean | null;
  isFavorite?: boolean | null;
  usageCount?: number | null;
  createdAt?: Date | null;
  updatedAt?: Date | null;
}

/**
 * A user's own frame as the client reads it: `/user-frames` (#44/#45) and `/ai/my-frames` (#42,
 * which reads the generator input as `aiFrameSpec`). Frames are private to their owner, so the
 * client is told so (`visibility`, `isPremium:false`).
 */
export interface UserFrameDto {
  _id: string;
  id: string;
  name: string;
  description: string;
  category: string;
  tags: string[];
  thumbnail: string;
  frameUrl: string;
  frameCount: number;
  layoutPositions: LayoutSlot[];
  canvasWidth: number | null;
  canvasHeight: number | null;
  frameSpec: Record<string, unknown>;
  aiFrameSpec: Record<string, unknown>;
  isAIGenerated: true;
  isPremium: false;
  visibility: 'private';
  isActive: boolean;
  isFavorite: boolean;
  usageCount: number;
  createdAt: Date | null;
  updatedAt: Date | null;
}

export function toUserFrameDto(frame: UserFrameRecord): UserFrameDto {
  const spec = isRecord(frame.frameSpec) ? { ...frame.frameSpec } : {};
  return {
    _id: String(frame._id),
    id: String(frame._id),
    name: frame.name,
    description: frame.description ?? '',
    category: frame.category ?? 'AI Generated',
    tags: frame.tags ?? [],
    ...frameImageAndSlots(frame),
    frameSpec: spec,
    aiFrameSpec: spec,
    isAIGenerated: true,
    isPremium: false,
    visibility: 'private',
    isActive: frame.isActive !== false,
    isFavorite: frame.isFavorite === true,
    usageCount: frame.usageCount ?? 0,
    createdAt: frame.createdAt ?? null,
    updatedAt: frame.updatedAt ?? null,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
