import type { PipelineStage } from 'mongoose';
import {
  AnalyticsEventModel,
  FinalCompositeModel,
  PaymentModel,
  PhotoSessionModel,
} from '../../models';
import { BUSINESS_ZONE } from '../usage/usage.service';
import { rate } from './date-range';
import { insightQueries, type DateRange } from './insight-queries';

export const FUNNEL_STAGES = [
  'started',
  'captured',
  'composite',
  'sharedOrDownloaded',
  'pro',
] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

export interface FunnelStep {
  stage: FunnelStage;
  count: number;
  /** Of the sessions that reached the step before. */
  rateFromPrevious: number;
  /** Of the sessions started. */
  rateFromStart: number;
}

export interface FunnelRow {
  templateId: string;
  steps: FunnelStep[];
}

export interface Funnel {
  range: { startDate: Date; endDate: Date };
  overall: FunnelStep[];
  byTemplate: FunnelRow[];
}

type Counts = Record<FunnelStage, number>;

function steps(counts: Counts): FunnelStep[] {
  return FUNNEL_STAGES.map((stage, i) => ({
    stage,
    count: counts[stage],
    rateFromPrevious: i === 0 ? 1 : rate(counts[stage], counts[FUNNEL_STAGES[i - 1] ?? 'started']),
    rateFromStart: rate(counts[stage], counts.started),
  }));
}

/**
 * The booth funnel of the sessions started in the range, overall and per template. A session
 * reaches a step only through the ones before it: started → at least one capture → a composite
 * → the composite shared (public or link) or a download reported by the client → its user's Pro
 * payment approved after the session started and before the range ends. Counted by MongoDB in
 * one aggregation; the approved payments of the range (few) are passed into it.
 */
export async function funnel(range: DateRange, templateId?: string): Promise<Funnel> {
  const approved = await PaymentModel.find(insightQueries.approvedPayments(range).filter)
    .select('userId approvedAt')
    .lean<{ userId: unknown; approvedAt: Date }[]>();
  const purchases = approved.map((p) => ({ u: String(p.userId), at: p.approvedAt }));

  const sessions = insightQueries.sessionsInRange(range, templateId);
  const pipeline: PipelineStage[] = [
    { $match: sessions.filter },
    {
      $project: {
        templateId: 1,
        userId: 1,
        createdAt: 1,
        capturedPhotos: 1,
        sid: { $toString: '$_id' },
      },
    },
    {
      $lookup: {
        from: FinalCompositeModel.collection.collectionName,
        let: { sid: '$sid' },
        pipeline: [
          { $match: insightQueries.compositeOfSession().filter },
          {
            $project: {
              shared: { $or: [{ $eq: ['$isPublic', true] }, { $eq: ['$shareEnabled', true] }] },
            },
          },
        ],
        as: 'composites',
      },
    },
    {
      $lookup: {
        from: AnalyticsEventModel.collection.collectionName,
        let: { sid: '$sid' },
        pipeline: [
          { $match: insightQueries.downloadOfSession().filter },
          { $limit: 1 },
          { $project: { _id: 1 } },
        ],
        as: 'downloads',
      },
    },
    {
      $project: {
        templateId: 1,
        captured: { $gt: [{ $size: { $ifNull: ['$capturedPhotos', []] } }, 0] },
        composite: { $gt: [{ $size: '$composites' }, 0] },
        spread: {
          $or: [
            { $anyElementTrue: [{ $ifNull: ['$composites.shared', []] }] },
            { $gt: [{ $size: '$downloads' }, 0] },
          ],
        },
        pro: {
          $gt: [
            {
              $size: {
                $filter: {
                  input: { $literal: purchases },
                  as: 'p',
                  cond: {
                    $and: [{ $eq: ['$$p.u', '$userId'] }, { $gte: ['$$p.at', '$createdAt'] }],
                  },
                },
              },
            },
            0,
          ],
        },
      },
    },
    {
      $project: {
        templateId: 1,
        s2: { $cond: ['$captured', 1, 0] },
        s3: { $cond: [{ $and: ['$captured', '$composite'] }, 1, 0] },
        s4: { $cond: [{ $and: ['$captured', '$composite', '$spread'] }, 1, 0] },
        s5: { $cond: [{ $and: ['$captured', '$composite', '$spread', '$pro'] }, 1, 0] },
      },
    },
    {
      $group: {
        _id: '$templateId',
        started: { $sum: 1 },
        captured: { $sum: '$s2' },
        composite: { $sum: '$s3' },
        sharedOrDownloaded: { $sum: '$s4' },
        pro: { $sum: '$s5' },
      },
    },
    { $sort: { started: -1, _id: 1 } },
  ];
  const rows = await PhotoSessionModel.aggregate<Counts & { _id: string }>(pipeline);
  const total: Counts = { started: 0, captured: 0, composite: 0, sharedOrDownloaded: 0, pro: 0 };
  for (const row of rows) for (const stage of FUNNEL_STAGES) total[stage] += row[stage];
  return {
    range: { startDate: range.start, endDate: range.end },
    overall: steps(total),
    byTemplate: rows.map((row) => ({ templateId: row._id, steps: steps(row) })),
  };
}

export interface RevenueDay {
  date: string;
  revenue: number;
  payments: number;
}

export interface Revenue {
  range: { startDate: Date; endDate: Date; timezone: string };
  currency: 'IDR';
  total: number;
  payments: number;
  days: RevenueDay[];
}

/** Approved payments by the Asia/Jakarta day of approval (whole rupiah); days without are 0. */
export async function revenueByDay(range: DateRange): Promise<Revenue> {
  const query = insightQueries.approvedPayments(range);
  const rows = await PaymentModel.aggregate<{ _id: string; revenue: number; payments: number }>([
    { $match: query.filter },
    {
      $group: {
        _id: {
          $dateToString: { format: '%Y-%m-%d', date: '$approvedAt', timezone: BUSINESS_ZONE },
        },
        revenue: { $sum: '$amount' },
        payments: { $sum: 1 },
      },
    },
    { $sort: { _id: 1 } },
  ]);
  const byDay = new Map(rows.map((row) => [row._id, row]));
  const days: RevenueDay[] = [];
  for (const date of businessDays(range)) {
    const row = byDay.get(date);
    days.push({ date, revenue: row?.revenue ?? 0, payments: row?.payments ?? 0 });
  }
  return {
    range: { startDate: range.start, endDate: range.end, timezone: BUSINESS_ZONE },
    currency: 'IDR',
    total: rows.reduce((sum, row) => sum + row.revenue, 0),
    payments: rows.reduce((sum, row) => sum + row.payments, 0),
    days,
  };
}

/** The Asia/Jakarta calendar days the range touches, as YYYY-MM-DD. */
function businessDays(range: DateRange): string[] {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone: BUSINESS_ZONE });
  const days: string[] = [];
  // Jakarta has no daylight saving: every day is 24 hours.
  for (let t = range.start.getTime(); t < range.end.getTime(); t += 24 * 3600 * 1000) {
    days.push(format.format(new Date(t)));
  }
  const last = format.format(new Date(range.end.getTime() - 1));
  if (days[days.length - 1] !== last) days.push(last);
  return days;
}
