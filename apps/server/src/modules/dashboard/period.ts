import { DASHBOARD_MAX_DAYS } from '@nuanxin/shared';
import { AppError } from '../../common/errors.ts';
import { todayCst } from '../../common/time.ts';

/**
 * A period of China days [from, to], with the whole months inside it [monthFrom, monthTo): those are
 * read from the monthly rollup, the days before and after them from a daily one. Without a whole
 * month, monthFrom = monthTo = the day after `to`, so every day is an edge day.
 */
export interface Period {
  from: string;
  to: string;
  monthFrom: string;
  monthTo: string;
}

const DAY_MS = 86_400_000;
const parse = (day: string) => Date.parse(`${day}T00:00:00Z`);
const format = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const addDays = (day: string, n: number) => format(parse(day) + n * DAY_MS);
export const daysBetween = (from: string, to: string) => Math.round((parse(to) - parse(from)) / DAY_MS) + 1;
const monthStart = (day: string) => `${day.slice(0, 7)}-01`;
const nextMonth = (day: string) => {
  const d = new Date(parse(day));
  return format(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
};

/** [from, to] with its whole months marked. */
export function period(from: string, to: string): Period {
  const monthFrom = from.endsWith('-01') ? from : nextMonth(from);
  const after = addDays(to, 1);
  const monthTo = after.endsWith('-01') ? after : monthStart(to);
  return monthFrom < monthTo ? { from, to, monthFrom, monthTo } : { from, to, monthFrom: after, monthTo: after };
}

/** The asked period (default: this month so far), refused when reversed or too long. */
export function requestedPeriod(query: { from?: string | undefined; to?: string | undefined }, maxDays = DASHBOARD_MAX_DAYS, today = todayCst()): Period {
  const to = query.to ?? (query.from && query.from > today ? query.from : today);
  const from = query.from ?? monthStart(to);
  if (from > to) throw new AppError('DASHBOARD_RANGE_INVALID');
  if (daysBetween(from, to) > maxDays) throw new AppError('DASHBOARD_RANGE_TOO_LONG', { maxDays });
  return period(from, to);
}

/** The period of equal length just before. */
export function previousPeriod(p: Period): Period {
  const days = daysBetween(p.from, p.to);
  return period(addDays(p.from, -days), addDays(p.from, -1));
}

/** Everything up to the end of `p`: balances and totals at that day. */
export function upTo(p: Period): Period {
  return period('2000-01-01', p.to);
}

/** 'YYYY-MM' → its first and last day. */
export function monthPeriod(month: string): Period {
  const from = `${month}-01`;
  return period(from, addDays(nextMonth(from), -1));
}
