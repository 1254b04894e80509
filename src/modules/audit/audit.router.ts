import Joi from 'joi';
import type { AppContext } from '../../context';
import { envelopeA, type AReply } from '../../lib/envelope';
import { objectId, pageFields } from '../../lib/schemas';
import { ApiRouter } from '../../middleware/api-router';
import { AUDIT_ACTIONS, AUDIT_TARGET_TYPES } from '../../models/audit-log.model';
import { listAudit, type AuditQuery } from './audit.service';

const auditListQuery = Joi.object<AuditQuery, true>({
  action: Joi.string().valid(...AUDIT_ACTIONS),
  targetType: Joi.string().valid(...AUDIT_TARGET_TYPES),
  targetId: objectId,
  actorId: objectId,
  subjectUserId: objectId,
  ...pageFields(50),
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
