import mongoose from 'mongoose';
import { TemplateModel, UserGeneratedFrameModel } from '../../models';
import type { StoredLayoutSlot } from '../../models/schema-helpers';

export interface FrameSource {
  kind: 'template' | 'user-frame';
  id: string;
  name: string;
  isPremium: boolean;
  isActive: boolean;
  /** The template's uploaded frame is not normalised yet: no session may use it. */
  processing: boolean;
  frameUrl: string;
  frameCount: number;
  layoutPositions: StoredLayoutSlot[];
  canvasWidth?: number | null;
  canvasHeight?: number | null;
  updatedAt?: Date | null;
}

/**
 * What a session's free-form templateId (CONTRACT §19.17, §19.19) points at: a Template the user
 * may see, or one of the user's own generated frames. Anything else (e.g. `ai-generated-<ts>`)
 * resolves to nothing and is kept as the client sent it.
 */
export async function resolveFrameSource(
  userId: string,
  templateId: string,
): Promise<FrameSource | null> {
  if (!mongoose.isValidObjectId(templateId) || !/^[0-9a-f]{24}$/i.test(templateId)) return null;
  const template = await TemplateModel.findById(templateId)
    .select(
      'name isPremium isActive processing visibility createdBy frameUrl frameCount layoutPositions canvasWidth canvasHeight updatedAt',
    )
    .lean();
  if (template) {
    if (template.visibility === 'private' && String(template.createdBy) !== userId) return null;
    return {
      kind: 'template',
      id: String(template._id),
      name: template.name,
      isPremium: template.isPremium === true,
      isActive: template.isActive !== false,
      processing: template.processing === true,
      frameUrl: template.frameUrl,
      frameCount: template.frameCount,
      layoutPositions: template.layoutPositions,
      canvasWidth: template.canvasWidth,
      canvasHeight: template.canvasHeight,
      updatedAt: template.updatedAt,
    };
  }
  const frame = await UserGeneratedFrameModel.findOne({ _id: templateId, userId })
    .select('name isActive frameUrl frameCount layoutPositions canvasWidth canvasHeight updatedAt')
    .lean();
  if (!frame) return null;
  return {
    kind: 'user-frame',
    id: String(frame._id),
    name: frame.name,
    isPremium: false,
    isActive: frame.isActive !== false,
    processing: false,
    frameUrl: frame.frameUrl,
    frameCount: frame.frameCount,
    layoutPositions: frame.layoutPositions,
    canvasWidth: frame.canvasWidth,
    canvasHeight: frame.canvasHeight,
    updatedAt: frame.updatedAt,
  };
}

/** A 24-hex id that matches no Template or own frame is a dangling reference, not a free-form name. */
export function looksLikeObjectId(value: string): boolean {
  return /^[0-9a-f]{24}$/i.test(value);
}
