import type { PipelineStage } from 'mongoose';
import { AnalyticsEventModel } from '../../models';
import { BUSINESS_ZONE } from '../usage/usage.service';
import { insightQueries, type DateRange } from './insight-queries';

interface Count {
  _id: string | null;
  count: number;
}

export interface AdminAnalytics {
  range: { startDate: Date; endDate: Date; timezone: string };
  overview: { totalEvents: number; uniqueUsers: number; uniqueSessions: number };
  eventsByType: Count[];
  eventsByCategory: Count[];
  eventsOverTime: { date: string; count: number }[];
  deviceBreakdown: Count[];
  topTemplates: Count[];
  recentEvents: {
    eventType: string;
    eventCategory: string;
    userId: string | null;
    sessionId: string | null;
    templateId: string | null;
    timestamp: Date;
  }[];
}

const byCount = (field: unknown, limit?: number): PipelineStage.FacetPipelineStage[] => [
  { $group: { _id: field, count: { $sum: 1 } } },
  { $sort: { count: -1, _id: 1 } },
  ...(limit ? [{ $limit: limit }] : []),
];

/**
 * CONTRACT #62: one aggregation over the range's events (the TTL index on timestamp serves the
 * range); days are Asia/Jakarta calendar days, bucketed by MongoDB. Every number is a number
 * (the client calls toLocaleString on them).
 */
export async function adminAnalytics(range: DateRange): Promise<AdminAnalytics> {
  const query = insightQueries.eventsInRange(range);
  const [facets] = await AnalyticsEventModel.aggregate<{
    total: { n: number }[];
    users: { n: number }[];
    sessions: { n: number }[];
    byType: Count[];
    byCategory: Count[];
    overTime: { _id: string; count: number }[];
    devices: Count[];
    templates: Count[];
    recent: AdminAnalytics['recentEvents'];
  }>([
    { $match: query.filter },
    {
      $facet: {
        total: [{ $count: 'n' }],
        users: [
          { $match: { userId: { $type: 'string' } } },
          { $group: { _id: '$userId' } },
          { $count: 'n' },
        ],
        sessions: [
          { $match: { sessionId: { $type: 'string' } } },
          { $group: { _id: '$sessionId' } },
          { $count: 'n' },
        ],
        byType: byCount('$eventType'),
        byCategory: byCount('$eventCategory'),
        overTime: [
          {
            $group: {
              _id: {
                $dateToString: { format: '%Y-%m-%d', date: '$timestamp', timezone: BUSINESS_ZONE },
              },
              count: { $sum: 1 },
            },
          },
          { $sort: { _id: 1 } },
        ],
        devices: byCount({ $ifNull: ['$deviceInfo.type', 'Unknown'] }),
        templates: [{ $match: { templateId: { $type: 'string' } } }, ...byCount('$templateId', 10)],
        recent: [
          { $sort: { timestamp: -1, _id: -1 } },
          { $limit: 10 },
          {
            $project: {
              _id: 0,
              eventType: 1,
              eventCategory: 1,
              userId: { $ifNull: ['$userId', null] },
              sessionId: { $ifNull: ['$sessionId', null] },
              templateId: { $ifNull: ['$templateId', null] },
              timestamp: 1,
            },
          },
        ],
      },
    },
  ]);
  const first = (rows: { n: number }[] | undefined) => rows?.[0]?.n ?? 0;
  return {
    range: { startDate: range.start, endDate: range.end, timezone: BUSINESS_ZONE },
    overview: {
      totalEvents: first(facets?.total),
      uniqueUsers: first(facets?.users),
      uniqueSessions: first(facets?.sessions),
    },
    eventsByType: facets?.byType ?? [],
    eventsByCategory: facets?.byCategory ?? [],
    eventsOverTime: (facets?.overTime ?? []).map((row) => ({ date: row._id, count: row.count })),
    deviceBreakdown: facets?.devices ?? [],
    topTemplates: facets?.templates ?? [],
    recentEvents: facets?.recent ?? [],
  };
}
