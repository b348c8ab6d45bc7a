import type { FormItemRule } from 'element-plus';
import {
  ACCESS_MODE_LABELS,
  AMENITY_LABELS,
  SERVICE_LABELS,
  STATION_STATUS_LABELS,
  STATION_TYPE_LABELS,
  phoneSchema,
  stationInput,
  weeklyHoursSchema,
  type AccessMode,
  type Amenity,
  type Lang,
  type RegistryStation,
  type StationInput,
  type StationService,
  type StationStatus,
  type StationType,
  type WeeklyHours,
} from '@nuanxin/shared';
import { schemaRule } from '../../utils/form.ts';

type T = (key: string, named?: Record<string, unknown>) => string;
type Labels = Record<string, { 'zh-CN': string; en: string }>;

/** A shared label in the UI language. */
export const labelOf = (labels: Labels, key: string, lang: Lang) => labels[key]?.[lang] ?? key;
/** Options for a select or checkbox group from a label table. */
export const optionsOf = <K extends string>(labels: Record<K, { 'zh-CN': string; en: string }>, lang: Lang) =>
  (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value][lang] }));

export const typeLabel = (key: string, lang: Lang) => labelOf(STATION_TYPE_LABELS, key, lang);
export const statusLabel = (key: StationStatus, lang: Lang) => labelOf(STATION_STATUS_LABELS, key, lang);
export const accessLabel = (key: AccessMode, lang: Lang) => labelOf(ACCESS_MODE_LABELS, key, lang);
export const amenityLabels = (keys: readonly Amenity[], lang: Lang) => keys.map((k) => labelOf(AMENITY_LABELS, k, lang)).join('、');
export const serviceLabels = (keys: readonly StationService[], lang: Lang) => keys.map((k) => labelOf(SERVICE_LABELS, k, lang)).join('、');

/** Element Plus tag colour per status. */
export const STATUS_TAG: Record<StationStatus, 'info' | 'primary' | 'success' | 'warning' | 'danger'> = {
  planned: 'info',
  built: 'primary',
  accepted: 'success',
  suspended: 'warning',
  closed: 'danger',
};

export const PAGE_SIZES = [20, 50, 100];

/** The form's model: the API body, with the position as the map picker's value. */
export interface StationForm {
  regionId: string;
  name: string;
  type: StationType;
  address: string;
  position: { lat: number; lng: number } | null;
  operator: string;
  coBuilders: string[];
  accessMode: AccessMode;
  areaM2: number | null;
  seats: number | null;
  weeklyHours: WeeklyHours;
  alwaysOpen: boolean;
  holidayOpen: boolean;
  extendedHours: boolean;
  amenities: Amenity[];
  services: StationService[];
  photoIds: string[];
  keeperName: string;
  keeperPhone: string;
}

export const emptyWeek = (): WeeklyHours => Array.from({ length: 7 }, () => ['08:00-22:00']);

export const emptyStationForm = (regionId = ''): StationForm => ({
  regionId,
  name: '',
  type: 'nuanxin',
  address: '',
  position: null,
  operator: '',
  coBuilders: [],
  accessMode: 'staffed',
  areaM2: null,
  seats: null,
  weeklyHours: emptyWeek(),
  alwaysOpen: false,
  holidayOpen: false,
  extendedHours: false,
  amenities: [],
  services: [],
  photoIds: [],
  keeperName: '',
  keeperPhone: '',
});

export function formFromStation(s: RegistryStation): StationForm {
  return {
    regionId: s.regionId,
    name: s.name,
    type: s.type,
    address: s.address,
    position: { lat: s.lat, lng: s.lng },
    operator: s.operator ?? '',
    coBuilders: [...s.coBuilders],
    accessMode: s.accessMode,
    areaM2: s.areaM2,
    seats: s.seats,
    weeklyHours: s.weeklyHours.map((d) => [...d]),
    alwaysOpen: s.alwaysOpen,
    holidayOpen: s.holidayOpen,
    extendedHours: s.extendedHours,
    amenities: [...s.amenities],
    services: [...s.services],
    photoIds: s.photos.map((p) => p.id),
    keeperName: s.keeperName ?? '',
    keeperPhone: s.keeperPhone ?? '',
  };
}

const orNull = (text: string) => (text.trim() ? text.trim() : null);

export function inputFromForm(f: StationForm): StationInput {
  return {
    regionId: f.regionId,
    name: f.name.trim(),
    type: f.type,
    address: f.address.trim(),
    lat: f.position?.lat ?? 0,
    lng: f.position?.lng ?? 0,
    operator: orNull(f.operator),
    coBuilders: f.coBuilders.map((c) => c.trim()).filter(Boolean),
    accessMode: f.accessMode,
    areaM2: f.areaM2,
    seats: f.seats,
    weeklyHours: f.weeklyHours,
    alwaysOpen: f.alwaysOpen,
    holidayOpen: f.holidayOpen,
    extendedHours: f.extendedHours,
    amenities: f.amenities,
    services: f.services,
    photoIds: f.photoIds,
    keeperName: orNull(f.keeperName),
    keeperPhone: orNull(f.keeperPhone),
  };
}

export function stationRules(t: T): Record<string, FormItemRule[]> {
  const shape = stationInput.shape;
  return {
    regionId: [{ required: true, message: t('stations.form.regionRequired'), trigger: 'change' }],
    name: [{ required: true, message: t('stations.form.nameInvalid'), trigger: 'blur' }, schemaRule(shape.name, t('stations.form.nameInvalid'))],
    address: [{ required: true, message: t('stations.form.addressInvalid'), trigger: 'blur' }, schemaRule(shape.address, t('stations.form.addressInvalid'))],
    position: [{ validator: (_r, v, cb) => (v ? cb() : cb(new Error(t('stations.form.positionRequired')))), trigger: 'change' }],
    keeperPhone: [{ validator: (_r, v: string, cb) => (!v || phoneSchema.safeParse(v.trim()).success ? cb() : cb(new Error(t('stations.form.keeperPhoneInvalid')))), trigger: 'blur' }],
    weeklyHours: [schemaRule(weeklyHoursSchema, t('stations.hours.invalid'), 'change')],
  };
}
