import type { Types } from 'mongoose';
import type { FileStorage } from '../../lib/storage';
import {
  withSlotDefaults,
  type LayoutSlot,
  type StoredLayoutSlot,
} from '../../models/schema-helpers';

export interface SubmissionRecord {
  _id: Types.ObjectId;
  userId: string;
  name: string;
  description?: string | null;
  frameUrl: string;
  thumbnail: string;
  frameKey?: string | null;
  thumbnailKey?: string | null;
  previewKey?: string | null;
  processing?: boolean | null;
  /** Unknown (null) while a frame sent without slots waits for its holes to be found. */
  frameCount?: number | null;
  layout?: string | null;
  frameSpec?: unknown;
  layoutPositions: StoredLayoutSlot[];
  suggestedLayoutPositions?: StoredLayoutSlot[] | null;
  canvasWidth?: number | null;
  canvasHeight?: number | null;
  status: string;
  isPremium?: boolean | null;
  rejectionReason?: string | null;
  approvedAt?: Date | null;
  approvedBy?: Types.ObjectId | null;
  rejectedAt?: Date | null;
  rejectedBy?: Types.ObjectId | null;
  templateId?: Types.ObjectId | null;
  createdAt?: Date | null;
  updatedAt?: Date | null;
}

/** A submission as its owner sees it (CONTRACT #46–#47). Files are private: URLs are signed. */
export interface SubmissionDto {
  _id: string;
  name: string;
  description: string;
  frameUrl: string;
  thumbnail: string;
  /** True until the frame is normalised and its photo holes found (approval waits for it). */
  processing: boolean;
  frameCount: number | null;
  layout: string | null;
  frameSpec: Record<string, unknown>;
  layoutPositions: LayoutSlot[];
  /** The transparent holes of the frame, when the sent slots miss them (a correction to offer). */
  suggestedLayoutPositions: LayoutSlot[] | null;
  canvasWidth: number | null;
  canvasHeight: number | null;
  status: string;
  isPremium: boolean;
  rejectionReason: string | null;
  templateId: string | null;
  approvedAt: Date | null;
  rejectedAt: Date | null;
  createdAt: Date | null;
  updatedAt: Date | null;
}

export interface SubmitterDto {
  _id: string;
  name: string;
  /** The admin page reads `username` (CONTRACT §19.6). */
  username: string;
  email: string;
  isDeleted: boolean;
}

/** The admin queue's row (#49): the submitter populated, and the sample-photo preview. */
export interface ModerationDto extends SubmissionDto {
  userId: SubmitterDto;
  previewUrl: string | null;
  approvedBy: string | null;
  rejectedBy: string | null;
}

export function toSubmissionDto(record: SubmissionRecord, storage: FileStorage): SubmissionDto {
  const frameUrl = record.frameKey ? storage.signedUrl(record.frameKey) : record.frameUrl;
  return {
    _id: String(record._id),
    name: record.name,
    description: record.description ?? '',
    frameUrl,
    thumbnail: record.thumbnailKey ? storage.signedUrl(record.thumbnailKey) : frameUrl,
    processing: record.processing === true,
    frameCount: record.frameCount ?? null,
    layout: record.layout ?? null,
    frameSpec: isRecord(record.frameSpec) ? { ...record.frameSpec } : {},
    layoutPositions: record.layoutPositions.map(withSlotDefaults),
    suggestedLayoutPositions: record.suggestedLayoutPositions?.length
      ? record.suggestedLayoutPositions.map(withSlotDefaults)
      : null,
    canvasWidth: record.canvasWidth ?? null,
    canvasHeight: record.canvasHeight ?? null,
    status: record.status,
    isPremium: record.isPremium === true,
    rejectionReason: record.rejectionReason ?? null,
    templateId: record.templateId ? String(record.templateId) : null,
    approvedAt: record.approvedAt ?? null,
    rejectedAt: record.rejectedAt ?? null,
    createdAt: record.createdAt ?? null,
    updatedAt: record.updatedAt ?? null,
  };
}

/** The stand-in for a submitter whose account is gone (CONTRACT §7.1: the page must not crash). */
export function missingSubmitter(userId: string): SubmitterDto {
  return {
    _id: userId,
    name: 'Deleted user',
    username: 'Deleted user',
    email: '',
    isDeleted: true,
  };
}

export function toModerationDto(
  record: SubmissionRecord,
  submitter: SubmitterDto,
  storage: FileStorage,
): ModerationDto {
  return {
    ...toSubmissionDto(record, storage),
    userId: submitter,
    previewUrl: record.previewKey ? storage.signedUrl(record.previewKey) : null,
    approvedBy: record.approvedBy ? String(record.approvedBy) : null,
    rejectedBy: record.rejectedBy ? String(record.rejectedBy) : null,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
