import { sql } from 'kysely';
import type { BenefitType, PartnerKind, PartnerStatus } from '@nuanxin/shared';
import type { Db } from '../../db/client.ts';

/** A partner with its region's name (every view needs it). */
export function partnerQuery(db: Db) {
  return db.selectFrom('partners as p').innerJoin('regions as r', 'r.id', 'p.region_id').selectAll('p').select('r.name as region_name');
}
export type PartnerRow = Awaited<ReturnType<ReturnType<typeof partnerQuery>['executeTakeFirstOrThrow']>>;

export function find(db: Db, id: string) {
  return partnerQuery(db).where('p.id', '=', id).executeTakeFirst();
}

export function lock(db: Db, id: string) {
  return db.selectFrom('partners').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function nameTaken(db: Db, regionId: string, name: string): Promise<boolean> {
  return !!(await db.selectFrom('partners').select('id').where('region_id', '=', regionId).where('name', '=', name).executeTakeFirst());
}

export interface DirectoryFilter {
  scope?: string | undefined;
  kind?: PartnerKind | undefined;
  benefit?: BenefitType | undefined;
  q?: string | undefined;
  /** Nearest first from here (KNN on the GiST index of certified partners); otherwise newest certified first. */
  near?: { lat: number; lng: number } | undefined;
  today: string;
}

/**
 * Certified partners in force, filtered as the scan goes. With a position the order is a KNN scan
 * of `partners_earth` (same SQL on PGlite and PostgreSQL, no PostGIS), as for stations.
 */
export async function directory(db: Db, f: DirectoryFilter, page: { page: number; pageSize: number }) {
  let base = db
    .selectFrom('partners as p')
    .innerJoin('regions as r', 'r.id', 'p.region_id')
    .where('p.status', '=', 'certified')
    .where('p.valid_until', '>=', f.today);
  if (f.scope) base = base.where('p.region_id', 'like', `${f.scope}%`);
  if (f.kind) base = base.where('p.kind', '=', f.kind);
  if (f.benefit) base = base.where(sql<boolean>`p.benefits @> ${JSON.stringify([{ type: f.benefit }])}::jsonb`);
  if (f.q) base = base.where((eb) => eb.or([eb('p.name', 'like', `%${f.q}%`), eb('p.address', 'like', `%${f.q}%`)]));
  const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  let query = base.selectAll('p').select('r.name as region_name');
  if (f.near) {
    const here = sql`ll_to_earth(${f.near.lat}, ${f.near.lng})`;
    query = query
      .where('p.lat', 'is not', null)
      .select(sql<number>`earth_distance(ll_to_earth(p.lat, p.lng), ${here})`.as('distance'))
      .orderBy(sql`ll_to_earth(p.lat, p.lng) <-> ${here}`);
  } else {
    query = query.select(sql<number | null>`null::float8`.as('distance')).orderBy('p.certified_at', 'desc');
  }
  const rows = await query.orderBy('p.id').limit(page.pageSize).offset((page.page - 1) * page.pageSize).execute();
  return { rows, total };
}

export interface ListFilter {
  scope: string;
  status?: PartnerStatus | undefined;
  kind?: PartnerKind | undefined;
  q?: string | undefined;
  /** A partner's own staff see only their partner. */
  partnerId?: string | undefined;
}

export async function list(db: Db, f: ListFilter, page: { page: number; pageSize: number }) {
  let base = db.selectFrom('partners as p').innerJoin('regions as r', 'r.id', 'p.region_id').where('p.region_id', 'like', `${f.scope}%`);
  if (f.partnerId) base = base.where('p.id', '=', f.partnerId);
  if (f.kind) base = base.where('p.kind', '=', f.kind);
  if (f.q) base = base.where((eb) => eb.or([eb('p.name', 'like', `%${f.q}%`), eb('p.address', 'like', `%${f.q}%`)]));
  const counts = await base.select(['p.status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('p.status').execute();
  const filtered = f.status ? base.where('p.status', '=', f.status) : base;
  const total = Number((await filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const rows = await filtered
    .selectAll('p')
    .select('r.name as region_name')
    // The review queue first (oldest application on top), then the rest newest first.
    .orderBy(sql`case when p.status = 'applied' then 0 else 1 end`)
    .orderBy(sql`case when p.status = 'applied' then p.created_at end`, 'asc')
    .orderBy('p.created_at', 'desc')
    .orderBy('p.id')
    .limit(page.pageSize)
    .offset((page.page - 1) * page.pageSize)
    .execute();
  return { rows, total, counts: Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])) };
}

export function history(db: Db, partnerId: string) {
  return db
    .selectFrom('partner_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .selectAll('e')
    .select('u.name as actor_name')
    .where('e.partner_id', '=', partnerId)
    .orderBy('e.created_at', 'desc')
    .orderBy('e.id')
    .execute();
}

export function staff(db: Db, partnerId: string) {
  return db.selectFrom('users').select(['id', 'name', 'phone', 'status']).where('partner_id', '=', partnerId).where('role', '=', 'partner_staff').orderBy('created_at').execute();
}

export async function donationCount(db: Db, partnerId: string): Promise<number> {
  return Number((await db.selectFrom('partner_donations').select((eb) => eb.fn.countAll<number>().as('n')).where('partner_id', '=', partnerId).executeTakeFirstOrThrow()).n);
}

export function addEvent(db: Db, e: { region_id: string; partner_id: string; from_status: string | null; to_status: string; reason: string; actor_id: string | null }) {
  return db.insertInto('partner_events').values(e).execute();
}

/** Certified partners whose last valid day has passed, locked so several processes share the work. */
export function lockExpired(db: Db, today: string, limit: number) {
  return db
    .selectFrom('partners')
    .select(['id', 'region_id', 'name', 'valid_until'])
    .where('status', '=', 'certified')
    .where('valid_until', '<', today)
    .orderBy('valid_until')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** Certified partners running out within the notice period whose staff were not told yet. */
export function lockExpiring(db: Db, today: string, lastDay: string, limit: number) {
  return db
    .selectFrom('partners')
    .select(['id', 'region_id', 'name', 'valid_until'])
    .where('status', '=', 'certified')
    .where('valid_until', '>=', today)
    .where('valid_until', '<=', lastDay)
    .where('expiry_notified_at', 'is', null)
    .orderBy('valid_until')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export function staffIds(db: Db, partnerIds: string[]) {
  if (partnerIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('users').select(['id', 'partner_id']).where('partner_id', 'in', partnerIds).where('role', '=', 'partner_staff').where('status', '=', 'active').execute();
}
