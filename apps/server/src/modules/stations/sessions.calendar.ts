// The dates a session falls on, in China time. Days are 'YYYY-MM-DD' strings throughout: the same
// text the `date` columns hold, compared as text, with no server time zone in between.

export interface SessionDates {
  recurrence: 'once' | 'weekly';
  starts_on: string;
  until_on: string | null;
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

const weekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();

/** Is the session held on `day`? Weekly sessions repeat the weekday of their first day. */
export function fallsOn(s: SessionDates, day: string): boolean {
  if (day < s.starts_on) return false;
  if (s.recurrence === 'once') return day === s.starts_on;
  return (s.until_on === null || day <= s.until_on) && weekday(day) === weekday(s.starts_on);
}

/** Every day in [from, to] the session falls on, in order. */
export function datesBetween(s: SessionDates, from: string, to: string): string[] {
  const days: string[] = [];
  const first = from < s.starts_on ? s.starts_on : from;
  if (s.recurrence === 'once') return first === s.starts_on && s.starts_on <= to ? [s.starts_on] : [];
  // Step to the session's weekday, then a week at a time.
  let day = addDays(first, (weekday(s.starts_on) - weekday(first) + 7) % 7);
  while (day <= to && (s.until_on === null || day <= s.until_on)) {
    days.push(day);
    day = addDays(day, 7);
  }
  return days;
}
