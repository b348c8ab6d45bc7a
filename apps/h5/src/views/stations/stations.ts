import { AMENITIES, AMENITY_LABELS, SERVICE_LABELS, SERVICES, STATION_TYPE_LABELS, type Amenity, type Lang, type StationService, type StationSummary, type StationType } from '@nuanxin/shared';

// Amenity and service labels live in shared (the console shows the same words); the API sends keys.

export function amenityLabel(key: Amenity, lang: Lang): string {
  return AMENITY_LABELS[key][lang];
}

export function serviceLabel(key: StationService, lang: Lang): string {
  return SERVICE_LABELS[key][lang];
}

/** 暖新驿站, 工会驿站 …: the API sends the type's key. An unknown key is shown as it is. */
export function stationTypeLabel(key: string, lang: Lang): string {
  return STATION_TYPE_LABELS[key as StationType]?.[lang] ?? key;
}

export function isAmenity(value: string): value is Amenity {
  return (AMENITIES as readonly string[]).includes(value);
}

export function isService(value: string): value is StationService {
  return (SERVICES as readonly string[]).includes(value);
}

/**
 * `850 米` under a kilometre, `1.3 公里` from there: riders think in blocks, then in kilometres.
 * Returns the i18n key and its figure; the page puts them through t().
 */
export function distanceParts(metres: number): { key: 'stations.metres' | 'stations.km'; n: string } {
  const m = Math.round(metres);
  return m < 1000 ? { key: 'stations.metres', n: String(m) } : { key: 'stations.km', n: (m / 1000).toFixed(1) };
}

/**
 * Amap's URI API: opens the Amap app when installed (callnative=1), the web map otherwise, and
 * most other Chinese map apps register for it too. It takes WGS-84 as is with coordinate=wgs84.
 */
export function navigationUrl(station: { lat: number; lng: number; name: string }): string {
  return `https://uri.amap.com/marker?position=${station.lng},${station.lat}&name=${encodeURIComponent(station.name)}&coordinate=wgs84&callnative=1`;
}

/** Monday first, as a Chinese week is read; the values index `weeklyHours` (0 = Sunday). */
export const WEEK = [
  { day: 1, key: 'mon' },
  { day: 2, key: 'tue' },
  { day: 3, key: 'wed' },
  { day: 4, key: 'thu' },
  { day: 5, key: 'fri' },
  { day: 6, key: 'sat' },
  { day: 0, key: 'sun' },
] as const;

/** Today's weekday in China time, the clock the opening hours are written in. */
export function chinaWeekday(now = new Date()): number {
  return new Date(now.getTime() + 8 * 3_600_000).getUTCDay();
}

/** Statuses worth a warning on the card: the rest are open for business as far as a rider cares. */
export const STATUS_WARNINGS = ['planned', 'suspended', 'closed'] as const;
export type StatusWarning = (typeof STATUS_WARNINGS)[number];
export function statusWarning(status: string): StatusWarning | null {
  return (STATUS_WARNINGS as readonly string[]).includes(status) ? (status as StatusWarning) : null;
}

// Stations seen in the list during this page load: a tap opens the station at once (name,
// address, the navigate button) while its hours and keeper are still on their way.
const known = new Map<string, StationSummary>();

export function rememberStations(stations: StationSummary[]): void {
  for (const station of stations) known.set(station.id, station);
}

export function knownStation(id: string): StationSummary | null {
  return known.get(id) ?? null;
}
