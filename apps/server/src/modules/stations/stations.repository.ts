import { sql } from 'kysely';
import type { Db } from '../../db/client.ts';

export interface NearbyFilter {
  lat: number;
  lng: number;
  limit: number;
  amenities: string[];
  services: string[];
  /** Only stations open at this weekday (0 = Sunday) and 'HH:MM', China time. */
  openAt?: { weekday: number; hhmm: string };
}

/**
 * The k nearest stations that are built or accepted, as a KNN scan of the GiST index on
 * ll_to_earth(lat, lng) (same SQL on PGlite and PostgreSQL, no PostGIS); filters are checked
 * as the scan goes, so it stops after k matches. Distances are great-circle metres.
 */
export function nearby(db: Db, f: NearbyFilter) {
  const here = sql`ll_to_earth(${f.lat}, ${f.lng})`;
  let query = db
    .selectFrom('stations as s')
    .selectAll('s')
    .select(sql<number>`earth_distance(ll_to_earth(s.lat, s.lng), ${here})`.as('distance'))
    // Per returned row only (after the KNN limit), from the totals kept with each rating.
    .select(sql<number | null>`(select t.stars_sum from station_rating_totals t where t.station_id = s.id)`.as('stars_sum'))
    .select(sql<number | null>`(select t.ratings from station_rating_totals t where t.station_id = s.id)`.as('ratings'))
    .where('s.status', 'in', ['built', 'accepted']);
  if (f.amenities.length) query = query.where(sql<boolean>`s.amenities @> ${sql.val(f.amenities)}::text[]`);
  if (f.services.length) query = query.where(sql<boolean>`s.services @> ${sql.val(f.services)}::text[]`);
  if (f.openAt) {
    const { weekday, hhmm } = f.openAt;
    query = query.where(
      sql<boolean>`(s.always_open or exists (
        select 1 from jsonb_array_elements_text(s.weekly_hours -> ${weekday}::int) as span
        where ${hhmm} >= left(span, 5) and ${hhmm} < right(span, 5)))`,
    );
  }
  return query.orderBy(sql`ll_to_earth(s.lat, s.lng) <-> ${here}`).limit(f.limit).execute();
}
export type StationRow = Awaited<ReturnType<typeof nearby>>[number];

export function findStation(db: Db, id: string) {
  return db
    .selectFrom('stations as s')
    .leftJoin('station_rating_totals as t', 't.station_id', 's.id')
    .selectAll('s')
    .select(['t.stars_sum', 't.ratings'])
    .where('s.id', '=', id)
    .executeTakeFirst();
}
