import { UnrecoverableError } from 'bullmq';
import mongoose from 'mongoose';
import { renderComposite } from '../../imaging/compose';
import { ImagingError } from '../../imaging/imaging-errors';
import type { JobContext } from '../../jobs/job-context';
import { COMPOSITE_THUMBNAIL_BOX } from '../composites/normalize-composite';
import { webpThumbnail } from '../../lib/stored-images';
import { DEFAULT_JOB_OPTIONS } from '../../jobs/queues';
import { isDuplicateKey } from '../../lib/error-mapping';
import { AppError } from '../../lib/errors';
import type { FileStorage } from '../../lib/storage';
import { CapturedPhotoModel, FinalCompositeModel, PhotoSessionModel } from '../../models';
import { withSlotDefaults } from '../../models/schema-helpers';
import { recordServerEvent, type ServerEvent } from '../analytics/server-events';
import { compositeThumbnailKey, type CompositeRecord } from '../composites/composites.mapper';
import { completeSession, readTemplateName } from '../composites/composites.service';
import { FrameUnavailableError, preparedFrameFor } from './frame-files';
import { resolveFrameSource } from './frame-source';

/** What one render job is about; the job adapter checks the payload before it gets here. */
export interface RenderRequest {
  sessionId: string;
  userId: string;
}

export type RenderOutcome = { compositeId: string; created: boolean } | { skipped: string };

type SessionLean = NonNullable<Awaited<ReturnType<typeof loadSession>>>;
type CaptureRef = { id: string; key: string; focus?: { x: number; y: number } | null };

/**
 * Renders a session's captures into its frame and makes the FinalComposite. Idempotent: the files
 * have keys derived from the job id (a retry after a crash rewrites them instead of orphaning
 * them), and the composite's unique renderJobId means a second delivery creates nothing new.
 * A final failure leaves the session active with `renderStatus:'failed'` and a readable error.
 *
 * The session's render state goes queued (set by the request) → active → completed | failed, each
 * step conditional on the session still naming this job, so a newer render request wins.
 */
export async function renderSessionComposite(
  request: RenderRequest,
  context: JobContext,
): Promise<RenderOutcome> {
  const { sessionId } = request;
  const session = await loadSession(request);
  if (!session) throw new UnrecoverableError('The session no longer exists');
  if (session.renderJobId !== context.jobId) return { skipped: 'a newer render was requested' };

  const existing = await FinalCompositeModel.findOne({ renderJobId: context.jobId })
    .select('_id')
    .lean();
  if (existing) {
    await finishSession(sessionId, context.jobId, String(existing._id), session.startedAt);
    return { compositeId: String(existing._id), created: false };
  }

  const files = renderFileKeys(context.storage, context.jobId);
  try {
    if (session.status === 'cancelled') throw new UnrecoverableError('The session was cancelled');
    await setRenderState(sessionId, context.jobId, {
      renderStatus: 'active',
      renderProgress: 5,
      renderError: null,
    });
    await context.reportProgress(5);
    const { composite, created } = await renderAndRecord(session, request, files, context);
    await finishSession(sessionId, context.jobId, String(composite._id), session.startedAt);
    await context.reportProgress(100);
    return { compositeId: String(composite._id), created };
  } catch (error) {
    const failure = asJobFailure(error);
    if (
      isFinalAttempt(failure, context) &&
      !(await FinalCompositeModel.exists({ renderJobId: context.jobId }))
    ) {
      await context.storage.remove(files.compositeKey, files.thumbnailKey);
      await setRenderState(sessionId, context.jobId, {
        renderStatus: 'failed',
        renderError: readableError(failure),
      });
    }
    throw failure;
  }
}

/** The render's files are named after its job, so a retry overwrites what a crash left behind. */
export function renderFileKeys(
  storage: FileStorage,
  jobId: string,
): { compositeKey: string; thumbnailKey: string } {
  const compositeKey = storage.derivedKey('composites', `render:${jobId}`, 'jpg');
  return { compositeKey, thumbnailKey: compositeThumbnailKey(storage, compositeKey) };
}

function loadSession(request: RenderRequest) {
  return PhotoSessionModel.findOne({ _id: request.sessionId, userId: request.userId }).lean();
}

