import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../../db/client.ts';
import type { StationChecklistsTable, StationInspectionsTable } from '../../db/schema.ts';

export type ChecklistRow = Selectable<StationChecklistsTable>;

export function findChecklist(db: Db, id: string) {
  return db.selectFrom('station_checklists').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Templates of the districts in `districts`, newest change first. */
export function checklists(db: Db, districts: readonly string[]) {
  if (districts.length === 0) return Promise.resolve([] as ChecklistRow[]);
  return db.selectFrom('station_checklists').selectAll().where('region_id', 'in', [...districts]).orderBy('region_id').orderBy('updated_at', 'desc').execute();
}

export function checklistNameTaken(db: Db, regionId: string, name: string, exceptId: string | null) {
  let query = db.selectFrom('station_checklists').select('id').where('region_id', '=', regionId).where('name', '=', name);
  if (exceptId) query = query.where('id', '<>', exceptId);
  return query.executeTakeFirst();
}

export function insertInspection(tx: Db, values: Insertable<StationInspectionsTable>) {
  return tx.insertInto('station_inspections').values(values).returning('id').executeTakeFirstOrThrow();
}

function withNames(db: Db) {
  return db
    .selectFrom('station_inspections as i')
    .innerJoin('station_checklists as c', 'c.id', 'i.checklist_id')
    .leftJoin('users as u', 'u.id', 'i.inspector_id')
    .selectAll('i')
    .select(['c.name as checklist_name', 'u.name as inspector_name']);
}

export function inspections(db: Db, stationId: string) {
  return withNames(db).where('i.station_id', '=', stationId).orderBy('i.inspected_on', 'desc').orderBy('i.created_at', 'desc').execute();
}
export type InspectionRow = Awaited<ReturnType<typeof inspections>>[number];

export function findInspection(db: Db, id: string) {
  return withNames(db).where('i.id', '=', id).executeTakeFirstOrThrow();
}
