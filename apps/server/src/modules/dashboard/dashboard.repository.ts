import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../db/client.ts';
import type { Period } from './period.ts';

/**
 * SQL only: reads of the rollups in migrations/0011_dashboard.sql. Every read is limited to a region
 * subtree (`region_id LIKE 'code%'`, C collation) and a period read as whole months from grain 'm'
 * plus the edge days from a finer grain (see `period.ts`).
 */

type Fine = 'd' | 't';

/** The rows of a period: whole months, then the days before and after them. */
function inPeriod(p: Period, fine: Fine): RawBuilder<boolean> {
  return sql<boolean>`((grain = 'm' and day >= ${p.monthFrom}::date and day < ${p.monthTo}::date)
    or (grain = ${fine} and ((day >= ${p.from}::date and day < ${p.monthFrom}::date) or (day >= ${p.monthTo}::date and day <= ${p.to}::date))))`;
}
const within = (scope: string) => sql<boolean>`region_id like ${`${scope}%`}`;

const CASE_SUMS = sql`coalesce(sum(received), 0)::float8 as received, coalesce(sum(accepted), 0)::float8 as accepted,
  coalesce(sum(dispatched), 0)::float8 as dispatched, coalesce(sum(closed), 0)::float8 as closed,
  coalesce(sum(closed_on_time), 0)::float8 as closed_on_time, coalesce(sum(reworked), 0)::float8 as reworked,
  coalesce(sum(extended), 0)::float8 as extended, coalesce(sum(rated), 0)::float8 as rated,
  coalesce(sum(satisfied), 0)::float8 as satisfied, coalesce(sum(rating_sum), 0)::float8 as rating_sum`;

export interface CaseSums {
  received: number;
  accepted: number;
  dispatched: number;
  closed: number;
  closed_on_time: number;
  reworked: number;
  extended: number;
  rated: number;
  satisfied: number;
  rating_sum: number;
}

export async function caseTotals(db: Db, scope: string, p: Period): Promise<CaseSums> {
  const { rows } = await sql<CaseSums>`select ${CASE_SUMS} from dash_cases where ${within(scope)} and ${inPeriod(p, 't')}`.execute(db);
  return rows[0]!;
}

/** Case sums by category, department or community (its first 12 digits). */
export async function caseBreakdown(db: Db, scope: string, p: Period, by: 'category' | 'department' | 'community') {
  const key = by === 'category' ? sql`category_id::text` : by === 'department' ? sql`department_id::text` : sql`left(region_id, 12)`;
  // Community totals need no category: the day totals ('t') are enough at the edges.
  const fine: Fine = by === 'community' ? 't' : 'd';
  const { rows } = await sql<CaseSums & { key: string | null }>`
    select ${key} as key, ${CASE_SUMS} from dash_cases where ${within(scope)} and ${inPeriod(p, fine)} group by 1`.execute(db);
  return rows;
}

export async function minuteHistogram(db: Db, scope: string, p: Period) {
  const { rows } = await sql<{ measure: 'dispatch' | 'close'; bucket: number; n: number }>`
    select measure, bucket, sum(n)::float8 as n from dash_case_minutes
    where ${within(scope)} and ${inPeriod(p, 't')} group by 1, 2 order by 1, 2`.execute(db);
  return rows;
}

export async function pointTotals(db: Db, scope: string, p: Period) {
  const { rows } = await sql<{ kind: string; category: string | null; n: number; amount: number }>`
    select kind, category, sum(n)::float8 as n, sum(amount)::float8 as amount from dash_points
    where ${within(scope)} and ${inPeriod(p, 'd')} group by 1, 2`.execute(db);
  return rows;
}

/** What the transfers up to the end of `p` left on worker balances. */
export async function outstandingPoints(db: Db, scope: string, upTo: Period): Promise<number> {
  const { rows } = await sql<{ v: number }>`select coalesce(sum(worker_net), 0)::float8 as v from dash_points where ${within(scope)} and ${inPeriod(upTo, 'd')}`.execute(db);
  return rows[0]!.v;
}

export async function pointsIssuedByCommunity(db: Db, scope: string, p: Period) {
  const { rows } = await sql<{ key: string; amount: number }>`
    select left(region_id, 12) as key, coalesce(sum(amount), 0)::float8 as amount from dash_points
    where ${within(scope)} and kind = 'earn' and ${inPeriod(p, 'd')} group by 1`.execute(db);
  return rows;
}

export async function workersRegistered(db: Db, scope: string, p: Period): Promise<number> {
  const { rows } = await sql<{ v: number }>`select coalesce(sum(registered), 0)::float8 as v from dash_workers where ${within(scope)} and ${inPeriod(p, 't')}`.execute(db);
  return rows[0]!.v;
}

