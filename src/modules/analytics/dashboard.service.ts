import { DateTime } from 'luxon';
import mongoose from 'mongoose';
import { AnalyticsEventModel, FinalCompositeModel, TemplateModel, UserModel } from '../../models';
import { BUSINESS_ZONE } from '../usage/usage.service';
import { insightQueries } from './insight-queries';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Midnight of `now`'s Asia/Jakarta day. */
export function startOfBusinessDay(now: Date): Date {
  return DateTime.fromJSDate(now).setZone(BUSINESS_ZONE).startOf('day').toJSDate();
}

export interface DashboardStats {
  totalTemplates: number;
  weekTemplates: number;
  totalPhotos: number;
  todayPhotos: number;
  activeUsers: number;
  totalDownloads: number;
}

/**
 * CONTRACT #63 with the keys kept and each value meaning what its key says (§19.9): templates
 * are gallery templates, photos are composites, today is the Asia/Jakarta day, active users
 * signed in within 24 hours, downloads are the client's download events (kept 90 days).
 */
export async function dashboardStats(now = new Date()): Promise<DashboardStats> {
  const [totalTemplates, weekTemplates, totalPhotos, todayPhotos, activeUsers, totalDownloads] =
    await Promise.all([
      TemplateModel.countDocuments(insightQueries.galleryTemplates().filter),
      TemplateModel.countDocuments(
        insightQueries.galleryTemplatesSince(new Date(now.getTime() - 7 * DAY_MS)).filter,
      ),
      // The count command answers from collection metadata: no scan of every composite.
      FinalCompositeModel.estimatedDocumentCount().exec(),
      FinalCompositeModel.countDocuments(
        insightQueries.compositesSince(startOfBusinessDay(now)).filter,
      ),
      UserModel.countDocuments(
        insightQueries.activeUsersSince(new Date(now.getTime() - DAY_MS)).filter,
      ),
      AnalyticsEventModel.countDocuments(insightQueries.downloads().filter),
    ]);
  return { totalTemplates, weekTemplates, totalPhotos, todayPhotos, activeUsers, totalDownloads };
}

export interface TemplateActivity {
  id: string;
  name: string;
  category: string;
  photos: number;
  status: 'Active' | 'Inactive';
  lastUpdated: Date;
}

/**
 * CONTRACT #64: the templates used most in the last 7 days (composites per template, grouped by
 * MongoDB), with their real names; frames that are not gallery templates (AI or user frames)
 * are named as such.
 */
export async function templateActivity(now = new Date(), limit = 5): Promise<TemplateActivity[]> {
  const query = insightQueries.compositesSince(new Date(now.getTime() - 7 * DAY_MS));
  const groups = await FinalCompositeModel.aggregate<{
    _id: string | null;
    photos: number;
    lastUpdated: Date;
  }>([
    { $match: query.filter },
    { $group: { _id: '$templateId', photos: { $sum: 1 }, lastUpdated: { $max: '$createdAt' } } },
    { $sort: { photos: -1, lastUpdated: -1 } },
    { $limit: limit },
  ]);
  const ids = groups.map((g) => g._id).filter((id): id is string => mongoose.isValidObjectId(id));
  const templates = await TemplateModel.find(insightQueries.templatesByIds(ids).filter)
    .select('name category isActive')
    .lean<{ _id: mongoose.Types.ObjectId; name: string; category: string; isActive?: boolean }[]>();
  const byId = new Map(templates.map((t) => [String(t._id), t]));
  return groups.map((group) => {
    const id = group._id ?? 'unknown';
    const template = byId.get(id);
    return {
      id,
      name: template?.name ?? (id.startsWith('ai-generated') ? 'AI frame' : 'Custom frame'),
      category: template?.category ?? 'Custom',
      photos: group.photos,
      status: template?.isActive === false ? 'Inactive' : 'Active',
      lastUpdated: group.lastUpdated,
    };
  });
}

export interface ActivityItem {
  action: string;
  detail: string;
  time: string;
  type: 'create' | 'photo' | 'user';
  timestamp: Date;
}

/** "just now", "5 minutes ago", "3 hours ago", "2 days ago". */
export function timeAgo(at: Date, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000));
  if (seconds < 60) return 'just now';
  const units: [number, string][] = [
    [60 * 60 * 24, 'day'],
    [60 * 60, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, unit] of units) {
    if (seconds >= size) {
      const n = Math.floor(seconds / size);
      return `${n} ${unit}${n === 1 ? '' : 's'} ago`;
    }
  }
  return 'just now';
}

/** CONTRACT #65: the newest templates, composites and sign-ups, merged, newest first. */
export async function recentActivity(now = new Date(), limit = 4): Promise<ActivityItem[]> {
  const composites = insightQueries.newestComposites();
  const users = insightQueries.newestUsers();
  const templates = insightQueries.newestTemplates();
  const [c, u, t] = await Promise.all([
    FinalCompositeModel.find(composites.filter)
      .sort(composites.sort)
      .limit(limit)
      .select('templateId createdAt metadata.templateName')
      .lean<{ templateId?: string; createdAt: Date; metadata?: { templateName?: string } }[]>(),
    UserModel.find(users.filter)
      .sort(users.sort)
      .limit(limit)
      .select('name createdAt')
      .lean<{ name: string; createdAt: Date }[]>(),
    TemplateModel.find(templates.filter)
      .sort(templates.sort)
      .limit(limit)
      .select('name category createdAt')
      .lean<{ name: string; category: string; createdAt: Date }[]>(),
  ]);
  const items: Omit<ActivityItem, 'time'>[] = [
    ...c.map((doc) => ({
      action: 'New composite',
      detail: `A photo was made with ${doc.metadata?.templateName ?? doc.templateId ?? 'a frame'}`,
      type: 'photo' as const,
      timestamp: doc.createdAt,
    })),
    ...u.map((doc) => ({
      action: 'New user',
      detail: `${doc.name} signed up`,
      type: 'user' as const,
      timestamp: doc.createdAt,
    })),
    ...t.map((doc) => ({
      action: 'Template added',
      detail: `${doc.name} (${doc.category})`,
      type: 'create' as const,
      timestamp: doc.createdAt,
    })),
  ];
  return items
    .sort((a, b) => b.timestamp.getTime() - a.timestamp.getTime())
    .slice(0, limit)
    .map((item) => ({ ...item, time: timeAgo(item.timestamp, now) }));
}
