import { sql } from 'kysely';
import type { CaseAction, CaseChange, CaseStatus } from '@nuanxin/shared';
import type { Db } from '../../db/client.ts';

/** SQL only: the reads and writes behind cases. Every function takes the caller's connection or transaction. */

export const CASE_CHANNEL = 'nx_cases';

export function findCategory(db: Db, id: string) {
  return db
    .selectFrom('case_categories as k')
    .leftJoin('departments as d', 'd.id', 'k.department_id')
    .selectAll('k')
    .select('d.name as department_name')
    .where('k.id', '=', id)
    .executeTakeFirst();
}
export type CategoryRow = NonNullable<Awaited<ReturnType<typeof findCategory>>>;

export function listCategories(db: Db, regionId: string | undefined, includeInactive: boolean) {
  let query = db.selectFrom('case_categories as k').leftJoin('departments as d', 'd.id', 'k.department_id').selectAll('k').select('d.name as department_name');
  if (regionId) query = query.where('k.region_id', '=', regionId);
  if (!includeInactive) query = query.where('k.status', '=', 'active');
  return query.orderBy('k.region_id').orderBy(sql`k.parent_id nulls first`).orderBy('k.sort').orderBy('k.code').execute();
}

export function lockCase(tx: Db, id: string) {
  return tx.selectFrom('cases').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}
export type CaseRow = NonNullable<Awaited<ReturnType<typeof lockCase>>>;

/** A case with the names a screen shows beside it. */
export function summaries(db: Db) {
  return db
    .selectFrom('cases as c')
    .innerJoin('regions as g', 'g.id', 'c.region_id')
    .innerJoin('case_categories as k', 'k.id', 'c.category_id')
    .leftJoin('case_categories as kp', 'kp.id', 'k.parent_id')
    .leftJoin('departments as d', 'd.id', 'c.department_id')
    .leftJoin('users as a', 'a.id', 'c.assignee_id')
    .selectAll('c')
    .select(['g.name as region_name', 'k.name as category_name', 'kp.name as category_parent_name', 'd.name as department_name', 'a.name as assignee_name']);
}
export type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaries>['execute']>>[number];

export function findSummary(db: Db, id: string) {
  return summaries(db).where('c.id', '=', id).executeTakeFirst();
}

export function findByClientKey(db: Db, reporterId: string, key: string) {
  return db.selectFrom('cases').select(['id', 'request_hash']).where('reporter_id', '=', reporterId).where('client_key', '=', key).executeTakeFirst();
}

