import mongoose, { type QueryFilter } from 'mongoose';
import { AppError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import type { FileStorage } from '../../lib/storage';
import type { AuthUser } from '../../lib/auth-user';
import { TemplateModel, UserGeneratedFrameModel } from '../../models';
import { deviceFrom } from '../analytics/device';
import type { AnalyticsWriter } from '../analytics/event-writer';
import type { RequestMeta } from '../analytics/track.service';
import type { Template } from '../../models/template.model';
import type { UserFrameRecord } from '../user-frames/user-frames.mapper';
import {
  toTemplateDto,
  userFrameToTemplateDto,
  type TemplateDto,
  type TemplateRecord,
} from './templates.mapper';
import type { ListTemplatesQuery } from './templates.schemas';
import { newestFirstPage, pagination } from '../../lib/pagination';

export interface TemplatePage {
  templates: TemplateDto[];
  pagination: { page: number; limit: number; total: number; pages: number };
}

const OBJECT_ID = /^[0-9a-f]{24}$/i;

/**
 * The gallery (CONTRACT #18, §19.3/§19.4): active by default, public templates (or ones without
 * a visibility field) plus the caller's own private ones, newest first. A template whose frame is
 * still being processed is listed to admins only (the admin Templates page reads this list).
 */
export async function listTemplates(
  actor: AuthUser | undefined,
  query: ListTemplatesQuery,
  storage: FileStorage,
): Promise<TemplatePage> {
  const visible: QueryFilter<Template>[] = [
    { visibility: 'public' },
    { visibility: mongoose.trusted({ $exists: false }) },
  ];
  if (actor)
    visible.push({ visibility: 'private', createdBy: new mongoose.Types.ObjectId(actor.id) });
  const admin = actor?.role === 'admin';
  const filter: QueryFilter<Template> = { isActive: query.isActive, $or: visible };
  if (!admin) filter.processing = mongoose.trusted({ $ne: true });
  if (query.category && query.category !== 'All') filter.category = query.category;
  if (query.isPremium !== undefined) filter.isPremium = query.isPremium;
  if (query.isAIGenerated !== undefined) filter.isAIGenerated = query.isAIGenerated;

  const [records, total] = await Promise.all([
    newestFirstPage(TemplateModel.find(filter), query).lean<TemplateRecord[]>(),
    TemplateModel.countDocuments(filter),
  ]);
  return {
    templates: records.map((record) => toTemplateDto(record, admin ? storage : undefined)),
    pagination: pagination(query, total),
  };
}

/**
 * One template by id (CONTRACT #19). Inactive templates still resolve (old sessions point at
 * them); someone else's private template does not, nor one still being processed (its creator and
 * admins excepted). The caller's own AI frames resolve too (§19.19).
 */
export async function getTemplate(
  actor: AuthUser | undefined,
  id: string,
  storage: FileStorage,
): Promise<TemplateDto> {
  if (!OBJECT_ID.test(id)) {
    throw AppError.badRequest('Invalid template id', [
      { field: 'id', message: 'must be a 24-character hex id' },
    ]);
  }
  const template = await TemplateModel.findById(id).lean<TemplateRecord>();
  if (template) {
    const owner = actor && (String(template.createdBy) === actor.id || actor.role === 'admin');
    if ((template.visibility === 'private' || template.processing === true) && !owner)
      throw AppError.notFound('Template not found');
    return toTemplateDto(template, owner ? storage : undefined);
  }
  if (actor) {
    const frame = await UserGeneratedFrameModel.findOne({
      _id: id,
      userId: actor.id,
      isActive: mongoose.trusted({ $ne: false }),
    }).lean<UserFrameRecord>();
    if (frame) return userFrameToTemplateDto(frame);
  }
  throw AppError.notFound('Template not found');
}

/**
 * A template view for the analytics dashboards, through the tracked events' batch writer like the
 * client's events: the request never waits for MongoDB, and a full buffer drops the view (logged)
 * rather than failing the page.
 */
export function recordTemplateView(
  actor: AuthUser | undefined,
  templateId: string,
  request: RequestMeta,
  deps: { analytics: AnalyticsWriter; logger: Logger },
): void {
  const accepted = deps.analytics.add({
    _id: new mongoose.Types.ObjectId(),
    eventType: 'template_view',
    eventCategory: 'template',
    templateId,
    ...(actor ? { userId: actor.id } : {}),
    deviceInfo: deviceFrom(request.userAgent),
    ...(request.ip ? { ipAddress: request.ip.slice(0, 64) } : {}),
    ...(request.referrer ? { referrer: request.referrer.slice(0, 2048) } : {}),
    timestamp: new Date(),
  });
  if (!accepted) deps.logger.warn({ templateId }, 'template_view event not recorded: buffer full');
}
