import type { Activity } from '@nuanxin/shared';

const pad = (n: number) => String(n).padStart(2, '0');

/** "11月26日 14:00–16:00" in the phone's time zone (China time for everyone here). */
export function spanOf(a: Pick<Activity, 'startsAt' | 'endsAt'>, lang: string): string {
  const s = new Date(a.startsAt);
  const e = new Date(a.endsAt);
  const time = (d: Date) => `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const day = (d: Date) => (lang === 'en' ? `${d.getMonth() + 1}/${d.getDate()}` : `${d.getMonth() + 1}月${d.getDate()}日`);
  const sameDay = s.toDateString() === e.toDateString();
  return sameDay ? `${day(s)} ${time(s)}–${time(e)}` : `${day(s)} ${time(s)} – ${day(e)} ${time(e)}`;
}

export function timeOf(iso: string): string {
  const d = new Date(iso);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Minutes as hours with one decimal: 90 → "1.5". */
export const hoursOf = (minutes: number | null | undefined) => ((minutes ?? 0) / 60).toFixed(1);

export function placeOf(a: Pick<Activity, 'stationName' | 'address'>): string {
  return [a.stationName, a.address].filter(Boolean).join(' · ');
}

export const phaseTag = (phase: Activity['phase']): 'primary' | 'success' | 'default' | 'warning' => (phase === 'upcoming' ? 'primary' : phase === 'ongoing' ? 'success' : phase === 'cancelled' ? 'warning' : 'default');
