import { AppError } from '../../lib/errors';
import type { DateRange } from './insight-queries';

const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_RANGE_DAYS = 30;
export const MAX_RANGE_DAYS = 366;

/** The admin's range: [startDate, endDate), by default the last 30 days; at most 366 days. */
export function resolveRange(
  input: { startDate?: Date; endDate?: Date },
  now = new Date(),
): DateRange {
  const end = input.endDate ?? now;
  const start = input.startDate ?? new Date(end.getTime() - DEFAULT_RANGE_DAYS * DAY_MS);
  if (start.getTime() >= end.getTime())
    throw AppError.badRequest('startDate must be before endDate');
  if (end.getTime() - start.getTime() > MAX_RANGE_DAYS * DAY_MS)
    throw AppError.badRequest(`The date range can span at most ${MAX_RANGE_DAYS} days`);
  return { start, end };
}

/** Rounded to 4 decimals; 0 when there is nothing to divide by. */
export function rate(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : 0;
}
