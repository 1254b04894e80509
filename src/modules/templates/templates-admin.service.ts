import mongoose from 'mongoose';
import type { Config } from '../../config';
import type { JobQueue } from '../../jobs/job-queue';
import { AppError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import { FileStorage } from '../../lib/storage';
import type { AuthUser } from '../../lib/auth-user';
import {
  AnalyticsEventModel,
  FinalCompositeModel,
  PhotoSessionModel,
  TemplateModel,
} from '../../models';
import { acceptFrameImage, assertSlotsInside, incomingImage, saveAll } from './template-files';
import { toTemplateDto, type TemplateDto, type TemplateRecord } from './templates.mapper';
import type { CreateTemplateBody, TemplateFields } from './templates.schemas';

export interface TemplateDeps {
  config: Readonly<Config>;
  storage: FileStorage;
  jobs: JobQueue;
  logger: Logger;
}

export interface TemplateUploads {
  frame?: Buffer;
  thumbnail?: Buffer;
}

const OBJECT_ID = /^[0-9a-f]{24}$/i;

/**
 * Admin create (CONTRACT #20): the frame and an optional thumbnail are checked by content (header
 * only for raster images) and stored as files; the slots must lie inside the frame. A raster
 * frame is kept private and the template `processing` until the normalize-template-frame job has
 * re-encoded it (upright, no metadata, alpha kept); the WebP thumbnail is made by a job. On any
 * failure nothing stays behind: stored files and the document are removed.
 */
export async function createTemplate(
  admin: AuthUser,
  input: CreateTemplateBody,
  uploads: TemplateUploads,
  deps: TemplateDeps,
): Promise<TemplateDto> {
  const frameBytes = incomingImage('frameUrl', uploads.frame, input.frameUrl, deps.config);
  if (!frameBytes)
    throw AppError.badRequest('A frame image is required (frameUrl data URL or "frame" file)', [
      { field: 'frameUrl', message: 'required' },
    ]);
  const thumbBytes = incomingImage(
    'thumbnail',
    uploads.thumbnail,
    input.thumbnail || undefined,
    deps.config,
  );
  const frame = await acceptFrameImage('frameUrl', frameBytes, deps.config);
  const thumb = thumbBytes
    ? await acceptFrameImage('thumbnail', thumbBytes, deps.config)
    : undefined;
  assertSlotsInside(input.layoutPositions, frame);

  const [frameKey, thumbKey] = await saveAll(
    deps.storage,
    thumb ? [frame, thumb] : [frame],
    'templates',
  );
  const keys = [frameKey!, ...(thumbKey ? [thumbKey] : [])];
  let templateId: string | undefined;
  try {
    const created = await TemplateModel.create({
      name: input.name,
      category: input.category,
      description: input.description,
      tags: input.tags ?? [],
      isPremium: input.isPremium,
      isActive: input.isActive,
      visibility: input.visibility,
      frameCount: input.frameCount,
      layoutPositions: input.layoutPositions,
      frameUrl: deps.storage.publicUrl(frameKey!),
      thumbnail: deps.storage.publicUrl(thumbKey ?? frameKey!),
      canvasWidth: frame.width,
      canvasHeight: frame.height,
      createdBy: new mongoose.Types.ObjectId(admin.id),
      ...(frame.raster ? { processing: true } : {}),
    });
    templateId = String(created._id);
    if (frame.raster) await enqueueNormalize(deps.jobs, templateId, frameKey!);
    else await enqueueThumbnail(deps.jobs, templateId, thumbKey ?? frameKey!);
    return toTemplateDto(created.toObject<TemplateRecord>(), deps.storage);
  } catch (error) {
    if (templateId) await TemplateModel.deleteOne({ _id: templateId });
    await deps.storage.remove(...keys);
    throw error;
  }
}

/**
 * Admin partial update (CONTRACT #21). A new frame (data URL or file) replaces the old file and
 * the canvas; slots are re-checked against the (new) canvas; the thumbnail is re-rendered when the
 * frame or the slots change and no thumbnail was sent. A new raster frame puts the template back
 * into `processing` (hidden from the gallery and sessions) until its job has normalised it.
 */
export async function updateTemplate(
  _admin: AuthUser,
  id: string,
  input: TemplateFields,
  uploads: TemplateUploads,
  deps: TemplateDeps,
): Promise<TemplateDto> {
  const current = await findForAdmin(id);
  const frameBytes = incomingImage(
    'frameUrl',
    uploads.frame,
    input.frameUrl,
    deps.config,
    current.frameUrl,
  );
  const thumbBytes = incomingImage(
    'thumbnail',
    uploads.thumbnail,
    input.thumbnail || undefined,
    deps.config,
    current.thumbnail ?? undefined,
  );
  const frame = frameBytes
    ? await acceptFrameImage('frameUrl', frameBytes, deps.config)
    : undefined;
  const thumb = thumbBytes
    ? await acceptFrameImage('thumbnail', thumbBytes, deps.config)
    : undefined;
  const canvas = frame ?? canvasOf(current);
  const slots = input.layoutPositions ?? current.layoutPositions;
  if (canvas && (frame || input.layoutPositions)) assertSlotsInside(slots, canvas);

  const $set: Record<string, unknown> = {};
  for (const key of [
    'name',
    'category',
    'description',
    'tags',
    'isPremium',
    'isActive',
    'visibility',
  ] as const) {
    if (input[key] !== undefined) $set[key] = input[key];
  }
  if (input.layoutPositions) {
    $set.frameCount = input.frameCount;
    $set.layoutPositions = input.layoutPositions;
  }
  const newFiles = [...(frame ? [frame] : []), ...(thumb ? [thumb] : [])];
  const saved = await saveAll(deps.storage, newFiles, 'templates');
  const frameKey = frame ? saved[0] : undefined;
  const thumbKey = thumb ? saved[saved.length - 1] : undefined;
  const $unset: Record<string, 1> = {};
  if (frame) {
    $set.frameUrl = deps.storage.publicUrl(frameKey!);
    $set.canvasWidth = frame.width;
    $set.canvasHeight = frame.height;
    $unset.processingError = 1;
    if (frame.raster) $set.processing = true;
    else $unset.processing = 1;
  }
  const thumbnailSource =
    thumbKey ??
    (frame || input.layoutPositions
      ? (frameKey ?? deps.storage.keyFromUrl(current.frameUrl))
      : undefined);
  if (thumbnailSource) $set.thumbnail = deps.storage.publicUrl(thumbnailSource);

  let updated: TemplateRecord | null;
  try {
    updated = await TemplateModel.findOneAndUpdate(
      { _id: current._id },
      { $set, ...(Object.keys($unset).length > 0 ? { $unset } : {}) },
      { returnDocument: 'after', runValidators: true },
    ).lean<TemplateRecord>();
    if (!updated) throw AppError.notFound('Template not found');
    // A raster frame's job renders the thumbnail once the frame is normalised.
    if (frame?.raster) await enqueueNormalize(deps.jobs, String(current._id), frameKey!);
    else if (thumbnailSource)
      await enqueueThumbnail(deps.jobs, String(current._id), thumbnailSource);
  } catch (error) {
    await deps.storage.remove(...saved);
    throw error;
  }
  await removeReplaced(deps.storage, current, updated);
  return toTemplateDto(updated, deps.storage);
}

/** Admin soft delete (CONTRACT #22): the template leaves the gallery; files stay for old sessions. */
export async function deleteTemplate(_admin: AuthUser, id: string): Promise<void> {
  const current = await findForAdmin(id);
  await TemplateModel.updateOne({ _id: current._id }, { $set: { isActive: false } });
}

export interface TemplateStats {
  templateId: string;
  name: string;
  usageCount: number;
  views: number;
  sessions: number;
  composites: number;
}

/** Admin usage figures of one template (CONTRACT §18 `GET /templates/:id/stats`). */
export async function templateStats(_admin: AuthUser, id: string): Promise<TemplateStats> {
  const template = await findForAdmin(id);
  const templateId = String(template._id);
  const [views, sessions, composites] = await Promise.all([
    AnalyticsEventModel.countDocuments({ eventType: 'template_view', templateId }),
    PhotoSessionModel.countDocuments({ templateId }),
    FinalCompositeModel.countDocuments({ templateId }),
  ]);
  return {
    templateId,
    name: template.name,
    usageCount: template.usageCount ?? 0,
    views,
    sessions,
    composites,
  };
}

async function findForAdmin(id: string): Promise<TemplateRecord> {
  if (!OBJECT_ID.test(id)) {
    throw AppError.badRequest('Invalid template id', [
      { field: 'id', message: 'must be a 24-character hex id' },
    ]);
  }
  const template = await TemplateModel.findById(id).lean<TemplateRecord>();
  if (!template) throw AppError.notFound('Template not found');
  return template;
}

function canvasOf(template: TemplateRecord): { width: number; height: number } | undefined {
  return template.canvasWidth && template.canvasHeight
    ? { width: template.canvasWidth, height: template.canvasHeight }
    : undefined;
}

function enqueueNormalize(jobs: JobQueue, templateId: string, frameKey: string): Promise<string> {
  const file = frameKey.split('/').pop()?.split('.')[0] ?? 'x';
  return jobs.enqueue(
    'normalize-template-frame',
    { templateId, frameKey },
    { jobId: `template-frame-${templateId}-${file}` },
  );
}

function enqueueThumbnail(jobs: JobQueue, templateId: string, sourceKey: string): Promise<string> {
  const file = sourceKey.split('/').pop()?.split('.')[0] ?? 'x';
  return jobs.enqueue(
    'render-template-thumbnail',
    { templateId, sourceKey },
    { jobId: `template-thumbnail-${templateId}-${file}` },
  );
}

/**
 * Files the update replaced; only files of this storage's templates folder (and originals still
 * waiting in `incoming/`) are ever removed.
 */
async function removeReplaced(
  storage: FileStorage,
  before: TemplateRecord,
  after: TemplateRecord,
): Promise<void> {
  const kept = new Set([after.frameUrl, after.thumbnail]);
  const stale = [before.frameUrl, before.thumbnail]
    .filter((url): url is string => typeof url === 'string' && !kept.has(url))
    .map((url) => storage.keyFromUrl(url))
    .filter(
      (key): key is string =>
        key !== undefined && ['templates', 'incoming'].includes(FileStorage.folderOf(key)),
    );
  await storage.remove(...stale);
}
