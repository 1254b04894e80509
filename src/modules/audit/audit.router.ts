import Joi from 'joi';
import type { AppContext } from '../../context';
import { envelopeA, type AReply } from '../../lib/envelope';
import { objectId } from '../../lib/schemas';
import { ApiRouter } from '../../middleware/api-router';
import {
  AUDIT_ACTIONS,
  AUDIT_TARGET_TYPES,
  type AuditAction,
  type AuditTargetType,
} from '../../models/audit-log.model';
import { listAudit } from './audit.service';

interface AuditListQuery {
  action?: AuditAction;
  targetType?: AuditTargetType;
  targetId?: string;
  actorId?: string;
  subjectUserId?: string;
  page: number;
  limit: number;
}

const auditListQuery = Joi.object<AuditListQuery, true>({
  action: Joi.string().valid(...AUDIT_ACTIONS),
  targetType: Joi.string().valid(...AUDIT_TARGET_TYPES),
  targetId: objectId,
  actorId: objectId,
  subjectUserId: objectId,
  page: Joi.number().integer().min(1).max(10_000).default(1),
  limit: Joi.number().integer().min(1).max(100).default(50),
});

/** The record of admin decisions (payments, Pro grants, roles, blocks, deletions); envelope A. */
export function auditRouter(ctx: AppContext): ApiRouter<AReply> {
  const r = new ApiRouter('/admin/audit', envelopeA, ctx.resolveAccount);

  r.get(
    '/',
    { auth: 'admin', query: auditListQuery, summary: 'Admin decisions, newest first' },
    async ({ query }) => ({ data: await listAudit(query) }),
  );

  return r;
}
