import { badValue } from './errors';

const UNIT_MS: Record<string, number> = {
  millisecond: 1,
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
};
const MONTHS_PER_UNIT: Record<string, number> = { month: 1, quarter: 3, year: 12 };
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const REF_2000 = Date.UTC(2000, 0, 1);

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: timezone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw badValue(`unrecognized time zone identifier: "${timezone}"`);
    }
    formatters.set(timezone, f);
  }
  return f;
}

/** Offset of `timezone` from UTC at `date`, in minutes (Olson names or ±HH[:MM]). */
export function tzOffsetMinutes(timezone: string | undefined, date: Date): number {
  if (!timezone || /^(UTC|GMT|Z|Etc\/UTC|Etc\/GMT)$/i.test(timezone)) return 0;
  const fixed = /^([+-])(\d{2}):?(\d{2})?$/.exec(timezone);
  if (fixed) {
    const mins = Number(fixed[2]) * 60 + Number(fixed[3] ?? 0);
    return fixed[1] === '-' ? -mins : mins;
  }
  const parts = formatterFor(timezone).formatToParts(date);
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const local = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((local - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
}

/** $dateTrunc done in the local calendar, as mongod does (mingo truncates in UTC). */
export function truncateDate(
  date: Date,
  unit: string,
  binSize: number,
  timezone?: string,
  startOfWeek?: string,
): Date {
  if (!(binSize > 0)) throw badValue("$dateTrunc requires 'binSize' to be greater than 0");
  const offset = tzOffsetMinutes(timezone, date) * 60_000;
  const local = date.getTime() + offset;
  let truncatedLocal: number;
  if (unit in MONTHS_PER_UNIT) {
    const d = new Date(local);
    const months = (d.getUTCFullYear() - 2000) * 12 + d.getUTCMonth();
    const bin = binSize * MONTHS_PER_UNIT[unit];
    const start = Math.floor(months / bin) * bin;
    truncatedLocal = Date.UTC(2000 + Math.floor(start / 12), ((start % 12) + 12) % 12, 1);
  } else if (unit in UNIT_MS) {
    let ref = REF_2000;
    if (unit === 'week') {
      const dow = DAYS.indexOf((startOfWeek ?? 'sun').toLowerCase().slice(0, 3));
      if (dow < 0) throw badValue(`$dateTrunc: unknown startOfWeek '${startOfWeek}'`);
      ref += ((dow - 6 + 7) % 7) * 86_400_000; // 2000-01-01 was a Saturday
    }
    const bin = binSize * UNIT_MS[unit];
    truncatedLocal = local - ((((local - ref) % bin) + bin) % bin);
  } else {
    throw badValue(`$dateTrunc: unknown unit '${unit}'`);
  }
  if (unit === 'millisecond' || unit === 'second' || unit === 'minute') {
    return new Date(truncatedLocal - offset);
  }
  const guess = new Date(truncatedLocal - offset);
  return new Date(truncatedLocal - tzOffsetMinutes(timezone, guess) * 60_000);
}
