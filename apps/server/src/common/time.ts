/** Calendar arithmetic in China Standard Time (UTC+8, no daylight saving): days, months, quarters. */
const CST_OFFSET_MS = 8 * 3_600_000;

function cst(date: Date) {
  const shifted = new Date(date.getTime() + CST_OFFSET_MS);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth(), day: shifted.getUTCDate() };
}
const fromCst = (year: number, month: number, day = 1) => new Date(Date.UTC(year, month, day) - CST_OFFSET_MS);

export function startOfDay(now = new Date()): Date {
  const { year, month, day } = cst(now);
  return fromCst(year, month, day);
}

export function startOfMonth(now = new Date()): Date {
  const { year, month } = cst(now);
  return fromCst(year, month);
}

/** Today's date in China as 'YYYY-MM-DD' (shared with the apps). */
export { todayCst } from '@nuanxin/shared';

export function dayOfMonthCst(now = new Date()): number {
  return cst(now).day;
}

/** '2026-11' → [1 Nov, 1 Dec) in CST; no argument: the current month. */
export function monthRange(month?: string, now = new Date()): { label: string; from: Date; to: Date } {
  const { year, month: m } = month ? { year: Number(month.slice(0, 4)), month: Number(month.slice(5, 7)) - 1 } : cst(now);
  return { label: `${year}-${String(m + 1).padStart(2, '0')}`, from: fromCst(year, m), to: fromCst(year, m + 1) };
}

/** '2026-Q4' → [1 Oct, 1 Jan) in CST; no argument: the current quarter. */
export function quarterRange(quarter?: string, now = new Date()): { label: string; from: Date; to: Date } {
  const { year, q } = quarter ? { year: Number(quarter.slice(0, 4)), q: Number(quarter.slice(6)) - 1 } : { year: cst(now).year, q: Math.floor(cst(now).month / 3) };
  return { label: `${year}-Q${q + 1}`, from: fromCst(year, q * 3), to: fromCst(year, q * 3 + 3) };
}
