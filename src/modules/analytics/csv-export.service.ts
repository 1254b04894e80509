import { once } from 'node:events';
import type { Response } from 'express';
import { AnalyticsEventModel } from '../../models';
import { funnel } from './funnel.service';
import { insightQueries, type DateRange } from './insight-queries';

/** One CSV cell: quoted when needed; a leading = + - @ is neutralised (spreadsheet formulas). */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text =
    value instanceof Date
      ? value.toISOString()
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (cells: unknown[]): string => `${cells.map(csvCell).join(',')}\r\n`;

function startCsv(res: Response, filename: string): void {
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  res.setHeader('Cache-Control', 'no-store');
}

/** Writes respecting backpressure; false once the client has gone. */
async function write(res: Response, chunk: string): Promise<boolean> {
  if (res.destroyed) return false;
  if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
  return !res.destroyed;
}

const stamp = (range: DateRange) =>
  `${range.start.toISOString().slice(0, 10)}_${range.end.toISOString().slice(0, 10)}`;

export const EVENT_COLUMNS = [
  'timestamp',
  'eventType',
  'eventCategory',
  'userId',
  'sessionId',
  'templateId',
  'device',
  'ipAddress',
  'referrer',
  'metadata',
] as const;

/**
 * The range's events as CSV, oldest first, streamed from a MongoDB cursor row by row: memory
 * stays flat however many events there are, and a client that disconnects stops the cursor.
 */
export async function streamEventsCsv(
  res: Response,
  range: DateRange,
  eventType?: string,
): Promise<void> {
  const query = insightQueries.eventsExport(range, eventType);
  const cursor = AnalyticsEventModel.find(query.filter)
    .sort(query.sort)
    .lean()
    .cursor({ batchSize: 500 });
  startCsv(res, `events_${stamp(range)}.csv`);
  try {
    if (!(await write(res, csvLine([...EVENT_COLUMNS])))) return;
    for await (const event of cursor) {
      const device = (event.deviceInfo as { type?: string } | undefined)?.type;
      const ok = await write(
        res,
        csvLine([
          event.timestamp,
          event.eventType,
          event.eventCategory,
          event.userId,
          event.sessionId,
          event.templateId,
          device,
          event.ipAddress,
          event.referrer,
          event.metadata,
        ]),
      );
      if (!ok) return;
    }
  } finally {
    await cursor.close().catch(() => undefined);
    if (!res.destroyed) res.end();
  }
}

/** The funnel as CSV: one row overall, then one per template; counts and rates per step. */
export async function streamFunnelCsv(
  res: Response,
  range: DateRange,
  templateId?: string,
): Promise<void> {
  const result = await funnel(range, templateId);
  startCsv(res, `funnel_${stamp(range)}.csv`);
  const stages = result.overall.map((s) => s.stage);
  const header = [
    'templateId',
    ...stages.flatMap((stage) => [stage, `${stage}_rateFromPrevious`, `${stage}_rateFromStart`]),
  ];
  const rows = [{ templateId: 'ALL', steps: result.overall }, ...result.byTemplate];
  if (await write(res, csvLine(header))) {
    for (const row of rows) {
      const cells = row.steps.flatMap((s) => [s.count, s.rateFromPrevious, s.rateFromStart]);
      if (!(await write(res, csvLine([row.templateId, ...cells])))) break;
    }
  }
  if (!res.destroyed) res.end();
}
