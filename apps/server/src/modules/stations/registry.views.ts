import { REVIEW_INTERVAL_DAYS, maskPhone, type Amenity, type Photo, type RegistryStation, type RegistryStationSummary, type StationService, type StationType, type WeeklyHours } from '@nuanxin/shared';
import { todayCst } from '../../common/time.ts';
import type { StationWithRegion } from './registry.repository.ts';

/** Turns stored photo ids into signed links. */
export type Linker = (ids: readonly string[]) => Photo[];

/** The day before which an accepted station's last inspection makes its yearly review due. */
export function reviewCutoff(now = new Date()): string {
  return todayCst(new Date(now.getTime() - REVIEW_INTERVAL_DAYS * 86_400_000));
}

export function toSummary(row: StationWithRegion, now = new Date()): RegistryStationSummary {
  return {
    id: row.id,
    regionId: row.region_id,
    regionName: row.region_name,
    name: row.name,
    type: row.type as StationType,
    status: row.status,
    address: row.address,
    lat: row.lat,
    lng: row.lng,
    accessMode: row.access_mode,
    stars: row.stars,
    keeperName: row.keeper_name,
    keeperPhone: maskPhone(row.keeper_phone),
    reviewDue: row.status === 'accepted' && (!row.last_inspected_on || row.last_inspected_on < reviewCutoff(now)),
    lastInspectedOn: row.last_inspected_on,
  };
}

/** The station's page for those who manage it: the keeper's phone whole (they need to call). */
export function toStation(row: StationWithRegion, links: Linker, now = new Date()): RegistryStation {
  return {
    ...toSummary(row, now),
    keeperPhone: row.keeper_phone,
    operator: row.operator,
    coBuilders: row.co_builders,
    weeklyHours: row.weekly_hours as WeeklyHours,
    alwaysOpen: row.always_open,
    holidayOpen: row.holiday_open,
    extendedHours: row.extended_hours,
    areaM2: row.area_m2,
    seats: row.seats,
    amenities: row.amenities as Amenity[],
    services: row.services as StationService[],
    photos: links(row.photo_ids),
    acceptedInspectionId: row.accepted_inspection_id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
