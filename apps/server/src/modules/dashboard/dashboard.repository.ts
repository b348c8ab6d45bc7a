import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../db/client.ts';
import type { Period } from './period.ts';

/**
 * SQL only: reads of the rollups in migrations/0011_dashboard.sql, 0022_dashboard_levels.sql and 0024.
 * Every read is limited to a region subtree and a period read as whole months from grain 'm' plus
 * the edge days from a finer grain (see `period.ts`). A district or street (a code of 6 or 9
 * characters) reads the case and points rollups of its own level: the compacted level rows plus what the log
 * still holds for it. Any other region reads the community rows of its subtree (`region_id LIKE
 * 'code%'`, C collation).
 */

type Fine = 'd' | 't';

/** The rows of a period: whole months, then the days before and after them. */
function inPeriod(p: Period, fine: Fine): RawBuilder<boolean> {
  return sql<boolean>`((grain = 'm' and day >= ${p.monthFrom}::date and day < ${p.monthTo}::date)
    or (grain = ${fine} and ((day >= ${p.from}::date and day < ${p.monthFrom}::date) or (day >= ${p.monthTo}::date and day <= ${p.to}::date))))`;
}
const within = (scope: string) => sql<boolean>`region_id like ${`${scope}%`}`;

/** The code lengths that have level rows (0022_dashboard_levels.sql, `dash_levels`). */
const LEVEL_LENGTHS = [6, 9];
export const hasLevelRows = (scope: string) => LEVEL_LENGTHS.includes(scope.length);

type Rollup = 'dash_cases' | 'dash_case_minutes' | 'dash_case_cells' | 'dash_points' | 'dash_workers';
const LEVEL_SOURCES: Partial<Record<Rollup, { levels: string; log: string }>> = {
  dash_cases: { levels: 'dash_cases_lv', log: 'dash_case_log_levels' },
  dash_case_minutes: { levels: 'dash_case_minutes_lv', log: 'dash_case_minute_log_levels' },
  dash_points: { levels: 'dash_points_lv', log: 'dash_points_log_levels' },
};

/**
 * The rows of a rollup inside `scope`, as a FROM item named `r` with `columns`: a district's or
 * street's own level rows (compacted, then still in the log), else its communities' rows.
 */
function rollupRows(table: Rollup, scope: string, columns: string, levels = hasLevelRows(scope)): RawBuilder<unknown> {
  const cols = sql.raw(columns);
  const source = LEVEL_SOURCES[table];
  if (!levels || !source) return sql`(select ${cols} from ${sql.table(table)} where ${within(scope)}) r`;
  return sql`(select ${cols} from ${sql.table(source.levels)} where region_id = ${scope}
    union all select ${cols} from ${sql.table(source.log)} where region_id = ${scope} and source_region like ${`${scope}%`}) r`;
}
const CASE_COLUMNS = `grain, region_id, day, category_id, department_id, received, accepted, dispatched, closed, closed_on_time, reworked,
  extended, rated, satisfied, rating_sum`;

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

export async function caseTotals(db: Db, scope: string, p: Period, levels?: boolean): Promise<CaseSums> {
  const { rows } = await sql<CaseSums>`select ${CASE_SUMS} from ${rollupRows('dash_cases', scope, CASE_COLUMNS, levels)} where ${inPeriod(p, 't')}`.execute(db);
  return rows[0]!;
}

/** Case sums by category, department or community (its first 12 digits). */
export async function caseBreakdown(db: Db, scope: string, p: Period, by: 'category' | 'department' | 'community', levels = hasLevelRows(scope)) {
  if (by === 'community') return communityBreakdown(db, scope, p, levels);
  const key = by === 'category' ? sql`category_id::text` : sql`department_id::text`;
  const { rows } = await sql<CaseSums & { key: string | null }>`
    select ${key} as key, ${CASE_SUMS} from ${rollupRows('dash_cases', scope, CASE_COLUMNS, levels)} where ${inPeriod(p, 'd')} group by 1`.execute(db);
  return rows;
}

/**
 * Case sums per community. A district or street reads the whole months from the communities' month
 * totals (grain 'n' of the level rows) and only the edge days from the communities' day totals.
 */
