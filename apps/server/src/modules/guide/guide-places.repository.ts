import { sql } from 'kysely';
import type { GuideKind, GuideState } from '@nuanxin/shared';
import type { Db } from '../../db/client.ts';

/** Every read of a place carries its region's name and its author's name (masked by the service). */
function placeQuery(db: Db) {
  return db
    .selectFrom('guide_places as g')
    .innerJoin('regions as r', 'r.id', 'g.region_id')
    .leftJoin('users as a', 'a.id', 'g.author_id')
    .selectAll('g')
    .select(['r.name as region_name', 'a.name as author_name']);
}
export type PlaceRow = Awaited<ReturnType<ReturnType<typeof placeQuery>['executeTakeFirstOrThrow']>>;

export function findPlace(db: Db, id: string) {
  return placeQuery(db).where('g.id', '=', id).executeTakeFirst();
}

export function lockPlace(db: Db, id: string) {
  return db.selectFrom('guide_places').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function placeByKey(db: Db, authorId: string, key: string) {
  return placeQuery(db).where('g.author_id', '=', authorId).where('g.client_key', '=', key).executeTakeFirst();
}

/**
 * The k nearest verified places, as a KNN scan of the partial GiST index on ll_to_earth(lat, lng)
 * (the approach of the stations' nearby search: same SQL on PGlite and PostgreSQL, no PostGIS).
 */
export function nearby(db: Db, f: { lat: number; lng: number; kinds: readonly GuideKind[]; limit: number }) {
  const here = sql`ll_to_earth(${f.lat}, ${f.lng})`;
  let query = placeQuery(db)
    .select(sql<number>`earth_distance(ll_to_earth(g.lat, g.lng), ${here})`.as('distance'))
    .where('g.state', '=', 'verified');
  if (f.kinds.length) query = query.where('g.kind', 'in', [...f.kinds]);
  return query.orderBy(sql`ll_to_earth(g.lat, g.lng) <-> ${here}`).limit(f.limit).execute();
}

/** The nearest verified compound guide within `radiusM` of a point (a guard's post). */
export function compoundNear(db: Db, lat: number, lng: number, radiusM: number) {
  const here = sql`ll_to_earth(${lat}, ${lng})`;
  return db
    .selectFrom('guide_places as g')
    .select(['g.id', 'g.name', sql<number>`earth_distance(ll_to_earth(g.lat, g.lng), ${here})`.as('distance')])
    .where('g.state', '=', 'verified')
    .where('g.kind', '=', 'compound')
    .orderBy(sql`ll_to_earth(g.lat, g.lng) <-> ${here}`)
    .limit(1)
    .executeTakeFirst()
    .then((row) => (row && row.distance <= radiusM ? row : undefined));
}

/** The region of the station nearest a point, and how far it is: where a contributed place belongs. */
export function nearestStationRegion(db: Db, lat: number, lng: number) {
  const here = sql`ll_to_earth(${lat}, ${lng})`;
  return db
    .selectFrom('stations as s')
    .select(['s.region_id', sql<number>`earth_distance(ll_to_earth(s.lat, s.lng), ${here})`.as('distance')])
    .orderBy(sql`ll_to_earth(s.lat, s.lng) <-> ${here}`)
    .limit(1)
    .executeTakeFirst();
}

export async function minePage(db: Db, authorId: string, page: { page: number; pageSize: number }) {
  const [rows, total] = await Promise.all([
    placeQuery(db).where('g.author_id', '=', authorId).orderBy('g.created_at', 'desc').orderBy('g.id').limit(page.pageSize).offset((page.page - 1) * page.pageSize).execute(),
    db.selectFrom('guide_places').select((eb) => eb.fn.countAll<string>().as('n')).where('author_id', '=', authorId).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

export async function queuePage(db: Db, f: { regionPrefix: string; state: GuideState; kind?: GuideKind }, page: { page: number; pageSize: number }) {
  let base = db.selectFrom('guide_places as g').where('g.region_id', 'like', `${f.regionPrefix}%`).where('g.state', '=', f.state);
  if (f.kind) base = base.where('g.kind', '=', f.kind);
  const ids = base.select('g.id');
  const [rows, total] = await Promise.all([
    placeQuery(db)
      .where('g.id', 'in', ids)
      // The queue works oldest first; decided entries read newest first.
      .orderBy('g.created_at', f.state === 'pending' ? 'asc' : 'desc')
      .orderBy('g.id')
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}