export async function workersByCommunity(db: Db, scope: string, p: Period) {
  const { rows } = await sql<{ key: string; n: number }>`
    select left(region_id, 12) as key, coalesce(sum(registered), 0)::float8 as n from dash_workers
    where ${within(scope)} and ${inPeriod(p, 't')} group by 1`.execute(db);
  return rows;
}

/** Workers whose latest login or report falls in the 30 days up to `to`. */
export async function activeWorkers(db: Db, scope: string, to: string): Promise<number> {
  const { rows } = await sql<{ v: number }>`
    select count(*)::float8 as v from dash_worker_activity
    where last_day > ${to}::date - 30 and last_day <= ${to}::date and ${within(scope)}`.execute(db);
  return rows[0]!.v;
}

export type TrendSource = { table: 'dash_cases'; column: 'received' | 'accepted' | 'dispatched' | 'closed' } | { table: 'dash_points'; kind: 'earn' | 'post'; column: 'amount' | 'n' } | { table: 'dash_workers'; column: 'registered' };

/** Sums of one figure per day, ISO week or month (the bucket's first day). */
export async function trend(db: Db, scope: string, p: Period, bucket: 'day' | 'week' | 'month', source: TrendSource) {
  const fine: Fine = source.table === 'dash_points' ? 'd' : 't';
  const column = sql.ref(source.column);
  const kind = source.table === 'dash_points' ? sql`and kind = ${source.kind}` : sql``;
  const { rows } = await sql<{ at: string; value: number }>`
    select date_trunc(${bucket}, day)::date as at, coalesce(sum(${column}), 0)::float8 as value
    from ${sql.table(source.table)} where ${within(scope)} ${kind} and ${inPeriod(p, fine)}
    group by 1 order by 1`.execute(db);
  return rows;
}

export async function heatCells(db: Db, scope: string, p: Period, limit: number) {
  const { rows } = await sql<{ cy: number; cx: number; n: number }>`
    select cy, cx, sum(n)::float8 as n from dash_case_cells
    where ${within(scope)} and ${inPeriod(p, 'd')} group by 1, 2 having sum(n) > 0 order by 3 desc limit ${limit}`.execute(db);
  return rows;
}

export function stationCounts(db: Db, scope: string) {
  return db
    .selectFrom('stations')
    .select(['status', sql<number>`count(*)::float8`.as('n')])
    .where('region_id', 'like', `${scope}%`)
    .groupBy('status')
    .execute();
}

export function stationsOnMap(db: Db, scope: string, limit: number) {
  return db.selectFrom('stations').select(['id', 'region_id', 'name', 'status', 'lat', 'lng']).where('region_id', 'like', `${scope}%`).orderBy('name').limit(limit).execute();
}

/** Whether station visits are recorded (the stations registry adds them in its own migration). */
export async function hasVisitRollup(db: Db): Promise<boolean> {
  const { rows } = await sql<{ ok: boolean }>`select to_regclass('station_visit_daily') is not null as ok`.execute(db);
  return Boolean(rows[0]?.ok);
}

export async function visitTotal(db: Db, scope: string, from: string, to: string): Promise<number> {
  const { rows } = await sql<{ v: number }>`
    select coalesce(sum(visits), 0)::float8 as v from station_visit_daily where ${within(scope)} and day between ${from}::date and ${to}::date`.execute(db);
  return rows[0]!.v;
}

export async function visitsByStation(db: Db, scope: string, from: string, to: string) {
  const { rows } = await sql<{ station_id: string; v: number }>`
    select station_id, sum(visits)::float8 as v from station_visit_daily where ${within(scope)} and day between ${from}::date and ${to}::date group by 1`.execute(db);
  return rows;
}

export function region(db: Db, id: string) {
  return db.selectFrom('regions').select(['id', 'name', 'level']).where('id', '=', id).executeTakeFirst();
}

export function regionNames(db: Db, ids: string[]) {
  return ids.length ? db.selectFrom('regions').select(['id', 'name']).where('id', 'in', ids).execute() : Promise.resolve([]);
}

export function categoryNames(db: Db, ids: string[]) {
  return ids.length
    ? db.selectFrom('case_categories as k').leftJoin('case_categories as p', 'p.id', 'k.parent_id').select(['k.id', 'k.name', 'p.name as parent_name']).where('k.id', 'in', ids).execute()
    : Promise.resolve([]);
}

export function departmentNames(db: Db, ids: string[]) {
  return ids.length ? db.selectFrom('departments').select(['id', 'name']).where('id', 'in', ids).execute() : Promise.resolve([]);
}

/** Recomputes every rollup from the base tables (backfill, repair). */
export async function rebuild(db: Db): Promise<void> {
  await sql`select dashboard_rebuild()`.execute(db);
}
