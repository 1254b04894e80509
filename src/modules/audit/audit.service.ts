import type { ClientSession } from 'mongoose';
import type { AuthUser } from '../../lib/auth-user';
import {
  AuditLogModel,
  type AuditAction,
  type AuditTargetType,
} from '../../models/audit-log.model';
import { newestFirstPage, paginationWithMore } from '../../lib/pagination';

/** Who took a decision: an admin, or the system acting on a verified gateway notification. */
export type AuditActor = AuthUser | { system: string };

export interface AuditEntryInput {
  action: AuditAction;
  targetType: AuditTargetType;
  targetId: string;
  subjectUserId?: string | null;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  note?: string;
}

/**
 * Records one decision. Pass the session of the transaction that makes the change, so that the
 * change and its record commit together or not at all.
 */
export async function recordAudit(
  actor: AuditActor,
  entry: AuditEntryInput,
  session?: ClientSession,
): Promise<void> {
  const who =
    'system' in actor
      ? { actorKind: 'system' as const, actorId: null, actorName: actor.system }
      : { actorKind: 'admin' as const, actorId: actor.id, actorName: actor.name };
  await AuditLogModel.create([{ ...who, ...entry, subjectUserId: entry.subjectUserId ?? null }], {
    session,
  });
}

export interface AuditQuery {
  action?: AuditAction;
  targetType?: AuditTargetType;
  targetId?: string;
  actorId?: string;
  subjectUserId?: string;
  page: number;
  limit: number;
}

export interface AuditEntryDto {
  _id: string;
  id: string;
  action: string;
  actor: { kind: string; id: string | null; name: string };
  targetType: string;
  targetId: string;
  subjectUserId: string | null;
  before: unknown;
  after: unknown;
  note: string | null;
  createdAt: Date;
}

/** Admin list, newest first, filtered by action, target, actor or subject. */
export async function listAudit(query: AuditQuery) {
  const filter: Record<string, unknown> = {};
  if (query.action) filter.action = query.action;
  if (query.targetType) filter.targetType = query.targetType;
  if (query.targetId) filter.targetId = query.targetId;
  if (query.actorId) filter.actorId = query.actorId;
  if (query.subjectUserId) filter.subjectUserId = query.subjectUserId;
  const [docs, total] = await Promise.all([
    newestFirstPage(AuditLogModel.find(filter), query).lean(),
    AuditLogModel.countDocuments(filter),
  ]);
  const entries: AuditEntryDto[] = docs.map((doc) => {
    const id = String(doc._id);
    return {
      _id: id,
      id,
      action: doc.action,
      actor: {
        kind: doc.actorKind,
        id: doc.actorId ? String(doc.actorId) : null,
        name: doc.actorName,
      },
      targetType: doc.targetType,
      targetId: String(doc.targetId),
      subjectUserId: doc.subjectUserId ? String(doc.subjectUserId) : null,
      before: doc.before ?? {},
      after: doc.after ?? {},
      note: doc.note ?? null,
      createdAt: doc.createdAt,
    };
  });
  return {
    entries,
    pagination: paginationWithMore(query, total, entries.length),
  };
}
