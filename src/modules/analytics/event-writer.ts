import { Types } from 'mongoose';
import type { Config } from '../../config';
import { BatchWriter } from '../../lib/batch-writer';
import type { Logger } from '../../lib/logger';
import { AnalyticsEventModel } from '../../models';
import type { DeviceInfo } from './device';
import type { ServerEvent } from './server-events';

/** One client event as stored; `_id` is made here, so the request can answer it before the write. */
export interface TrackedEvent extends ServerEvent {
  _id: Types.ObjectId;
  deviceInfo: DeviceInfo;
  ipAddress?: string;
  referrer?: string;
  timestamp: Date;
}

export type AnalyticsWriter = BatchWriter<TrackedEvent>;

/**
 * The tracked events' writer: batches of `insertMany` (unordered, without per-document
 * validation: the request validated each event), one at a time. Close it on shutdown after the
 * HTTP server stops and before MongoDB disconnects.
 */
export function createAnalyticsWriter(config: Readonly<Config>, logger: Logger): AnalyticsWriter {
  return new BatchWriter<TrackedEvent>({
    name: 'analytics-events',
    batchSize: config.analytics.batchSize,
    flushIntervalMs: config.analytics.flushIntervalMs,
    maxBuffered: config.analytics.bufferMax,
    logger,
    write: async (events) => {
      try {
        await AnalyticsEventModel.insertMany(events, { ordered: false, lean: true });
      } catch (error) {
        // A retried batch whose first attempt partly landed: the ids already stored are duplicates.
        if (!onlyDuplicates(error)) throw error;
      }
    },
  });
}

function onlyDuplicates(error: unknown): boolean {
  const writeErrors = (error as { writeErrors?: { code?: number; err?: { code?: number } }[] })
    ?.writeErrors;
  return (
    Array.isArray(writeErrors) &&
    writeErrors.length > 0 &&
    writeErrors.every((e) => (e.code ?? e.err?.code) === 11000)
  );
}
