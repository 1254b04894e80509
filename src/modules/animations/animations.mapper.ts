import type { Types } from 'mongoose';
import type { FileStorage } from '../../lib/storage';
import type { SessionAnimation } from '../../models';

export type AnimationRecord = SessionAnimation & {
  _id: Types.ObjectId;
  createdAt?: Date;
  updatedAt?: Date;
};

export interface AnimationDto {
  _id: string;
  sessionId: string;
  kind: string;
  format: string;
  jobId: string;
  status: string;
  progress: number;
  url: string | null;
  width: number | null;
  height: number | null;
  fileSize: number | null;
  frameCount: number | null;
  frameDelayMs: number | null;
  error?: string;
  createdAt?: Date;
}

/**
 * `open`: the session's composite is public or link-shared, so the animation is too (plain URL);
 * otherwise the owner gets a signed, expiring URL.
 */
export function toAnimationDto(
  animation: AnimationRecord,
  storage: FileStorage,
  open = false,
): AnimationDto {
  const done = animation.status === 'completed' && animation.fileKey;
  return {
    _id: String(animation._id),
    sessionId: animation.sessionId,
    kind: animation.kind,
    format: animation.format,
    jobId: animation.jobId,
    status: animation.status,
    progress: animation.progress ?? 0,
    url: done
      ? open
        ? storage.publicUrl(animation.fileKey as string)
        : storage.signedUrl(animation.fileKey as string)
      : null,
    width: animation.width ?? null,
    height: animation.height ?? null,
    fileSize: animation.fileSize ?? null,
    frameCount: animation.frameCount ?? null,
    frameDelayMs: animation.frameDelayMs ?? null,
    ...(animation.status === 'failed' && animation.error ? { error: animation.error } : {}),
    createdAt: animation.createdAt,
  };
}

/** The stored file of an attempt: derived from the job id, so a retry rewrites the same file. */
export function animationFileKey(
  storage: FileStorage,
  jobId: string,
  format: 'webp' | 'gif' | 'mp4',
): string {
  return storage.derivedKey('animations', `animation:${jobId}`, format);
}