async function communityBreakdown(db: Db, scope: string, p: Period, levels: boolean) {
  const cols = sql.raw(CASE_COLUMNS);
  const prefix = `${scope}%`;
  const months = sql`grain = 'n' and region_id like ${prefix} and day >= ${p.monthFrom}::date and day < ${p.monthTo}::date`;
  const edges = sql`((day >= ${p.from}::date and day < ${p.monthFrom}::date) or (day >= ${p.monthTo}::date and day <= ${p.to}::date))`;
  const from = levels
    ? sql`(select ${cols} from dash_cases_lv where ${months} union all select ${cols} from dash_case_log_levels where ${months} and source_region like ${prefix}
        union all select ${cols} from dash_cases where grain = 't' and ${within(scope)} and ${edges}) r`
    : sql`(select ${cols} from dash_cases where ${within(scope)} and ${inPeriod(p, 't')}) r`;
  const { rows } = await sql<CaseSums & { key: string | null }>`select left(region_id, 12) as key, ${CASE_SUMS} from ${from} group by 1`.execute(db);
  return rows;
}

export async function minuteHistogram(db: Db, scope: string, p: Period, levels?: boolean) {
  const { rows } = await sql<{ measure: 'dispatch' | 'close'; bucket: number; n: number }>`
    select measure, bucket, sum(n)::float8 as n from ${rollupRows('dash_case_minutes', scope, 'grain, day, measure, bucket, n', levels)}
    where ${inPeriod(p, 't')} group by 1, 2 order by 1, 2`.execute(db);
  return rows;
}

const POINT_COLUMNS = 'grain, day, kind, category, n, amount, worker_net';

export async function pointTotals(db: Db, scope: string, p: Period, levels?: boolean) {
  const { rows } = await sql<{ kind: string; category: string | null; n: number; amount: number }>`
    select kind, category, sum(n)::float8 as n, sum(amount)::float8 as amount from ${rollupRows('dash_points', scope, POINT_COLUMNS, levels)}
    where ${inPeriod(p, 'd')} group by 1, 2`.execute(db);
  return rows;
}

/** What the transfers up to the end of `p` left on worker balances. */
export async function outstandingPoints(db: Db, scope: string, upTo: Period, levels?: boolean): Promise<number> {
  const { rows } = await sql<{ v: number }>`
    select coalesce(sum(worker_net), 0)::float8 as v from ${rollupRows('dash_points', scope, POINT_COLUMNS, levels)} where ${inPeriod(upTo, 'd')}`.execute(db);
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

/** Workers whose latest login or report falls in the 30 days up to `to` (counts per last day, 0024). */
export async function activeWorkers(db: Db, scope: string, to: string): Promise<number> {
  const { rows } = await sql<{ v: number }>`
    select coalesce(sum(n), 0)::float8 as v from dash_worker_days
    where day > ${to}::date - 30 and day <= ${to}::date and ${within(scope)}`.execute(db);
  return rows[0]!.v;
}

export type TrendSource = { table: 'dash_cases'; column: 'received' | 'accepted' | 'dispatched' | 'closed' } | { table: 'dash_points'; kind: 'earn' | 'post'; column: 'amount' | 'n' } | { table: 'dash_workers'; column: 'registered' };

/** Sums of one figure per day, ISO week or month (the bucket's first day). */
export async function trend(db: Db, scope: string, p: Period, bucket: 'day' | 'week' | 'month', source: TrendSource, levels?: boolean) {
  const fine: Fine = source.table === 'dash_points' ? 'd' : 't';
  const column = sql.ref(source.column);
  const columns = source.table === 'dash_cases' ? CASE_COLUMNS : source.table === 'dash_points' ? POINT_COLUMNS : 'grain, day, registered';
  const from = rollupRows(source.table, scope, columns, levels);
  const kind = source.table === 'dash_points' ? sql`and kind = ${source.kind}` : sql``;
  const { rows } = await sql<{ at: string; value: number }>`
    select date_trunc(${bucket}, day)::date as at, coalesce(sum(${column}), 0)::float8 as value
    from ${from} where ${inPeriod(p, fine)} ${kind}
    group by 1 order by 1`.execute(db);
  return rows;
}

export async function heatCells(db: Db, scope: string, p: Period, limit: number, levels?: boolean) {
  const { rows } = await sql<{ cy: number; cx: number; n: number }>`
    select cy, cx, sum(n)::float8 as n from ${rollupRows('dash_case_cells', scope, 'grain, day, cy, cx, n', levels)}
    where ${inPeriod(p, 'd')} group by 1, 2 having sum(n) > 0 order by 3 desc, 1, 2 limit ${limit}`.execute(db);
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

/** Moves the case log into the street and district rows (a job; safe to run from several processes). */
export async function compactLevels(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number }>`select dash_compact_levels() as n`.execute(db);
  return rows[0]!.n;
}

/** Recomputes every rollup from the base tables (backfill, repair). */
export async function rebuild(db: Db): Promise<void> {
  await sql`select dashboard_rebuild()`.execute(db);
}
