import { ACCESS_MODE_LABELS, AMENITY_LABELS, SERVICE_LABELS, STATION_TYPE_LABELS, type WeeklyHours } from '@nuanxin/shared';

// What the station workbook looks like, for the export, the import and the template alike, and the
// one text form of opening hours that people read and type in a cell.

const DAY_NAMES = ['日', '一', '二', '三', '四', '五', '六'] as const;
const SPAN = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/;
export const ALWAYS_OPEN_TEXT = '24小时';
const CLOSED_TEXT = '休息';

/**
 * "08:00-22:00" when every day is the same (several spans joined by commas), otherwise every day
 * named: "一 08:00-18:00; 二 …; 日 休息". `24小时` for a station that never closes.
 */
export function hoursText(hours: WeeklyHours, alwaysOpen: boolean): string {
  if (alwaysOpen) return ALWAYS_OPEN_TEXT;
  const day = (spans: readonly string[]) => (spans.length ? spans.join(',') : CLOSED_TEXT);
  const texts = hours.map(day);
  if (texts.every((t) => t === texts[0])) return texts[0]!;
  // Monday first, as a Chinese week is read.
  return [1, 2, 3, 4, 5, 6, 0].map((d) => `${DAY_NAMES[d]} ${texts[d]}`).join('; ');
}

/** The reverse of `hoursText`; null when the text is not in one of its forms. */
export function parseHoursText(text: string): { weeklyHours: WeeklyHours; alwaysOpen: boolean } | null {
  const value = text.trim().replace(/，/g, ',').replace(/；/g, ';').replace(/：/g, ':');
  if (value === ALWAYS_OPEN_TEXT || value.toLowerCase() === '24h') return { weeklyHours: Array.from({ length: 7 }, () => []), alwaysOpen: true };
  const spans = (part: string): string[] | null => {
    if (part === CLOSED_TEXT || part === '') return [];
    const list = part.split(',').map((s) => s.trim());
    return list.length <= 4 && list.every((s) => SPAN.test(s)) ? list : null;
  };
  if (!value.includes(';') && !DAY_NAMES.some((d) => value.startsWith(`${d} `))) {
    const same = spans(value);
    return same ? { weeklyHours: Array.from({ length: 7 }, () => [...same]), alwaysOpen: false } : null;
  }
  const week: Array<string[] | null> = Array.from({ length: 7 }, () => null);
  for (const part of value.split(';').map((p) => p.trim()).filter(Boolean)) {
    const match = /^([日一二三四五六])\s+(.+)$/.exec(part);
    const day = match ? DAY_NAMES.indexOf(match[1] as (typeof DAY_NAMES)[number]) : -1;
    const list = match ? spans(match[2]!.trim()) : null;
    if (day < 0 || !list || week[day]) return null;
    week[day] = list;
  }
  // A day left out is a day closed.
  return { weeklyHours: week.map((d) => d ?? []), alwaysOpen: false };
}

/** zh-CN labels (and the keys and English labels) to keys, for cells people type in. */
export function labelIndex<K extends string>(labels: Record<K, { 'zh-CN': string; en: string }>): Map<string, K> {
  const index = new Map<string, K>();
  for (const [key, l] of Object.entries(labels) as Array<[K, { 'zh-CN': string; en: string }]>) {
    index.set(key.toLowerCase(), key);
    index.set(l['zh-CN'].toLowerCase(), key);
    index.set(l.en.toLowerCase(), key);
  }
  return index;
}
export const TYPE_INDEX = labelIndex(STATION_TYPE_LABELS);
export const ACCESS_INDEX = labelIndex(ACCESS_MODE_LABELS);
export const AMENITY_INDEX = labelIndex(AMENITY_LABELS);
export const SERVICE_INDEX = labelIndex(SERVICE_LABELS);
// The migration's older amenity word for 饮水机.
AMENITY_INDEX.set('饮水', 'water');

/** Lists in a cell are separated by 、 or commas. */
export const splitList = (text: string) =>
  text
    .split(/[、,，;；]/)
    .map((s) => s.trim())
    .filter(Boolean);
export const YES = new Set(['是', 'y', 'yes', 'true', '1']);
export const NO = new Set(['否', 'n', 'no', 'false', '0', '']);

/** The columns of the station sheet, in order. Import reads those with `importable`; the rest are for reading only. */
export const COLUMNS = [
  { key: 'name', header: '名称*', width: 26, importable: true },
  { key: 'type', header: '类型*', width: 14, importable: true },
  { key: 'address', header: '地址*', width: 30, importable: true },
  { key: 'lat', header: '纬度*', width: 11, importable: true },
  { key: 'lng', header: '经度*', width: 11, importable: true },
  { key: 'built', header: '建设状态', width: 10, importable: true },
  { key: 'operator', header: '运营单位', width: 20, importable: true },
  { key: 'coBuilders', header: '共建单位', width: 24, importable: true },
  { key: 'accessMode', header: '接待方式', width: 10, importable: true },
  { key: 'areaM2', header: '面积（㎡）', width: 10, importable: true },
  { key: 'seats', header: '座位数', width: 8, importable: true },
  { key: 'hours', header: '开放时间', width: 24, importable: true },
  { key: 'holidayOpen', header: '节假日开放', width: 10, importable: true },
  { key: 'extendedHours', header: '延时服务', width: 10, importable: true },
  { key: 'amenities', header: '服务设施', width: 30, importable: true },
  { key: 'services', header: '服务项目', width: 24, importable: true },
  { key: 'keeperName', header: '驿站长', width: 10, importable: true },
  { key: 'keeperPhone', header: '驿站长电话', width: 14, importable: true },
  { key: 'region', header: '所属区域（仅导出）', width: 14, importable: false },
  { key: 'status', header: '状态（仅导出）', width: 10, importable: false },
  { key: 'stars', header: '星级（仅导出）', width: 10, importable: false },
] as const;
export type ColumnKey = (typeof COLUMNS)[number]['key'];
export const SHEET_NAME = '驿站';
export const BUILT_TEXT = { planned: '规划中', built: '已建成' } as const;
