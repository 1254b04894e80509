import type { JobQueue } from '../../jobs/job-queue';
import { AppError } from '../../lib/errors';
import type { FileStorage } from '../../lib/storage';
import type { AuthUser } from '../../lib/auth-user';
import {
  CapturedPhotoModel,
  FinalCompositeModel,
  PhotoSessionModel,
  type RenderStatus,
} from '../../models';
import {
  toCompositeDto,
  type CompositeDto,
  type CompositeRecord,
} from '../composites/composites.mapper';
import { findOwnSession } from '../sessions/sessions.service';
import type { SessionRecord } from '../sessions/sessions.mapper';

export interface RenderDeps {
  jobs: JobQueue;
  storage: FileStorage;
}

export interface RenderStatusDto {
  jobId: string | null;
  status: RenderStatus;
  progress: number;
  composite?: CompositeDto;
  error?: string;
}

/**
 * Asks for a server render. Idempotent: while a render is queued or running the same job id is
 * answered, and once the session has its composite that composite is. A new render after a failure
 * gets the next id in the session's sequence (`render-<session>`, `render-<session>-2`, …), claimed
 * with a conditional update so that concurrent requests enqueue one job.
 */
export async function requestRender(
  actor: AuthUser,
  sessionId: string,
  deps: RenderDeps,
): Promise<{ accepted: boolean; status: RenderStatusDto }> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const session = await findOwnSession(actor, sessionId);
    if (session.status === 'cancelled') throw AppError.conflict('This session was cancelled');
    const composite = await currentComposite(session);
    if (composite)
      return {
        accepted: false,
        status: completed(session.renderJobId ?? null, composite, deps.storage),
      };

    const previous = session.renderJobId ?? null;
    if (previous) {
      const state = (await deps.jobs.status('render-composite', previous))?.state;
      if (state === 'queued' || state === 'active')
        return {
          accepted: true,
          status: { jobId: previous, status: state, progress: session.renderProgress ?? 0 },
        };
    }
    if (!(await CapturedPhotoModel.exists({ sessionId })))
      throw AppError.badRequest('The session has no photos to render yet');

    const jobId = nextRenderJobId(sessionId, previous);
    const claimed = await PhotoSessionModel.updateOne(
      { _id: sessionId, userId: actor.id, renderJobId: previous },
      {
        $set: { renderJobId: jobId, renderStatus: 'queued', renderProgress: 0, renderError: null },
      },
    );
    if (claimed.modifiedCount === 0) continue;
    try {
      await deps.jobs.enqueue('render-composite', { sessionId, userId: actor.id }, { jobId });
    } catch (error) {
      await PhotoSessionModel.updateOne(
        { _id: sessionId, renderJobId: jobId },
        {
          $set: {
            renderStatus: 'failed',
            renderError: 'The render could not be queued; try again',
          },
        },
      );
      throw error;
    }
    return { accepted: true, status: { jobId, status: 'queued', progress: 0 } };
  }
  throw AppError.conflict('The render is being requested concurrently; try again');
}

export function nextRenderJobId(sessionId: string, previous: string | null): string {
  const base = `render-${sessionId}`;
  if (!previous || !previous.startsWith(base)) return base;
  const n = previous === base ? 1 : Number(previous.slice(base.length + 1));
  return `${base}-${Number.isInteger(n) && n > 0 ? n + 1 : 2}`;
}

export async function getRenderStatus(
  actor: AuthUser,
  sessionId: string,
  deps: RenderDeps,
): Promise<RenderStatusDto> {
  const session = await findOwnSession(actor, sessionId);
  const jobId = session.renderJobId ?? null;
  if (!jobId) {
    const composite = await currentComposite(session);
    if (composite) return completed(null, composite, deps.storage);
    throw AppError.notFound('No render has been requested for this session');
  }
  const job = await deps.jobs.status('render-composite', jobId);
  const status: RenderStatus = job?.state ?? session.renderStatus ?? 'queued';
  const progress = job?.progress ?? session.renderProgress ?? 0;

  if (status === 'completed') {
    const composite =
      (await FinalCompositeModel.findOne({ renderJobId: jobId, userId: actor.id }).lean()) ??
      (await currentComposite(session));
    if (composite) return completed(jobId, composite as CompositeRecord, deps.storage);
    return { jobId, status, progress: 100, error: 'The rendered composite was deleted' };
  }
  if (status === 'failed') {
    const error = session.renderError ?? 'The composite could not be rendered; try again';
    if (session.renderStatus !== 'failed') {
      // A job that BullMQ failed on its own (e.g. stalled too often) never reached our handler.
      await PhotoSessionModel.updateOne(
        { _id: sessionId, renderJobId: jobId },
        { $set: { renderStatus: 'failed', renderError: error } },
      );
    }
    return { jobId, status, progress, error };
  }
  return { jobId, status, progress };
}

async function currentComposite(session: SessionRecord): Promise<CompositeRecord | null> {
  if (!session.finalComposite) return null;
  const composite = await FinalCompositeModel.findOne({
    _id: session.finalComposite,
    userId: session.userId,
  }).lean();
  return composite as CompositeRecord | null;
}

function completed(
  jobId: string | null,
  composite: CompositeRecord,
  storage: FileStorage,
): RenderStatusDto {
  return {
    jobId,
    status: 'completed',
    progress: 100,
    composite: toCompositeDto(composite, storage),
  };
}
