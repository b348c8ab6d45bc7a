import { sql } from 'kysely';
import type { Db } from '../../db/client.ts';

/** The station's check-in secret, created on first use (a concurrent first use keeps one). */
export async function ensureSecret(db: Db, station: { id: string; region_id: string }, fresh: string): Promise<string> {
  await db.insertInto('station_checkin_secrets').values({ station_id: station.id, region_id: station.region_id, secret: fresh }).onConflict((oc) => oc.column('station_id').doNothing()).execute();
  return (await findSecret(db, station.id))!;
}

export async function findSecret(db: Db, stationId: string): Promise<string | null> {
  const row = await db.selectFrom('station_checkin_secrets').select('secret').where('station_id', '=', stationId).executeTakeFirst();
  return row?.secret ?? null;
}

/** A visit with what the worker's pages show about it. */
export function visitQuery(db: Db) {
  return db
    .selectFrom('station_visits as v')
    .innerJoin('stations as s', 's.id', 'v.station_id')
    .leftJoin('station_ratings as r', 'r.visit_id', 'v.id')
    .select(['v.id', 'v.region_id', 'v.station_id', 'v.worker_id', 'v.visited_at', 'v.client_key', 's.name as station_name', 'r.stars']);
}
export type VisitRow = Awaited<ReturnType<ReturnType<typeof visitQuery>['executeTakeFirstOrThrow']>>;

export function visitByKey(db: Db, workerId: string, key: string) {
  return visitQuery(db).where('v.worker_id', '=', workerId).where('v.client_key', '=', key).executeTakeFirst();
}

/** The visit that counts for this worker at this station now (the latest one). */
export function latestVisit(db: Db, workerId: string, stationId: string) {
  return visitQuery(db)
    .where('v.id', '=', (eb) => eb.selectFrom('station_visit_latest').select('visit_id').where('worker_id', '=', workerId).where('station_id', '=', stationId))
    .executeTakeFirst();
}

/**
 * Records a visit unless the worker's latest visit here is newer than `windowStart`, in one
 * statement: the upsert on station_visit_latest moves forward only past the window, and the visit
 * row is written only when it did. Concurrent scans wait on that row; one of them wins.
 */
export async function insertVisit(
  db: Db,
  v: { id: string; regionId: string; stationId: string; workerId: string; at: Date; step: number; key: string; windowStart: Date },
): Promise<boolean> {
  const { rows } = await sql<{ id: string }>`
    with head as (
      insert into station_visit_latest (worker_id, station_id, visit_id, visited_at)
      values (${v.workerId}, ${v.stationId}, ${v.id}, ${v.at})
      on conflict (worker_id, station_id) do update set visit_id = excluded.visit_id, visited_at = excluded.visited_at
        where station_visit_latest.visited_at <= ${v.windowStart}
      returning visit_id)
    insert into station_visits (id, region_id, station_id, worker_id, visited_at, code_step, client_key)
    select visit_id, ${v.regionId}, ${v.stationId}, ${v.workerId}, ${v.at}, ${v.step}, ${v.key} from head
    returning id`.execute(db);
  return rows.length === 1;
}

/** Adds one visit to the station's day and hour in the daily rollup (same transaction as the visit). */
export async function countVisit(db: Db, station: { id: string; region_id: string }, day: string, hour: number): Promise<void> {
  const first = Array.from({ length: 24 }, (_, h) => (h === hour ? 1 : 0));
  await sql`
    insert into station_visit_daily (station_id, day, region_id, visits, by_hour)
    values (${station.id}, ${day}, ${station.region_id}, 1, ${sql.val(first)}::int[])
    on conflict (station_id, day) do update
      set visits = station_visit_daily.visits + 1,
          by_hour[${hour + 1}::int] = station_visit_daily.by_hour[${hour + 1}::int] + 1`.execute(db);
}

export async function visitsOn(db: Db, stationId: string, day: string): Promise<number> {
  const row = await db.selectFrom('station_visit_daily').select('visits').where('station_id', '=', stationId).where('day', '=', day).executeTakeFirst();
  return row?.visits ?? 0;
}

export function dailyBetween(db: Db, stationId: string, from: string, to: string) {
  return db.selectFrom('station_visit_daily').select(['day', 'visits', 'by_hour']).where('station_id', '=', stationId).where('day', '>=', from).where('day', '<=', to).orderBy('day').execute();
}

