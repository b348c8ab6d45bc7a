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
/** What filing needs of a category: its id and its clock. */
export type ClockCategory = Pick<CategoryRow, 'id' | 'limits' | 'urgent_limits' | 'working_hours'>;

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

export interface NewCase {
  regionId: string;
  reporterId: string | null;
  source: 'app' | 'open311';
  categoryId: string;
  description: string;
  lat: number;
  lng: number;
  address: string | null;
  photoIds: string[];
  urgent: boolean;
  dueAt: Date;
  now: Date;
  clientKey: string | null;
  requestHash: string | null;
  detail: Record<string, unknown>;
}

/**
 * Writes a new case, its `report` event and the live notice in one statement (one round trip; on
 * its own, one transaction) and returns the case as a summary row with that event. Undefined when
 * a case under the same reporter and key exists already (a concurrent retry that came first).
 */
export async function fileCase(db: Db, n: NewCase): Promise<{ row: SummaryRow; event: EventRow } | undefined> {
  const change = { regionId: n.regionId, departmentId: null, status: 'submitted', action: 'report', escalationLevel: 0, at: n.now.toISOString() };
  const { rows } = await sql<FiledRow>`
    with c as (
      insert into cases (region_id, reporter_id, source, category_id, description, lat, lng, address, photo_ids, urgent, status, due_at, step_started_at,
        client_key, request_hash, created_at, updated_at)
      values (${n.regionId}, ${n.reporterId}, ${n.source}, ${n.categoryId}, ${n.description}, ${n.lat}, ${n.lng}, ${n.address}, ${n.photoIds}::uuid[],
        ${n.urgent}, 'submitted', ${n.dueAt}, ${n.now}, ${n.clientKey}, ${n.requestHash}, ${n.now}, ${n.now})
      on conflict (reporter_id, client_key) do nothing
      returning *
    ), e as (
      insert into case_events (case_id, region_id, action, from_status, to_status, actor_id, note, internal, photo_ids, detail)
      select c.id, c.region_id, 'report', null, 'submitted', c.reporter_id, nullif(c.description, ''), false, c.photo_ids, ${JSON.stringify(n.detail)}::jsonb from c
      returning id, case_id, created_at
    )
    select c.*, g.name as region_name, k.name as category_name, kp.name as category_parent_name, null::text as department_name, null::text as assignee_name,
           e.id as event_id, e.created_at as event_created_at, u.name as event_actor_name,
           pg_notify(${CASE_CHANNEL}, (${JSON.stringify(change)}::jsonb || jsonb_build_object('id', c.id))::text)
    from c
    join e on e.case_id = c.id
    join regions g on g.id = c.region_id
    join case_categories k on k.id = c.category_id
    left join case_categories kp on kp.id = k.parent_id
    left join users u on u.id = c.reporter_id`.execute(db);
  const r = rows[0];
  return r ? filedFrom(r, n.detail) : undefined;
}

type FiledRow = SummaryRow & { event_id: EventRow['id']; event_created_at: Date; event_actor_name: string | null };

/** A filed case and its `report` event, from a row of the filing statements below (which also carry pg_notify's void). */
function filedFrom(r: FiledRow, detail: EventRow['detail']): { row: SummaryRow; event: EventRow } {
  const { event_id, event_created_at, event_actor_name, ...row } = r as FiledRow & { pg_notify?: unknown; ord?: number };
  delete (row as { pg_notify?: unknown }).pg_notify;
  delete (row as { ord?: number }).ord;
  const event: EventRow = {
    id: event_id,
    case_id: row.id,
    region_id: row.region_id,
    action: 'report',
    from_status: null,
    to_status: 'submitted',
    actor_id: row.reporter_id,
    note: row.description || null,
    internal: false,
    photo_ids: row.photo_ids,
    detail,
    created_at: event_created_at,
    actor_name: event_actor_name,
  };
  return { row, event };
}

/** A reporter's filing from the app, with its Idempotency-Key (filed in batches: `fileCases`). */
export type NewAppCase = Omit<NewCase, 'reporterId' | 'clientKey' | 'source' | 'detail'> & { reporterId: string; clientKey: string };

/**
 * `fileCase` for many app filings in one statement (the caller's transaction; no two with the same
 * reporter and key): the cases in the order given, their `report` events and live notices. Returns
 * what was filed by position; a hole where a case under that reporter and key existed already.
 */
