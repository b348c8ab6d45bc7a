import type { CategoryLimits } from '@nuanxin/shared';

/** Time limits: calendar minutes, or working minutes (09:00–18:00 Mon–Fri China time, less public holidays). */
const CST_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
const DAY_START_MS = 9 * 3_600_000;
const DAY_END_MS = 18 * 3_600_000;

export interface WorkCalendar {
  /** Weekdays off (法定节假日), 'YYYY-MM-DD'. */
  holidays: ReadonlySet<string>;
  /** Weekend days worked instead (调休). */
  workdays: ReadonlySet<string>;
}

// As announced by the State Council; add each year's list when it is published.
export const CHINA_CALENDAR: WorkCalendar = {
  holidays: new Set([
    '2025-01-01', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-03', '2025-02-04', '2025-04-04', '2025-05-01', '2025-05-02',
    '2025-05-05', '2025-06-02', '2025-10-01', '2025-10-02', '2025-10-03', '2025-10-06', '2025-10-07', '2025-10-08',
    '2026-01-01', '2026-01-02', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-23', '2026-04-06',
    '2026-05-01', '2026-05-04', '2026-05-05', '2026-06-19', '2026-09-25', '2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07',
  ]),
  workdays: new Set(['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11', '2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']),
};

function isWorkingDay(localMidnight: number, calendar: WorkCalendar): boolean {
  const day = new Date(localMidnight).toISOString().slice(0, 10);
  if (calendar.workdays.has(day)) return true;
  if (calendar.holidays.has(day)) return false;
  const weekday = new Date(localMidnight).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** `start` plus `minutes` of working time: the clock stops outside 09:00–18:00 and on days off. */
export function addWorkingMinutes(start: Date, minutes: number, calendar: WorkCalendar = CHINA_CALENDAR): Date {
  // "Local" milliseconds: China time read through the UTC getters.
  let t = start.getTime() + CST_OFFSET_MS;
  let remaining = minutes * 60_000;
  for (;;) {
    const midnight = Math.floor(t / DAY_MS) * DAY_MS;
    const inDay = t - midnight;
    if (!isWorkingDay(midnight, calendar) || inDay >= DAY_END_MS) {
      t = midnight + DAY_MS + DAY_START_MS;
      continue;
    }
    if (inDay < DAY_START_MS) t = midnight + DAY_START_MS;
    const available = midnight + DAY_END_MS - t;
    if (remaining <= available) return new Date(t + remaining - CST_OFFSET_MS);
    remaining -= available;
    t = midnight + DAY_MS + DAY_START_MS;
  }
}

export type LimitStep = keyof CategoryLimits;

export interface ClockCategory {
  limits: CategoryLimits;
  urgent_limits: CategoryLimits;
  working_hours: boolean;
}

/** When a step that starts at `from` is due, by the category's limit for it. */
export function dueAfter(category: ClockCategory, step: LimitStep, urgent: boolean, from: Date): Date {
  const minutes = (urgent ? category.urgent_limits : category.limits)[step];
  return category.working_hours ? addWorkingMinutes(from, minutes) : new Date(from.getTime() + minutes * 60_000);
}

/** Minimum grace before a yellow card turns red, for very short limits. */
const MIN_RED_GRACE_MS = 30 * 60_000;

/**
 * The escalation a case should have now: 1 (黄牌) once its step is overdue, 2 (红牌督办) once it is
 * overdue by as long again as the step was given. Levels never go down.
 */
export function escalationTarget(dueAt: Date | null, stepStartedAt: Date, now: Date): 0 | 1 | 2 {
  if (!dueAt || now < dueAt) return 0;
  const span = Math.max(dueAt.getTime() - stepStartedAt.getTime(), MIN_RED_GRACE_MS);
  return now.getTime() >= dueAt.getTime() + span ? 2 : 1;
}
