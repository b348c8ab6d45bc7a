import type { HonorRoll } from '@nuanxin/shared';

const pad = (n: number) => String(n).padStart(2, '0');

/** "11月26日 14:00" (or "11/26 14:00") in the phone's time zone. */
export function momentOf(iso: string, lang: string): string {
  const d = new Date(iso);
  const day = lang === 'en' ? `${d.getMonth() + 1}/${d.getDate()}` : `${d.getMonth() + 1}月${d.getDate()}日`;
  return `${day} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "2026-11-24". */
export function dayOf(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The i18n key and values of a round's period: 2026年第四季度 / 2026年度. */
export function periodOf(r: Pick<HonorRoll, 'periodKind' | 'year' | 'quarter'>): [string, Record<string, number>] {
  return r.periodKind === 'quarter' ? ['honors.period.quarter', { year: r.year, quarter: r.quarter ?? 0 }] : ['honors.period.year', { year: r.year }];
}
