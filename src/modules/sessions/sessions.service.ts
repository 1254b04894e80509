import { AppError } from '../../lib/errors';
import type { FileStorage } from '../../lib/storage';
import type { AuthUser } from '../../lib/auth-user';
import { CapturedPhotoModel, PhotoSessionModel } from '../../models';
import { toCaptureDto, type CaptureDto, type CaptureRecord } from '../photos/photos.mapper';
import { removeSessionCaptures } from '../photos/photos.service';
import { recordUserFrameUse } from '../user-frames/user-frames.service';
import { looksLikeObjectId, resolveFrameSource } from '../compositing/frame-source';
import { toSessionDto, type SessionDto, type SessionRecord } from './sessions.mapper';
import type { CreateSessionInput, ListSessionsQuery, UpdateSessionInput } from './sessions.schemas';
import { newestFirstPage, pagination, type Pagination } from '../../lib/pagination';

/**
 * Starts a session. The client drops its photos if this has not answered when the user presses
 * Start (CONTRACT §7.1), so it is one indexed lookup and one insert. A real template id is checked
 * (visible to the user, Pro for premium); a free-form id such as `ai-generated-<ts>` is kept as sent.
 */
export async function createSession(
  actor: AuthUser,
  input: CreateSessionInput,
): Promise<SessionDto> {
  const frame = await resolveFrameSource(actor.id, input.templateId);
  if (!frame && looksLikeObjectId(input.templateId)) throw AppError.notFound('Template not found');
  if (frame && !frame.isActive) throw AppError.notFound('Template not found');
  if (frame?.processing)
    throw AppError.conflict('This template is still being processed; try again shortly');
  if (frame?.isPremium && !actor.isPremium) {
    throw new AppError(
      403,
      'PREMIUM_REQUIRED',
      'This template needs an active KaryaKlik Pro subscription',
    );
  }
  const metadata: Record<string, unknown> = { ...input.metadata, totalPhotos: 0 };
  if (frame && typeof metadata.templateName !== 'string') metadata.templateName = frame.name;
  const created = await PhotoSessionModel.create({
    userId: actor.id,
    templateId: input.templateId,
    sessionName: input.sessionName,
    status: 'active',
    metadata,
    startedAt: new Date(),
  });
  if (frame?.kind === 'user-frame') await recordUserFrameUse(actor.id, frame.id);
  return toSessionDto(created.toObject() as SessionRecord);
}

export async function listSessions(
  actor: AuthUser,
  query: ListSessionsQuery,
): Promise<{
  sessions: SessionDto[];
  pagination: Pagination;
}> {
  const filter = query.status ? { userId: actor.id, status: query.status } : { userId: actor.id };
  const [rows, total] = await Promise.all([
    newestFirstPage(PhotoSessionModel.find(filter), query).lean(),
    PhotoSessionModel.countDocuments(filter),
  ]);
  return {
    sessions: rows.map((row) => toSessionDto(row as SessionRecord)),
    pagination: pagination(query, total),
  };
}

/** An own session; another user's id answers 404 like a missing one. */
export async function findOwnSession(actor: AuthUser, sessionId: string): Promise<SessionRecord> {
  const session = await PhotoSessionModel.findOne({ _id: sessionId, userId: actor.id }).lean();
  if (!session) throw AppError.notFound('Session not found');
  return session as SessionRecord;
}

export async function getSession(
  actor: AuthUser,
  sessionId: string,
  storage: FileStorage,
): Promise<SessionDto & { session: SessionDto; photos: CaptureDto[] }> {
  const session = toSessionDto(await findOwnSession(actor, sessionId));
  const captures = await CapturedPhotoModel.find({ sessionId })
    .sort({ slot: 1, createdAt: 1 })
    .lean();
  return {
    ...session,
    session,
    photos: captures.map((c) => toCaptureDto(c as CaptureRecord, storage)),
  };
}

export async function updateSession(
  actor: AuthUser,
  sessionId: string,
  input: UpdateSessionInput,
): Promise<SessionDto> {
  const set: Record<string, unknown> = {};
  if (input.sessionName !== undefined) set.sessionName = input.sessionName;
  // Merged key by key, so the client's keys and the server's totalPhotos are kept.
  for (const [key, value] of Object.entries(input.metadata ?? {})) set[`metadata.${key}`] = value;
  const updated = await PhotoSessionModel.findOneAndUpdate(
    { _id: sessionId, userId: actor.id },
    { $set: set },
    { returnDocument: 'after' },
  ).lean();
  if (!updated) throw AppError.notFound('Session not found');
  return toSessionDto(updated as SessionRecord);
}

/** Deletes the session with its captures and their files; its composite stays in the gallery. */
export async function deleteSession(
  actor: AuthUser,
  sessionId: string,
  storage: FileStorage,
): Promise<void> {
  const deleted = await PhotoSessionModel.findOneAndDelete({
    _id: sessionId,
    userId: actor.id,
  }).lean();
  if (!deleted) throw AppError.notFound('Session not found');
  await removeSessionCaptures(sessionId, storage);
}

export async function cancelSession(actor: AuthUser, sessionId: string): Promise<SessionDto> {
  const cancelled = await PhotoSessionModel.findOneAndUpdate(
    { _id: sessionId, userId: actor.id, status: 'active' },
    { $set: { status: 'cancelled', completedAt: null } },
    { returnDocument: 'after' },
  ).lean();
  if (cancelled) return toSessionDto(cancelled as SessionRecord);
  const session = await findOwnSession(actor, sessionId);
  throw AppError.conflict(`Only an active session can be cancelled; this one is ${session.status}`);
}
