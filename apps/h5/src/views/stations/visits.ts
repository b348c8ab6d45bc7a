import type { SessionOccurrence, StationBooking } from '@nuanxin/shared';
import { WEEK } from './stations.ts';

const pad = (n: number) => String(n).padStart(2, '0');

/** `14:05` of an ISO time, on the phone's clock (the worker is at the station, in China). */
export function clockOf(iso: string): string {
  const date = new Date(iso);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The i18n key of a session date's weekday (`stations.weekdays.thu`); dates are China-time days. */
export function weekdayKey(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return `stations.weekdays.${WEEK.find((w) => w.day === weekday)!.key}`;
}

/** `11-26 14:00–17:00`: the weekday is put in front by the page, in its language. */
export function whenOf(o: Pick<SessionOccurrence | StationBooking, 'occursOn' | 'startTime' | 'endTime'>): string {
  return `${o.occursOn.slice(5)} ${o.startTime}–${o.endTime}`;
}
