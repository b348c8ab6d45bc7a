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