/** Stations the caller oversees with today's visits and ratings, busiest first. */
export function stationsToday(db: Db, scope: { stationId: string } | { regionPrefix: string }, day: string) {
  let query = db
    .selectFrom('stations as s')
    .leftJoin('station_visit_daily as d', (join) => join.onRef('d.station_id', '=', 's.id').on('d.day', '=', day))
    .leftJoin('station_rating_totals as t', 't.station_id', 's.id')
    .select(['s.id', 's.name', 's.region_id', 'd.visits', 't.stars_sum', 't.ratings']);
  query = 'stationId' in scope ? query.where('s.id', '=', scope.stationId) : query.where('s.region_id', 'like', `${scope.regionPrefix}%`);
  return query.where('s.status', '<>', 'planned').orderBy(sql`coalesce(d.visits, 0)`, 'desc').orderBy('s.name').limit(200).execute();
}

// ---- ratings ----

export async function insertRating(db: Db, r: { visitId: string; regionId: string; stationId: string; workerId: string; stars: number; feedback: string }): Promise<boolean> {
  const row = await db
    .insertInto('station_ratings')
    .values({ visit_id: r.visitId, region_id: r.regionId, station_id: r.stationId, worker_id: r.workerId, stars: r.stars, feedback: r.feedback })
    .onConflict((oc) => oc.column('visit_id').doNothing())
    .returning('visit_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function addToTotals(db: Db, stationId: string, stars: number): Promise<void> {
  await db
    .insertInto('station_rating_totals')
    .values({ station_id: stationId, stars_sum: stars, ratings: 1 })
    .onConflict((oc) => oc.column('station_id').doUpdateSet({ stars_sum: sql`station_rating_totals.stars_sum + ${stars}`, ratings: sql`station_rating_totals.ratings + 1` }))
    .execute();
}

export function totalsOf(db: Db, stationId: string) {
  return db.selectFrom('station_rating_totals').select(['stars_sum', 'ratings']).where('station_id', '=', stationId).executeTakeFirst();
}

export function feedbackPage(db: Db, stationId: string, page: { page: number; pageSize: number }) {
  return Promise.all([
    db
      .selectFrom('station_ratings as r')
      .innerJoin('station_visits as v', 'v.id', 'r.visit_id')
      .innerJoin('users as u', 'u.id', 'r.worker_id')
      .select(['r.visit_id', 'r.station_id', 'r.region_id', 'r.stars', 'r.feedback', 'r.created_at', 'v.visited_at', 'u.name'])
      .where('r.station_id', '=', stationId)
      .orderBy('r.created_at', 'desc')
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize)
      .execute(),
    db.selectFrom('station_ratings').select((eb) => eb.fn.countAll<number>().as('n')).where('station_id', '=', stationId).executeTakeFirstOrThrow(),
  ]);
}

/** One decimal, as the station page shows it; null before the first rating. */
export function averageOf(totals: { stars_sum: number | null; ratings: number | null } | undefined): { rating: number | null; ratingCount: number } {
  const count = totals?.ratings ?? 0;
  return { rating: count > 0 ? Math.round(((totals!.stars_sum ?? 0) / count) * 10) / 10 : null, ratingCount: count };
}

export interface VisitAttempt {
  id: string;
  regionId: string;
  stationId: string;
  workerId: string;
  at: Date;
  step: number;
  key: string;
  windowStart: Date;
  day: string;
  hour: number;
  /**
   * Write nothing if the worker's region might have a points rule named this (any status or kind:
   * a superset of what `ruleNamed` finds), so a check-in that may be paid goes the transactional way.
   */
  unlessRuleNamed?: { regionId: string; word: string };
}

export interface VisitOutcome {
  /** A visit with this worker's Idempotency-Key exists: nothing was written. */
  replay: boolean;
  /** The station is not in service: nothing was written. */
  closed: boolean;
  /** A rule might pay for it (see `unlessRuleNamed`): nothing was written. */
  mayBePaid: boolean;
  /** A new visit was written and counted in the rollup; false: the worker's 2-hour window holds one already. */
  counted: boolean;
}

/**
 * A check-in's writes (`insertVisit` and `countVisit` together, behind the checks that must see
 * the database: key replay, station in service, rule) in one call of migration 0021's
 * `station_record_visit`: atomic on its own, so it needs no transaction when nothing is paid.
 */
export async function recordVisit(db: Db, v: VisitAttempt): Promise<VisitOutcome> {
  const rule = v.unlessRuleNamed;
  const { rows } = await sql<{ replay: boolean; open: boolean; may_be_paid: boolean; counted: boolean }>`
    select * from station_record_visit(${v.id}, ${v.regionId}, ${v.stationId}, ${v.workerId}, ${v.at}, ${v.step}, ${v.key},
      ${v.windowStart}, ${v.day}, ${v.hour}, ${rule?.regionId ?? null}, ${rule ? `%${rule.word}%` : null})`.execute(db);
  const r = rows[0]!;
  return { replay: r.replay, closed: !r.open, mayBePaid: r.may_be_paid, counted: r.counted };
}
