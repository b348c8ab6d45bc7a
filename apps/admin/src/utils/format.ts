import type { Lang } from '@nuanxin/shared';

const formatters = new Map<Lang, Intl.DateTimeFormat>();

/** "2026/11/24 09:30" in the viewer's time zone, in the UI language's order. */
export function formatDateTime(iso: string, lang: Lang): string {
  let fmt = formatters.get(lang);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat(lang, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
    formatters.set(lang, fmt);
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : fmt.format(date);
}

/** "2026-01-01 – 2026-12-31", "2026-01-01 起", "至 2026-12-31", or the text for "no limit". */
export function formatPeriod(from: string | null, to: string | null, t: (key: string, named?: Record<string, unknown>) => string): string {
  if (from && to) return `${from} – ${to}`;
  if (from) return t('common.fromDate', { date: from });
  if (to) return t('common.untilDate', { date: to });
  return t('common.noLimit');
}

/** "+10", "−5", "0": a points amount with its direction spelt out (a real minus sign). */
export function signed(n: number): string {
  if (n > 0) return `+${n}`;
  if (n < 0) return `−${-n}`;
  return '0';
}
