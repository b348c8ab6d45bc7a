import { ACTIVITY_KIND_LABELS, ACTIVITY_KINDS, type Activity, type ActivityInput, type Lang, type Occupation } from '@nuanxin/shared';

export const PAGE_SIZES = [10, 20, 50];

export const kindOptions = (lang: Lang) => ACTIVITY_KINDS.map((k) => ({ value: k, label: ACTIVITY_KIND_LABELS[k][lang] }));
export const kindLabel = (kind: Activity['kind'], lang: Lang) => ACTIVITY_KIND_LABELS[kind][lang];

export const PHASE_TAG: Record<Activity['phase'], 'info' | 'primary' | 'success' | 'warning' | 'danger'> = {
  draft: 'info',
  upcoming: 'primary',
  ongoing: 'success',
  ended: 'warning',
  finished: 'info',
  cancelled: 'danger',
};

const pad = (n: number) => String(n).padStart(2, '0');
/** "11-26 14:00–16:00" (the console's own time zone: China for everyone using it). */
export function spanOf(a: Pick<Activity, 'startsAt' | 'endsAt'>): string {
  const s = new Date(a.startsAt);
  const e = new Date(a.endsAt);
  const day = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = (d: Date) => `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return day(s) === day(e) ? `${day(s)} ${time(s)}–${time(e)}` : `${day(s)} ${time(s)} – ${day(e)} ${time(e)}`;
}
export const timeOf = (iso: string | null) => (iso ? `${pad(new Date(iso).getHours())}:${pad(new Date(iso).getMinutes())}` : '—');
export const hoursOf = (minutes: number | null | undefined) => (minutes === null || minutes === undefined ? '—' : (minutes / 60).toFixed(1));
export const placeOf = (a: Pick<Activity, 'stationName' | 'address'>) => [a.stationName, a.address].filter(Boolean).join(' · ');

/** What the form edits: the place as a station or an address with a map position. */
export interface ActivityForm {
  regionId: string;
  kind: Activity['kind'];
  title: string;
  description: string;
  placeKind: 'station' | 'address';
  stationId: string;
  address: string;
  position: { lat: number; lng: number } | null;
  span: [Date, Date] | null;
  capacity: number;
  audience: 'all' | 'occupations';
  occupations: Occupation[];
  pointsRuleId: string;
}

export function emptyForm(regionId: string): ActivityForm {
  const start = new Date();
  start.setDate(start.getDate() + 7);
  start.setHours(14, 0, 0, 0);
  const end = new Date(start.getTime() + 2 * 3_600_000);
  return { regionId, kind: 'volunteer', title: '', description: '', placeKind: 'station', stationId: '', address: '', position: null, span: [start, end], capacity: 20, audience: 'all', occupations: [], pointsRuleId: '' };
}

export function formOf(a: Activity): ActivityForm {
  return {
    regionId: a.regionId,
    kind: a.kind,
    title: a.title,
    description: a.description,
    placeKind: a.stationId ? 'station' : 'address',
    stationId: a.stationId ?? '',
    address: a.address,
    position: a.lat !== null && a.lng !== null ? { lat: a.lat, lng: a.lng } : null,
    span: [new Date(a.startsAt), new Date(a.endsAt)],
    capacity: a.capacity,
    audience: a.audience,
    occupations: [...a.occupations],
    pointsRuleId: a.pointsRuleId ?? '',
  };
}

export function inputOf(f: ActivityForm): ActivityInput {
  const atStation = f.placeKind === 'station';
  return {
    regionId: f.regionId,
    kind: f.kind,
    title: f.title.trim(),
    description: f.description.trim(),
    stationId: atStation ? f.stationId || null : null,
    address: atStation ? '' : f.address.trim(),
    lat: atStation ? null : (f.position?.lat ?? null),
    lng: atStation ? null : (f.position?.lng ?? null),
    startsAt: f.span![0].toISOString(),
    endsAt: f.span![1].toISOString(),
    capacity: f.capacity,
    audience: f.audience,
    occupations: f.audience === 'occupations' ? f.occupations : [],
    pointsRuleId: f.pointsRuleId || null,
  };
}