export async function fileCases(db: Db, filings: readonly NewAppCase[]): Promise<Array<{ row: SummaryRow; event: EventRow } | undefined>> {
  const input = filings.map((n, ord) => ({
    ord,
    region_id: n.regionId,
    reporter_id: n.reporterId,
    category_id: n.categoryId,
    description: n.description,
    lat: n.lat,
    lng: n.lng,
    address: n.address,
    photo_ids: n.photoIds,
    urgent: n.urgent,
    due_at: n.dueAt.toISOString(),
    now: n.now.toISOString(),
    at: n.now.toISOString(),
    client_key: n.clientKey,
    request_hash: n.requestHash,
  }));
  const { rows } = await sql<FiledRow & { ord: number }>`
    with x as (
      select * from jsonb_to_recordset(${JSON.stringify(input)}::jsonb) as x (ord integer, region_id text, reporter_id uuid, category_id uuid, description text,
        lat double precision, lng double precision, address text, photo_ids uuid[], urgent boolean, due_at timestamptz, now timestamptz, at text, client_key text, request_hash text)
    ), c as (
      insert into cases (region_id, reporter_id, source, category_id, description, lat, lng, address, photo_ids, urgent, status, due_at, step_started_at,
        client_key, request_hash, created_at, updated_at)
      select region_id, reporter_id, 'app', category_id, description, lat, lng, address, photo_ids, urgent, 'submitted', due_at, now, client_key, request_hash, now, now
      from x order by ord
      on conflict (reporter_id, client_key) do nothing
      returning *
    ), e as (
      insert into case_events (case_id, region_id, action, from_status, to_status, actor_id, note, internal, photo_ids, detail)
      select c.id, c.region_id, 'report', null, 'submitted', c.reporter_id, nullif(c.description, ''), false, c.photo_ids, '{}'::jsonb from c
      returning id, case_id, created_at
    )
    select c.*, g.name as region_name, k.name as category_name, kp.name as category_parent_name, null::text as department_name, null::text as assignee_name,
           e.id as event_id, e.created_at as event_created_at, u.name as event_actor_name, x.ord,
           pg_notify(${CASE_CHANNEL}, json_build_object('id', c.id, 'regionId', c.region_id, 'departmentId', null, 'status', 'submitted', 'action', 'report',
             'escalationLevel', 0, 'at', x.at)::text)
    from c
    join x on x.reporter_id = c.reporter_id and x.client_key = c.client_key
    join e on e.case_id = c.id
    join regions g on g.id = c.region_id
    join case_categories k on k.id = c.category_id
    left join case_categories kp on kp.id = k.parent_id
    left join users u on u.id = c.reporter_id`.execute(db);
  const filed: Array<{ row: SummaryRow; event: EventRow } | undefined> = filings.map(() => undefined);
  for (const r of rows) filed[r.ord] = filedFrom(r, {});
  return filed;
}

/**
 * The region of the in-service station nearest to a position within a region (the district), with
 * the distance in metres; the server's station index answers the same from memory.
 */
export function nearestStation(db: Db, regionId: string, lat: number, lng: number) {
  const here = sql`ll_to_earth(${lat}, ${lng})`;
  return db
    .selectFrom('stations as s')
    .select(['s.region_id as regionId', sql<number>`earth_distance(ll_to_earth(s.lat, s.lng), ${here})`.as('distance')])
    .where('s.region_id', 'like', `${regionId}%`)
    .where('s.status', 'in', ['built', 'accepted'])
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
  /** Cases assigned to this person while in `assignedStatuses` are in the queue as well. */
  mineOrStatuses?: { userId: string; statuses: readonly CaseStatus[]; assignedStatuses: readonly CaseStatus[] };
  overdueAt?: Date;
}

/** A list's conditions on the case row alone, so the count needs no join. */
function listConditions(f: ListFilter) {
  const where = [sql<boolean>`c.region_id like ${`${f.scope}%`}`];
  if (f.departmentId) where.push(sql<boolean>`c.department_id = ${f.departmentId}`);
  if (f.statuses) where.push(sql<boolean>`c.status in (${sql.join(f.statuses)})`);
  if (f.status) where.push(sql<boolean>`c.status = ${f.status}`);
  if (f.categoryId) where.push(sql<boolean>`c.category_id in (select id from case_categories where id = ${f.categoryId} or parent_id = ${f.categoryId})`);
  if (f.mineOrStatuses) {
    // Waiting in one of `statuses`, or assigned to me while open; the waiting statuses are all
    // open ones, so this reads as "open, and (waiting or mine)" — the shape of the open-cases index.
    const m = f.mineOrStatuses;
    const open = [...new Set([...m.statuses, ...m.assignedStatuses])];
    where.push(sql<boolean>`c.status in (${sql.join(open)})`);
    where.push(sql<boolean>`(c.status in (${sql.join(m.statuses)}) or (c.assignee_id = ${m.userId} and c.status in (${sql.join(m.assignedStatuses)})))`);
  }
  if (f.overdueAt) where.push(sql<boolean>`c.due_at < ${f.overdueAt}`);
  return where;
}

/**
 * One page of a desk list and the total. The page's ids are found first on the case row alone (an
 * index can answer that without visiting the rows it skips), then only those rows are joined to
 * their names. The count needs no join either, and stops after `countCap` + 1 matches: a street's
 * "all cases" is hundreds of thousands of rows, and nobody pages that far.
 */
export async function list(db: Db, f: ListFilter, page: { page: number; pageSize: number }, countCap: number) {
  let ids = db.selectFrom('cases as c').select('c.id');
  let matches = db.selectFrom('cases as c').select(sql<number>`1`.as('one'));
  for (const w of listConditions(f)) {
    ids = ids.where(w);
    matches = matches.where(w);
  }
  const pageIds = (f.overdueAt ? ids.orderBy('c.due_at') : ids.orderBy('c.created_at', 'desc')).orderBy('c.id').limit(page.pageSize).offset((page.page - 1) * page.pageSize);
  const joined = summaries(db).innerJoin(pageIds.as('p'), 'p.id', 'c.id');
  const ordered = (f.overdueAt ? joined.orderBy('c.due_at') : joined.orderBy('c.created_at', 'desc')).orderBy('c.id');
  const counted = db.selectFrom(matches.limit(countCap + 1).as('m')).select((eb) => eb.fn.countAll<number>().as('n'));
  const [rows, total] = await Promise.all([ordered.execute(), counted.executeTakeFirstOrThrow()]);
  const n = Number(total.n);
  return { rows, total: Math.min(n, countCap), totalCapped: n > countCap };
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
