import type { WeeklyHours } from './stations.ts';

/** One China-time day of check-ins at a station, as `GET /api/v1/stations/:id/visits` gives it. */
export interface VisitDay {
  day: string;
  visits: number;
  /** `byHour[0]` counts 00:00–00:59. */
  byHour: number[];
}

/**
 * Opening-hours compliance from check-in data (验收 and yearly review look at it):
 * - `openDays`: days in the range the station says it is open; `openDaysVisited`: of those, days
 *   with at least one check-in. A station that claims to be open but sees nobody for weeks is
 *   probably shut; the share is what an inspector asks about.
 * - `inHours` / `outOfHours`: check-ins inside and outside the declared hours. Many outside means
 *   the published hours are wrong (workers find it open when the sign says closed).
 * - `heat[weekday][hour]`: check-ins per weekday (0 = Sunday) and hour; `declared[weekday][hour]`:
 *   whether any part of that hour is declared open.
 */
export interface HoursCompliance {
  openDays: number;
  openDaysVisited: number;
  inHours: number;
  outOfHours: number;
  heat: number[][];
  declared: boolean[][];
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Which hours of each weekday are (at least partly) declared open. */
export function declaredHours(hours: WeeklyHours, alwaysOpen: boolean): boolean[][] {
  return Array.from({ length: 7 }, (_, weekday) =>
    Array.from({ length: 24 }, (_, hour) =>
      alwaysOpen ||
      (hours[weekday] ?? []).some((span) => {
        const [from, to] = span.split('-') as [string, string];
        return toMinutes(from) < (hour + 1) * 60 && toMinutes(to) > hour * 60;
      }),
    ),
  );
}

/** `from` and `to` are China-time dates (YYYY-MM-DD), both included; `days` may list only days with visits. */
export function hoursCompliance(hours: WeeklyHours, alwaysOpen: boolean, days: VisitDay[], from: string, to: string): HoursCompliance {
  const declared = declaredHours(hours, alwaysOpen);
  const heat = Array.from({ length: 7 }, () => Array<number>(24).fill(0));
  const visited = new Map(days.map((d) => [d.day, d]));
  let openDays = 0;
  let openDaysVisited = 0;
  let inHours = 0;
  let outOfHours = 0;
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    const weekday = new Date(t).getUTCDay();
    const open = declared[weekday]!.some(Boolean);
    const day = visited.get(new Date(t).toISOString().slice(0, 10));
    if (open) openDays += 1;
    if (!day) continue;
    if (open && day.visits > 0) openDaysVisited += 1;
    day.byHour.forEach((count, hour) => {
      heat[weekday]![hour]! += count;
      if (declared[weekday]![hour]) inHours += count;
      else outOfHours += count;
    });
  }
  return { openDays, openDaysVisited, inHours, outOfHours, heat, declared };
}
