import Joi from 'joi';
import { ANALYTICS_FIELD_MAX_LENGTH } from '../../models/enums';
import type { ServerEvent } from './server-events';

/** Metadata a client may attach to one event: a small JSON object, Mongo-safe keys. */
export const METADATA_LIMITS = { maxDepth: 4, maxBytes: 4096, maxKeys: 50 } as const;

/** Custom event types and categories are allowed, as short identifiers. */
const NAME_PATTERN = /^[A-Za-z][\w.:-]*$/;

export type TrackBody = ServerEvent;

function checkMetadata(value: unknown, helpers: Joi.CustomHelpers): unknown {
  let keys = 0;
  const walk = (node: unknown, depth: number): string | undefined => {
    if (node === null || typeof node !== 'object') return undefined;
    if (depth > METADATA_LIMITS.maxDepth)
      return `metadata is nested deeper than ${METADATA_LIMITS.maxDepth} levels`;
    const entries = Array.isArray(node)
      ? node.map((v, i) => [String(i), v] as const)
      : Object.entries(node);
    for (const [key, child] of entries) {
      keys += 1;
      if (keys > METADATA_LIMITS.maxKeys)
        return `metadata has more than ${METADATA_LIMITS.maxKeys} keys`;
      // Stored as a document: keys must not be operators or dotted paths.
      if (!Array.isArray(node) && (key.startsWith('$') || key.includes('.') || key.length > 64))
        return `metadata key "${key.slice(0, 64)}" is not allowed`;
      const problem = walk(child, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  };
  const problem = walk(value, 1);
  if (problem) return helpers.message({ custom: problem });
  if (Buffer.byteLength(JSON.stringify(value), 'utf8') > METADATA_LIMITS.maxBytes)
    return helpers.message({ custom: `metadata is larger than ${METADATA_LIMITS.maxBytes} bytes` });
  return value;
}

const name = Joi.string().trim().max(ANALYTICS_FIELD_MAX_LENGTH).pattern(NAME_PATTERN);

/** CONTRACT #61: what the web client sends; unknown keys are dropped. */
export const trackBody = Joi.object<TrackBody, true>({
  eventType: name.required(),
  eventCategory: name.required(),
  userId: Joi.string().trim().max(100).allow(null, '').empty(Joi.valid(null, '')),
  sessionId: Joi.string().trim().max(100).allow(null, '').empty(Joi.valid(null, '')),
  templateId: Joi.string().trim().max(200).allow(null, '').empty(Joi.valid(null, '')),
  metadata: Joi.object().unknown(true).allow(null).empty(null).custom(checkMetadata),
});

export interface DateRangeQuery {
  startDate?: Date;
  endDate?: Date;
}

/** A date range of the admin analytics; ISO dates or timestamps. */
export const dateRangeQuery = Joi.object<DateRangeQuery, true>({
  startDate: Joi.date().iso(),
  endDate: Joi.date().iso(),
});

export interface FunnelQuery extends DateRangeQuery {
  templateId?: string;
}

export const funnelQuery = Joi.object<FunnelQuery, true>({
  startDate: Joi.date().iso(),
  endDate: Joi.date().iso(),
  templateId: Joi.string().trim().max(200),
});

export interface EventsExportQuery extends DateRangeQuery {
  eventType?: string;
}

export const eventsExportQuery = Joi.object<EventsExportQuery, true>({
  startDate: Joi.date().iso(),
  endDate: Joi.date().iso(),
  eventType: name,
});
