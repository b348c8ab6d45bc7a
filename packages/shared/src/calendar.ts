/**
 * China Standard Time (UTC+8, no daylight saving): the days the server, every figure and every
 * deadline count in. The apps use these too, so a console in another zone (a laptop left on UTC,
 * a big screen set up abroad) still says today's China date, and at 00:30 in Beijing does not
 * show yesterday.
 */
const CST_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** The China date of an instant as 'YYYY-MM-DD', or of `daysBefore` days earlier. */
export function dateCst(at: Date = new Date(), daysBefore = 0): string {
  return new Date(at.getTime() + CST_OFFSET_MS - daysBefore * DAY_MS).toISOString().slice(0, 10);
}

/** Today's date in China as 'YYYY-MM-DD'. */
export function todayCst(now: Date = new Date()): string {
  return dateCst(now);
}

/** The first and last day of the China month that `now` falls in, as 'YYYY-MM-DD'. */
export function monthDaysCst(now: Date = new Date()): [string, string] {
  const cst = new Date(now.getTime() + CST_OFFSET_MS);
  const [year, month] = [cst.getUTCFullYear(), cst.getUTCMonth()];
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  return [iso(new Date(Date.UTC(year, month, 1))), iso(new Date(Date.UTC(year, month + 1, 0)))];
}