export function events(db: Db, caseId: string) {
  return db
    .selectFrom('case_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .selectAll('e')
    .select('u.name as actor_name')
    .where('e.case_id', '=', caseId)
    .orderBy('e.id')
    .execute();
}
export type EventRow = Awaited<ReturnType<typeof events>>[number];

export interface NewEvent {
  caseId: string;
  regionId: string;
  action: CaseAction;
  from: CaseStatus | null;
  to: CaseStatus;
  actorId: string | null;
  note?: string | null;
  internal?: boolean;
  photoIds?: string[];
  detail?: Record<string, unknown>;
}

export async function insertEvent(tx: Db, e: NewEvent): Promise<void> {
  await tx
    .insertInto('case_events')
    .values({
      case_id: e.caseId,
      region_id: e.regionId,
      action: e.action,
      from_status: e.from,
      to_status: e.to,
      actor_id: e.actorId,
      note: e.note || null,
      internal: e.internal ?? false,
      photo_ids: e.photoIds ?? [],
      detail: JSON.stringify(e.detail ?? {}),
    })
    .execute();
}

/** Tells every server process's workbench stream about a change; delivered when the transaction commits. */
export async function announce(tx: Db, change: CaseChange): Promise<void> {
  await sql`select pg_notify(${CASE_CHANNEL}, ${JSON.stringify(change)})`.execute(tx);
}

/** The community of the station nearest to a position within the district, with the distance in metres. */
export function nearestStation(db: Db, lat: number, lng: number, districtId: string) {
  const here = sql`ll_to_earth(${lat}, ${lng})`;
  return db
    .selectFrom('stations as s')
    .select(['s.region_id', sql<number>`earth_distance(ll_to_earth(s.lat, s.lng), ${here})`.as('distance')])
    .where('s.region_id', 'like', `${districtId}%`)
    .orderBy(sql`ll_to_earth(s.lat, s.lng) <-> ${here}`)
    .limit(1)
    .executeTakeFirst();
}

export interface ListFilter {
  scope: string;
  departmentId: string | null;
  statuses?: readonly CaseStatus[];
  status?: CaseStatus;
  categoryId?: string;
  /** Cases assigned to this person are in the queue whatever their status. */
  mineOrStatuses?: { userId: string; statuses: readonly CaseStatus[] };
  overdueAt?: Date;
}

export async function list(db: Db, f: ListFilter, page: { page: number; pageSize: number }) {
  let query = summaries(db).where('c.region_id', 'like', `${f.scope}%`);
  if (f.departmentId) query = query.where('c.department_id', '=', f.departmentId);
  if (f.statuses) query = query.where('c.status', 'in', [...f.statuses]);
  if (f.status) query = query.where('c.status', '=', f.status);
  if (f.categoryId) query = query.where((eb) => eb.or([eb('c.category_id', '=', f.categoryId!), eb('k.parent_id', '=', f.categoryId!)]));
  if (f.mineOrStatuses) {
    const m = f.mineOrStatuses;
    query = query.where((eb) => eb.or([eb('c.assignee_id', '=', m.userId), eb('c.status', 'in', [...m.statuses])]));
  }
  if (f.overdueAt) query = query.where('c.due_at', '<', f.overdueAt);
  const ordered = f.overdueAt ? query.orderBy('c.due_at') : query.orderBy('c.created_at', 'desc');
  const [rows, total] = await Promise.all([
    ordered.orderBy('c.id').limit(page.pageSize).offset((page.page - 1) * page.pageSize).execute(),
    query.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

export function mine(db: Db, reporterId: string, page: { page: number; pageSize: number }) {
  const base = summaries(db).where('c.reporter_id', '=', reporterId);
  return Promise.all([
    base.orderBy('c.created_at', 'desc').orderBy('c.id').limit(page.pageSize).offset((page.page - 1) * page.pageSize).execute(),
    db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).where('reporter_id', '=', reporterId).executeTakeFirstOrThrow(),
  ]);
}

/** Open cases of the same category within `radius` metres, nearest first (box filter on the GiST index, then exact distance). */
export function nearbyOpen(db: Db, c: { id: string; category_id: string; lat: number; lng: number }, statuses: readonly CaseStatus[], radius: number) {
  const here = sql`ll_to_earth(${c.lat}, ${c.lng})`;
  const distance = sql<number>`earth_distance(ll_to_earth(c.lat, c.lng), ${here})`;
  return summaries(db)
    .select(distance.as('distance'))
    .where(sql<boolean>`earth_box(${here}, ${radius}) @> ll_to_earth(c.lat, c.lng)`)
    .where(distance, '<=', radius)
    .where('c.category_id', '=', c.category_id)
    .where('c.id', '<>', c.id)
    .where('c.status', 'in', [...statuses])
    .where('c.duplicate_of', 'is', null)
    .orderBy(distance)
    .limit(20)
    .execute();
}

/** Per department, over cases first dispatched in [from, to) inside the scope. */
export function rates(db: Db, scope: string, departmentId: string | null, from: Date, to: Date) {
  const closed = sql<boolean>`c.status in ('closed', 'rated', 'archived')`;
  let query = db
    .selectFrom('cases as c')
    .innerJoin('departments as d', 'd.id', 'c.department_id')
    .select([
      'd.id as department_id',
      'd.name as department_name',
      sql<number>`count(*)`.as('dispatched'),
      sql<number>`count(*) filter (where ${closed})`.as('closed'),
      sql<number>`count(*) filter (where ${closed} and c.handled_at <= c.handle_due_at)`.as('closed_on_time'),
      sql<number>`count(*) filter (where c.rework_count > 0)`.as('reworked'),
      sql<number>`count(*) filter (where c.extension_count > 0)`.as('extended'),
      sql<number>`count(*) filter (where c.rating is not null)`.as('rated'),
      sql<number>`count(*) filter (where c.rating >= 4)`.as('satisfied'),
    ])
    .where('c.region_id', 'like', `${scope}%`)
    .where('c.first_dispatched_at', '>=', from)
    .where('c.first_dispatched_at', '<', to);
  if (departmentId) query = query.where('c.department_id', '=', departmentId);
  return query.groupBy(['d.id', 'd.name']).orderBy('d.name').execute();
}

/** Cases whose step is overdue and not yet at the top level, locked; rows another process holds are skipped. */
export function overdueForUpdate(tx: Db, now: Date, statuses: readonly CaseStatus[], limit: number) {
  return tx
    .selectFrom('cases')
    .selectAll()
    .where('due_at', '<=', now)
    .where('escalation_level', '<', 2)
    .where('status', 'in', [...statuses])
    .orderBy('due_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export function closedBeforeForUpdate(tx: Db, before: Date, limit: number) {
  return tx
    .selectFrom('cases')
    .selectAll()
    .where('status', 'in', ['closed', 'rated'])
    .where('closed_at', '<', before)
    .orderBy('closed_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** The report rule of a worker's street (or district) whose name carries `word`, in force or not. */
export function reportRule(db: Db, workerRegionId: string, word: string) {
  return db
    .selectFrom('points_rules')
    .select('id')
    .where('category', '=', 'report')
    .where('kind', '=', 'earn')
    .where((eb) => eb(sql.val(workerRegionId), 'like', sql<string>`region_id || '%'`))
    .where('name', 'like', `%${word}%`)
    .orderBy(sql`status = 'active'`, 'desc')
    .orderBy(sql`length(region_id)`, 'desc')
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
}

/** Who reported a case as staff may see it: our worker, or the contact an outside system sent. */
export async function reporterOf(db: Db, c: { id: string; reporter_id: string | null }) {
  if (c.reporter_id) {
    const u = await db.selectFrom('users').select(['id', 'name', 'phone']).where('id', '=', c.reporter_id).executeTakeFirstOrThrow();
    return { ...u, email: null, mediaUrl: null };
  }
  const x = await db.selectFrom('case_external_reporters').selectAll().where('case_id', '=', c.id).executeTakeFirst();
  const name = [x?.last_name, x?.first_name].filter(Boolean).join(' ') || null;
  return { id: null, name, phone: x?.phone ?? null, email: x?.email ?? null, mediaUrl: x?.media_url ?? null };
}
export type ReporterRow = Awaited<ReturnType<typeof reporterOf>>;

/** A box (south, west, north, east) or a circle (lat, lng, radius in metres). */
export type PublicArea = { south?: number; west?: number; north?: number; east?: number; lat?: number; lng?: number; radius: number };

/** Closed, rated or archived cases in an area, the latest closed first: only what the public map shows. */
export function publicClosed(db: Db, area: PublicArea, limit: number) {
  let query = db
    .selectFrom('cases as c')
    .innerJoin('case_categories as k', 'k.id', 'c.category_id')
    .leftJoin('case_categories as kp', 'kp.id', 'k.parent_id')
    .select(['c.id', 'c.status', 'c.closed_at', 'c.result', 'c.outcome', 'c.lat', 'c.lng', 'k.code as category_code', 'k.name as category_name', 'kp.name as category_parent_name'])
    .where('c.status', 'in', ['closed', 'rated', 'archived'])
    .where('c.closed_at', 'is not', null);
  if (area.lat !== undefined && area.lng !== undefined) {
    const here = sql`ll_to_earth(${area.lat}, ${area.lng})`;
    query = query.where(sql<boolean>`earth_box(${here}, ${area.radius}) @> ll_to_earth(c.lat, c.lng)`).where(sql`earth_distance(ll_to_earth(c.lat, c.lng), ${here})`, '<=', area.radius);
  } else {
    query = query.where('c.lat', '>=', area.south!).where('c.lat', '<=', area.north!).where('c.lng', '>=', area.west!).where('c.lng', '<=', area.east!);
  }
  return query.orderBy('c.closed_at', 'desc').orderBy('c.id').limit(limit).execute();
}
export type PublicCaseRow = Awaited<ReturnType<typeof publicClosed>>[number];

/** The photos of the handling reports and of the closing step, per case, oldest first. */
export async function resultPhotos(db: Db, caseIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (caseIds.length === 0) return out;
  const rows = await db
    .selectFrom('case_events')
    .select(['case_id', 'photo_ids'])
    .where('case_id', 'in', [...caseIds])
    .where('action', 'in', ['handle', 'close'])
    .where('internal', '=', false)
    .orderBy('id')
    .execute();
  for (const r of rows) out.set(r.case_id, [...(out.get(r.case_id) ?? []), ...r.photo_ids]);
  return out;
}
