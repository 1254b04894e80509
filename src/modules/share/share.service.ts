import mongoose from 'mongoose';
import QRCode from 'qrcode';
import type { Config } from '../../config';
import { AppError } from '../../lib/errors';
import type { FileStorage } from '../../lib/storage';
import type { AuthUser } from '../../lib/auth-user';
import { FinalCompositeModel, TemplateModel } from '../../models';
import {
  toCompositeDto,
  type CompositeDto,
  type CompositeRecord,
} from '../composites/composites.mapper';
import { withAnimations } from '../composites/composites.service';

export interface ShareDeps {
  config: Readonly<Config>;
  storage: FileStorage;
}

export function shareUrlOf(config: Readonly<Config>, compositeId: string): string {
  return `${config.frontendUrl}/share/${compositeId}`;
}

/**
 * The owner's share link (CONTRACT #30, §19.8): turns on unlisted link sharing, so the link works
 * for anyone while the composite stays out of Explore. Another user's composite answers 404.
 */
export async function shareComposite(
  actor: AuthUser,
  compositeId: string,
  deps: ShareDeps,
): Promise<{
  composite: CompositeDto;
  shareUrl: string;
  shareLink: string;
  shareCode: string;
  qrCode: string;
}> {
  const composite = await FinalCompositeModel.findOneAndUpdate(
    { _id: compositeId, userId: actor.id },
    { $set: { shareEnabled: true } },
    { returnDocument: 'after' },
  ).lean();
  if (!composite) throw AppError.notFound('Composite not found');
  const shareUrl = shareUrlOf(deps.config, compositeId);
  const qrCode = await QRCode.toDataURL(shareUrl, {
    errorCorrectionLevel: 'M',
    margin: 2,
    width: 256,
  });
  return {
    composite: toCompositeDto(composite as CompositeRecord, deps.storage),
    shareUrl,
    shareLink: shareUrl,
    shareCode: compositeId,
    qrCode,
  };
}

/** The public share page (CONTRACT #31): public or link-shared composites only; counts a view. */
export async function viewSharedComposite(
  compositeId: string,
  deps: ShareDeps,
): Promise<{ composite: CompositeDto; shareUrl: string }> {
  const composite = await FinalCompositeModel.findOneAndUpdate(
    {
      _id: compositeId,
      $or: [{ isPublic: true }, { shareEnabled: true }],
      processing: mongoose.trusted({ $ne: true }),
    },
    { $inc: { views: 1 } },
    { returnDocument: 'after' },
  ).lean();
  if (!composite) {
    const found = await FinalCompositeModel.findById(compositeId).select('processing').lean();
    // Until its upload is normalised, a composite is the original file: nobody but the owner.
    if (found?.processing)
      throw AppError.conflict('This composite is still being processed; try again shortly');
    if (found) throw AppError.forbidden('This composite is not publicly shared');
    throw AppError.notFound('Composite not found');
  }
  const [dto] = await withAnimations([composite as CompositeRecord], deps.storage);
  if (!dto) throw AppError.notFound('Composite not found');
  if (typeof dto.metadata.templateName !== 'string') {
    const name = await templateName(composite.templateId);
    if (name) dto.metadata.templateName = name;
  }
  return { composite: dto, shareUrl: shareUrlOf(deps.config, compositeId) };
}

async function templateName(templateId: string | null | undefined): Promise<string | undefined> {
  if (!templateId || !/^[0-9a-f]{24}$/i.test(templateId) || !mongoose.isValidObjectId(templateId))
    return undefined;
  const template = await TemplateModel.findById(templateId).select('name visibility').lean();
  return template && template.visibility !== 'private' ? template.name : undefined;
}
