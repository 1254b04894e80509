import type { Config } from '../../config';
import { decodeDataUrl } from '../../imaging/probe';
import { looksLikeSvg } from '../../imaging/svg';
import type { JobQueue } from '../../jobs/job-queue';
import type { AuthUser } from '../../lib/auth-user';
import { isDuplicateKey } from '../../lib/error-mapping';
import { AppError } from '../../lib/errors';
import type { FileStorage } from '../../lib/storage';
import { UserGeneratedFrameModel } from '../../models';
import {
  toUserFrameDto,
  type UserFrameDto,
  type UserFrameRecord,
} from '../user-frames/user-frames.mapper';
import type { Logger } from '../../lib/logger';
import { recordServerEvent } from '../analytics/server-events';
import { acceptFrameImage } from '../templates/template-files';
import { consumeUsage, releaseUsage } from '../usage/usage.service';
import type { GenerateFrameSpec, SaveFrameBody } from './ai-frames.schemas';
import { generateAiFrame, slotsForSpec, type GeneratedFrame } from './frame-generator';

export interface GenerateFrameDeps {
  config: Readonly<Config>;
  logger: Logger;
}

/** `/ai/generate-frame` (CONTRACT #40): `image` is the SVG in base64 without a `data:` prefix. */
export interface GeneratedFrameReply {
  image: string;
  contentType: 'image/svg+xml';
  width: number;
  height: number;
  layoutPositions: GeneratedFrame['layoutPositions'];
  usage: { date: string; remaining: number | null };
}

/**
 * Draws a frame from a spec, paid for with one unit of today's AI allowance (429 with the upgrade
 * link when none is left). Nothing is stored; the unit is given back if drawing fails.
 */
export async function generateFrame(
  actor: AuthUser,
  spec: GenerateFrameSpec,
  deps: GenerateFrameDeps,
): Promise<GeneratedFrameReply> {
  const usage = await consumeUsage(actor, 'aiGeneration', deps);
  let frame: GeneratedFrame;
  try {
    frame = generateAiFrame(spec);
  } catch (error) {
    await releaseUsage(actor, 'aiGeneration', usage.date);
    throw error;
  }
  await recordServerEvent({
    eventType: 'frame_generated',
    eventCategory: 'ai',
    userId: actor.id,
    metadata: {
      frameCount: spec.frameCount,
      layout: spec.layout,
      style: spec.style ?? 'classic',
      gradient: Boolean(spec.gradientFrom),
    },
  }).catch((error: unknown) => deps.logger.warn({ err: error }, 'frame_generated not recorded'));
  return {
    image: Buffer.from(frame.svg).toString('base64'),
    contentType: 'image/svg+xml',
    width: frame.width,
    height: frame.height,
    layoutPositions: frame.layoutPositions,
    usage: { date: usage.date, remaining: usage.aiGeneration.remaining },
  };
}

export interface SaveFrameDeps {
  config: Readonly<Config>;
  storage: FileStorage;
  jobs: JobQueue;
}

/** An AI frame as SVG is at most 5 MB (CONTRACT #41: 413 past it). */
export const MAX_AI_FRAME_BYTES = 5 * 1024 * 1024;

/** Where the web client sends a user who needs Pro. */
const UPGRADE_URL = '/upgrade-pro';

function premiumRequired(message: string): AppError {
  return new AppError(403, 'PREMIUM_REQUIRED', message, undefined, {
    packageType: 'free',
    upgradeUrl: UPGRADE_URL,
  });
}

/**
 * Save-frame (CONTRACT #41, §19.19): the SVG the client shows is decoded, sanitised like a
 * template frame and stored as a file; the frame goes into the caller's library as a
 * UserGeneratedFrame whose slots follow its spec. A thumbnail is made by a job. On any failure
 * nothing stays behind.
 */
export async function saveAiFrame(
  actor: AuthUser,
  input: SaveFrameBody,
  deps: SaveFrameDeps,
): Promise<UserFrameDto> {
  if (!actor.isPremium) throw premiumRequired('Saving AI frames needs KaryaKlik Pro');
  if (!input.frameDataUrl.startsWith('data:')) {
    throw AppError.badRequest('frameDataUrl must be an SVG data URL', [
      { field: 'frameDataUrl', message: 'expected data:image/svg+xml;base64,…' },
    ]);
  }
  const bytes = decodeDataUrl(input.frameDataUrl, MAX_AI_FRAME_BYTES);
  // Sanitised exactly as a template frame is (the same errors, labelled with the field).
  if (!looksLikeSvg(bytes)) {
    throw new AppError(415, 'UNSUPPORTED_MEDIA', 'frameDataUrl must be an SVG image');
  }
  const svg = await acceptFrameImage('frameDataUrl', bytes, deps.config);
  const layoutPositions = slotsForSpec(input.frameSpec, svg);
  const { key } = await deps.storage.save('frames', 'svg', svg.data);
  const frameUrl = deps.storage.publicUrl(key);
  let frameId: string | undefined;
  try {
    const created = await UserGeneratedFrameModel.create({
      userId: actor.id,
      name: input.name,
      description: input.description,
      tags: input.tags,
      frameUrl,
      // The SVG itself until the job has made the WebP preview.
      thumbnail: frameUrl,
      frameCount: input.frameSpec.frameCount,
      layoutPositions,
      canvasWidth: svg.width,
      canvasHeight: svg.height,
      frameSpec: { ...input.frameSpec },
    });
    frameId = String(created._id);
    await deps.jobs.enqueue(
      'render-user-frame-thumbnail',
      { frameId, sourceKey: key },
      { jobId: `user-frame-thumbnail-${frameId}` },
    );
    return toUserFrameDto(created.toObject<UserFrameRecord>());
  } catch (error) {
    if (frameId) await UserGeneratedFrameModel.deleteOne({ _id: frameId });
    await deps.storage.remove(key);
    if (isDuplicateKey(error)) throw AppError.conflict('You already have a frame with this name');
    throw error;
  }
}