async function renderAndRecord(
  session: SessionLean,
  request: RenderRequest,
  files: { compositeKey: string; thumbnailKey: string },
  context: JobContext,
): Promise<{ composite: CompositeRecord; created: boolean }> {
  const { storage } = context;
  const frame = await resolveFrameSource(session.userId, session.templateId);
  if (!frame)
    throw new UnrecoverableError(
      'The session has no frame this server can render (template not found)',
    );
  const captures = await CapturedPhotoModel.find({ sessionId: request.sessionId })
    .select('slot photoKey focus')
    .lean();
  const bySlot = new Map(
    captures
      .filter((c) => c.photoKey)
      .map((c) => [c.slot, { id: String(c._id), key: c.photoKey as string, focus: c.focus }]),
  );
  const slots = frame.layoutPositions.map(withSlotDefaults);
  if (!slots.some((_, index) => bySlot.has(index + 1)))
    throw new UnrecoverableError('The session has no photos to render');

  const prepared = await preparedFrameFor(frame, storage, context.config);
  const photos = await Promise.all(
    slots.map((_, index) => readCapture(storage, bySlot.get(index + 1))),
  );
  await context.reportProgress(30);

  const focus = slots.map((_, index) => bySlot.get(index + 1)?.focus);
  const rendered = await renderComposite({ frame: prepared, slots, photos, focus });
  const thumbnail = await webpThumbnail(rendered.jpeg, COMPOSITE_THUMBNAIL_BOX);
  await context.reportProgress(70);
  await storage.saveAt(files.compositeKey, rendered.jpeg);
  await storage.saveAt(files.thumbnailKey, thumbnail);
  await context.reportProgress(90);

  return createOnce(
    {
      sessionId: request.sessionId,
      userId: session.userId,
      templateId: session.templateId,
      compositeUrl: storage.publicUrl(files.compositeKey),
      thumbnailUrl: storage.publicUrl(files.thumbnailKey),
      compositeKey: files.compositeKey,
      thumbnailKey: files.thumbnailKey,
      isPublic: false,
      source: 'server',
      renderJobId: context.jobId,
      metadata: {
        width: rendered.width,
        height: rendered.height,
        fileSize: rendered.jpeg.length,
        format: 'jpeg',
        photosUsed: photos.filter(Boolean).length,
        templateName: readTemplateName(session.metadata) ?? frame.name,
      },
    },
    {
      eventType: 'composite_created',
      eventCategory: 'photo',
      userId: session.userId,
      sessionId: request.sessionId,
      templateId: session.templateId,
    },
  );
}

/**
 * A capture's bytes, normalised or not (the render orients every photo itself and writes no
 * metadata). If its normalize job swapped the file while this render ran, the new key is read.
 */
async function readCapture(
  storage: FileStorage,
  capture: CaptureRef | undefined,
): Promise<Buffer | null> {
  if (!capture) return null;
  const first = await storage.read(capture.key).catch(() => null);
  if (first) return first;
  const current = await CapturedPhotoModel.findById(capture.id).select('photoKey').lean();
  if (!current?.photoKey || current.photoKey === capture.key) return null;
  return storage.read(current.photoKey).catch(() => null);
}

/**
 * Creates the composite and its `composite_created` event in one transaction, so a crash right
 * after cannot leave a composite whose event is lost (a retry finds the composite and writes
 * nothing). A second delivery hits the unique renderJobId and answers the existing composite.
 */
async function createOnce(
  fields: Record<string, unknown>,
  event: Omit<ServerEvent, 'metadata'>,
): Promise<{ composite: CompositeRecord; created: boolean }> {
  try {
    const composite = await mongoose.connection.transaction(async (txn) => {
      const [created] = await FinalCompositeModel.create([fields], { session: txn });
      if (!created) throw new Error('the composite was not created');
      await recordServerEvent(
        { ...event, metadata: { compositeId: String(created._id), source: 'server' } },
        txn,
      );
      return created.toObject() as CompositeRecord;
    });
    return { composite, created: true };
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const existing = await FinalCompositeModel.findOne({
      renderJobId: fields.renderJobId as string,
    }).lean();
    if (!existing) throw error;
    return { composite: existing as CompositeRecord, created: false };
  }
}

async function finishSession(
  sessionId: string,
  jobId: string,
  compositeId: string,
  startedAt?: Date | null,
): Promise<void> {
  await completeSession(sessionId, compositeId, startedAt ?? undefined);
  await setRenderState(sessionId, jobId, {
    renderStatus: 'completed',
    renderProgress: 100,
    renderError: null,
  });
}

async function setRenderState(
  sessionId: string,
  jobId: string,
  state: Record<string, unknown>,
): Promise<void> {
  await PhotoSessionModel.updateOne({ _id: sessionId, renderJobId: jobId }, { $set: state });
}

/**
 * Retry policy: bad input fails at once; anything else is retried until the job's attempts are
 * used up. Only the last failure is written to the session (earlier ones are retried silently).
 */
function isFinalAttempt(failure: Error, context: JobContext): boolean {
  return (
    failure instanceof UnrecoverableError ||
    context.attemptsMade + 1 >= DEFAULT_JOB_OPTIONS.attempts
  );
}

// Bad input found by imaging (a corrupt capture, a frame that is not an image) fails the same
// way on every attempt, so it is not retried.
function asJobFailure(error: unknown): Error {
  if (error instanceof UnrecoverableError) return error;
  if (error instanceof FrameUnavailableError) return new UnrecoverableError(error.message);
  if (error instanceof ImagingError || (error instanceof AppError && error.status < 500))
    return new UnrecoverableError(error.message);
  return error instanceof Error ? error : new Error(String(error));
}

function readableError(error: Error): string {
  return error instanceof UnrecoverableError
    ? error.message.slice(0, 500)
    : 'The composite could not be rendered; try again';
}
