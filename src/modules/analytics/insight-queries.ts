import mongoose from 'mongoose';

/**
 * Every query the dashboards and admin analytics run, as data: the collection's model, the
 * filter and the sort. Services run exactly these, and the index-coverage test holds each one
 * against the model's declared indexes (equality, then sort, then range), so a query cannot
 * change without the test seeing it.
 */
export interface InsightQuery {
  name: string;
  model: string;
  filter: Record<string, unknown>;
  sort?: Record<string, 1 | -1>;
}

export interface DateRange {
  start: Date;
  end: Date;
}

const range = (r: DateRange) => mongoose.trusted({ $gte: r.start, $lt: r.end });
const since = (from: Date) => mongoose.trusted({ $gte: from });

export const insightQueries = {
  /** #62: every event of the range (one $facet over it). */
  eventsInRange: (r: DateRange): InsightQuery => ({
    name: 'eventsInRange',
    model: 'AnalyticsEvent',
    filter: { timestamp: range(r) },
  }),
  /** CSV export of events, oldest first, optionally of one type. */
  eventsExport: (r: DateRange, eventType?: string): InsightQuery => ({
    name: eventType ? 'eventsExportByType' : 'eventsExport',
    model: 'AnalyticsEvent',
    filter: { ...(eventType ? { eventType } : {}), timestamp: range(r) },
    sort: { timestamp: 1 },
  }),
  /** #63 totalDownloads: composite downloads the client reported (events are kept 90 days). */
  downloads: (): InsightQuery => ({
    name: 'downloads',
    model: 'AnalyticsEvent',
    filter: { eventType: 'composite_download' },
  }),
  /** #63 totalTemplates: templates in the public gallery. */
  galleryTemplates: (): InsightQuery => ({
    name: 'galleryTemplates',
    model: 'Template',
    filter: { isActive: true, visibility: 'public' },
  }),
  /** #63 weekTemplates: gallery templates added since `from`. */
  galleryTemplatesSince: (from: Date): InsightQuery => ({
    name: 'galleryTemplatesSince',
    model: 'Template',
    filter: { isActive: true, visibility: 'public', createdAt: since(from) },
  }),
  /** #65: the newest gallery templates. */
  newestTemplates: (): InsightQuery => ({
    name: 'newestTemplates',
    model: 'Template',
    filter: { isActive: true, visibility: 'public' },
    sort: { createdAt: -1 },
  }),
  /** #64: names of the templates a list of ids refers to. */
  templatesByIds: (ids: string[]): InsightQuery => ({
    name: 'templatesByIds',
    model: 'Template',
    filter: { _id: mongoose.trusted({ $in: ids }) },
  }),
  /** #63 todayPhotos, #64: composites since `from`. */
  compositesSince: (from: Date): InsightQuery => ({
    name: 'compositesSince',
    model: 'FinalComposite',
    filter: { createdAt: since(from) },
  }),
  /** #65: the newest composites. */
  newestComposites: (): InsightQuery => ({
    name: 'newestComposites',
    model: 'FinalComposite',
    filter: {},
    sort: { createdAt: -1 },
  }),
  /** #63 activeUsers: accounts that signed in since `from`. */
  activeUsersSince: (from: Date): InsightQuery => ({
    name: 'activeUsersSince',
    model: 'User',
    filter: { isDeleted: false, lastLogin: since(from) },
  }),
  /** #65: the newest accounts. */
  newestUsers: (): InsightQuery => ({
    name: 'newestUsers',
    model: 'User',
    filter: { isDeleted: false },
    sort: { createdAt: -1 },
  }),
  /** Funnel: sessions started in the range, optionally of one template. */
  sessionsInRange: (r: DateRange, templateId?: string): InsightQuery => ({
    name: templateId ? 'sessionsInRangeOfTemplate' : 'sessionsInRange',
    model: 'PhotoSession',
    filter: { ...(templateId ? { templateId } : {}), createdAt: range(r) },
  }),
  /**
   * Funnel: a session's composites, the $match of a $lookup whose `$$sid` is the session's id
   * (an $expr equality, which MongoDB 5.0+ serves from an index).
   */
  compositeOfSession: (): InsightQuery => ({
    name: 'compositeOfSession',
    model: 'FinalComposite',
    filter: { $expr: { $eq: ['$sessionId', '$$sid'] } },
  }),
  /** Funnel: downloads the client reported for a session (a $lookup's $match, like above). */
  downloadOfSession: (): InsightQuery => ({
    name: 'downloadOfSession',
    model: 'AnalyticsEvent',
    filter: {
      $expr: {
        $and: [{ $eq: ['$sessionId', '$$sid'] }, { $eq: ['$eventType', 'composite_download'] }],
      },
    },
  }),
  /** Funnel's Pro step and revenue by day: payments approved in the range. */
  approvedPayments: (r: DateRange): InsightQuery => ({
    name: 'approvedPayments',
    model: 'Payment',
    filter: { status: 'approved', approvedAt: range(r) },
  }),
} as const;
