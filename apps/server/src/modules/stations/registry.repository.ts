import { type Insertable, type Selectable } from 'kysely';
import type { Db } from '../../db/client.ts';
import type { StationStatusHistoryTable, StationsTable } from '../../db/schema.ts';

export type StationRecord = Selectable<StationsTable>;
export type NewStation = Insertable<StationsTable>;

export interface StationFilter {
  /** The subtree to list (already checked against the caller's scope). */
  scope: string;
  status?: StationsTable['status'] | undefined;
  type?: string | undefined;
  q?: string | undefined;
}

/** Stations with their region's name, for lists and pages. */
export function withRegion(db: Db) {
  return db.selectFrom('stations as s').innerJoin('regions as r', 'r.id', 's.region_id').selectAll('s').select('r.name as region_name');
}
export type StationWithRegion = StationRecord & { region_name: string };

function filtered(db: Db, f: StationFilter) {
  let query = withRegion(db).where('s.region_id', 'like', `${f.scope}%`);
  if (f.status) query = query.where('s.status', '=', f.status);
  if (f.type) query = query.where('s.type', '=', f.type);
  if (f.q) {
    const pattern = `%${f.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('s.name', 'ilike', pattern), eb('s.address', 'ilike', pattern)]));
  }
  return query;
}

export async function list(db: Db, f: StationFilter, page: { page: number; pageSize: number }) {
  const query = filtered(db, f);
  const [rows, total] = await Promise.all([
    query.orderBy('s.region_id').orderBy('s.name').limit(page.pageSize).offset((page.page - 1) * page.pageSize).execute(),
    query.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** Every matching station (the export), up to `limit`. */
export function all(db: Db, f: StationFilter, limit: number) {
  return filtered(db, f).orderBy('s.region_id').orderBy('s.name').limit(limit).execute();
}

export function find(db: Db, id: string) {
  return withRegion(db).where('s.id', '=', id).executeTakeFirst();
}

/** The station row, locked for a lifecycle move or an inspection. */
export function lock(tx: Db, id: string) {
  return tx.selectFrom('stations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function nameTaken(db: Db, regionId: string, name: string, exceptId: string | null) {
  let query = db.selectFrom('stations').select('id').where('region_id', '=', regionId).where('name', '=', name);
  if (exceptId) query = query.where('id', '<>', exceptId);
  return query.executeTakeFirst();
}

/** Names already used in a region, for an import's duplicate check. */
export async function namesIn(db: Db, regionId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('stations').select('name').where('region_id', '=', regionId).execute();
  return new Set(rows.map((r) => r.name));
}

export function insert(tx: Db, values: NewStation) {
  return tx.insertInto('stations').values(values).returning('id').executeTakeFirstOrThrow();
}

export async function insertMany(tx: Db, values: NewStation[]) {
  return tx.insertInto('stations').values(values).returning(['id', 'region_id', 'status']).execute();
}

export async function addHistory(tx: Db, rows: Array<Insertable<StationStatusHistoryTable>>) {
  if (rows.length) await tx.insertInto('station_status_history').values(rows).execute();
}

export function history(db: Db, stationId: string) {
  return db
    .selectFrom('station_status_history as h')
    .leftJoin('users as u', 'u.id', 'h.actor_id')
    .selectAll('h')
    .select('u.name as actor_name')
    .where('h.station_id', '=', stationId)
    .orderBy('h.id', 'desc')
    .execute();
}
export type HistoryRow = Awaited<ReturnType<typeof history>>[number];

export function regionExists(db: Db, id: string) {
  return db.selectFrom('regions').select('id').where('id', '=', id).executeTakeFirst();
}

