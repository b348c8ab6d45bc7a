import { z } from 'zod';
import { regionIdSchema } from './identity.ts';

/** What a station offers, as the city reports list them; filters and badges use these keys. */
export const AMENITIES = ['aircon', 'water', 'microwave', 'fridge', 'charging', 'toilet', 'reading', 'medkit', 'wifi'] as const;
export type Amenity = (typeof AMENITIES)[number];
export const AMENITY_LABELS: Record<Amenity, { 'zh-CN': string; en: string }> = {
  aircon: { 'zh-CN': '空调', en: 'Air conditioning' },
  water: { 'zh-CN': '饮水机', en: 'Drinking water' },
  microwave: { 'zh-CN': '微波炉', en: 'Microwave' },
  fridge: { 'zh-CN': '冰箱', en: 'Fridge' },
  charging: { 'zh-CN': '充电', en: 'Charging' },
  toilet: { 'zh-CN': '卫生间', en: 'Toilet' },
  reading: { 'zh-CN': '书报', en: 'Reading' },
  medkit: { 'zh-CN': '药箱', en: 'First aid' },
  wifi: { 'zh-CN': 'Wi-Fi', en: 'Wi-Fi' },
};

export const SERVICES = ['clinic', 'legal', 'counselling', 'employment', 'matchmaking', 'housing'] as const;
export type StationService = (typeof SERVICES)[number];
export const SERVICE_LABELS: Record<StationService, { 'zh-CN': string; en: string }> = {
  clinic: { 'zh-CN': '义诊', en: 'Free clinic' },
  legal: { 'zh-CN': '法律援助', en: 'Legal aid' },
  counselling: { 'zh-CN': '心理咨询', en: 'Counselling' },
  employment: { 'zh-CN': '就业政策', en: 'Employment policy' },
  matchmaking: { 'zh-CN': '相亲交友', en: 'Meeting people' },
  housing: { 'zh-CN': '住房租房', en: 'Housing' },
};

export const STATION_STATUSES = ['planned', 'built', 'accepted', 'suspended', 'closed'] as const;

/** Opening hours: per weekday (0 = Sunday … 6 = Saturday) a list of 'HH:MM-HH:MM' spans, China time. */
export const weeklyHoursSchema = z.array(z.array(z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/)).max(4)).length(7);
export type WeeklyHours = z.infer<typeof weeklyHoursSchema>;

/** Is a station open at `now`? `alwaysOpen` stations are; spans may not cross midnight. */
export function isOpenAt(hours: WeeklyHours, alwaysOpen: boolean, now: Date): boolean {
  if (alwaysOpen) return true;
  const cst = new Date(now.getTime() + 8 * 3_600_000);
  const minutes = cst.getUTCHours() * 60 + cst.getUTCMinutes();
  const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  return (hours[cst.getUTCDay()] ?? []).some((span) => {
    const [from, to] = span.split('-') as [string, string];
    return minutes >= toMinutes(from) && minutes < toMinutes(to);
  });
}

const latitude = z.coerce.number().min(-90).max(90);
const longitude = z.coerce.number().min(-180).max(180);
/** `?amenity=water&amenity=toilet` or `?amenity=water,toilet`. */
function listOf<T extends readonly [string, ...string[]]>(values: T) {
  return z
    .preprocess((v) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).filter(Boolean)), z.array(z.enum(values)).max(values.length))
    .default([]);
}

export const nearbyQuery = z.strictObject({
  /** WGS-84, as the phone's GPS gives it. */
  lat: latitude,
  lng: longitude,
  limit: z.coerce.number().int().min(1).max(50).default(20),
  amenity: listOf(AMENITIES),
  service: listOf(SERVICES),
  openNow: z.enum(['true', 'false']).optional(),
});

export const stationSummarySchema = z.object({
  id: z.uuid(),
  regionId: regionIdSchema,
  name: z.string(),
  type: z.string(),
  status: z.enum(STATION_STATUSES),
  address: z.string(),
  lat: z.number(),
  lng: z.number(),
  amenities: z.array(z.enum(AMENITIES)),
  services: z.array(z.enum(SERVICES)),
  openHours: z.string(),
  alwaysOpen: z.boolean(),
  openNow: z.boolean(),
  /** Average of workers' ratings (1–5, one decimal), null before the first; absent where not computed. */
  rating: z.number().nullable().optional(),
  ratingCount: z.number().int().optional(),
});
export type StationSummary = z.infer<typeof stationSummarySchema>;

export const nearbyResponse = z.object({
  items: z.array(stationSummarySchema.extend({ distanceM: z.number().int() })),
});

export const stationSchema = stationSummarySchema.extend({
  weeklyHours: weeklyHoursSchema,
  keeperName: z.string().nullable(),
  /** Masked for the public (138****0001). */
  keeperPhone: z.string().nullable(),
});
