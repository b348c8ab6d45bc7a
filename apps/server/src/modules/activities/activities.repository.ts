import { sql } from 'kysely';
import type { Db } from '../../db/client.ts';

export const AWARD_SOURCE = 'activity_attendance';

/** An activity with the names the pages show and its waitlist length. */
export function activityQuery(db: Db) {
  return db
    .selectFrom('activities as a')
    .innerJoin('regions as r', 'r.id', 'a.region_id')
    .leftJoin('stations as s', 's.id', 'a.station_id')
    .leftJoin('points_rules as pr', 'pr.id', 'a.points_rule_id')
    .selectAll('a')
    .select([
      'r.name as region_name',
      's.name as station_name',
      'pr.name as rule_name',
      'pr.points as rule_points',
      (eb) =>
        eb
          .selectFrom('activity_signups as w')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('w.activity_id', '=', 'a.id')
          .where('w.status', '=', 'waitlisted')
          .as('waitlisted'),
    ]);
}
export type ActivityRow = NonNullable<Awaited<ReturnType<ReturnType<typeof activityQuery>['executeTakeFirst']>>>;

export function findActivity(db: Db, id: string) {
  return activityQuery(db).where('a.id', '=', id).executeTakeFirst();
}

/** The activity row under a lock: sign-ups, cancellations and promotions of one activity serialise on it. */
export function lockActivity(db: Db, id: string) {
  return db.selectFrom('activities').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}
export type LockedActivity = NonNullable<Awaited<ReturnType<typeof lockActivity>>>;

/** A sign-up with its attendance and the points it earned. */
export function signupQuery(db: Db) {
  return db
    .selectFrom('activity_signups as su')
    .leftJoin('activity_attendance as at', 'at.signup_id', 'su.id')
    .innerJoin('users as u', 'u.id', 'su.worker_id')
    .leftJoin('worker_profiles as wp', 'wp.user_id', 'su.worker_id')
    .select([
      'su.id',
      'su.region_id',
      'su.activity_id',
      'su.worker_id',
      'su.status',
      'su.queued_at',
      'su.pass_token',
      'su.created_at',
      'u.name',
      'u.phone',
      'wp.occupation',
      'at.checked_in_at',
      'at.checked_out_at',
      'at.minutes',
      'at.attended',
      'at.confirmed_at',
      (eb) =>
        eb
          .selectFrom('points_transfers as pt')
          .select(sql<number>`coalesce(sum(pt.amount), 0)::int`.as('p'))
          .where('pt.source_type', '=', AWARD_SOURCE)
          .whereRef('pt.source_id', '=', sql`su.id::text`)
          .where('pt.kind', '=', 'earn')
          .as('points'),
      (eb) =>
        eb
          .selectFrom('activity_signups as q')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('q.activity_id', '=', 'su.activity_id')
          .where('q.status', '=', 'waitlisted')
          .where((w) => w.or([w('q.queued_at', '<', w.ref('su.queued_at')), w.and([w('q.queued_at', '=', w.ref('su.queued_at')), w('q.id', '<=', w.ref('su.id'))])]))
          .as('position'),
    ]);
}
export type SignupRow = NonNullable<Awaited<ReturnType<ReturnType<typeof signupQuery>['executeTakeFirst']>>>;

/** The first waitlisted sign-ups, in queue order, moved to a seat; returns their workers. */
export async function promote(db: Db, activityId: string, seats: number, now: Date): Promise<Array<{ id: string; worker_id: string }>> {
  if (seats <= 0) return [];
  const { rows } = await sql<{ id: string; worker_id: string }>`
    update activity_signups set status = 'enrolled', updated_at = ${now}
    where id in (
      select id from activity_signups where activity_id = ${activityId} and status = 'waitlisted'
      order by queued_at, id limit ${seats}
    )
    returning id, worker_id`.execute(db);
  if (rows.length > 0) await db.updateTable('activities').set({ enrolled: sql`enrolled + ${rows.length}` }).where('id', '=', activityId).execute();
  return rows;
}

export async function recipients(db: Db, activityId: string, to: 'enrolled' | 'attended' | 'waitlisted'): Promise<string[]> {
  let query = db.selectFrom('activity_signups as su').select('su.worker_id').where('su.activity_id', '=', activityId);
  if (to === 'attended') query = query.innerJoin('activity_attendance as at', 'at.signup_id', 'su.id').where('at.checked_in_at', 'is not', null).where('at.attended', '=', true);
  else query = query.where('su.status', '=', to);
  return (await query.execute()).map((r) => r.worker_id);
}

/** Figures of one activity. */
export async function activityFigures(db: Db, activityId: string) {
  const row = await db
    .selectFrom('activity_signups as su')
    .leftJoin('activity_attendance as at', 'at.signup_id', 'su.id')
    .select([
      sql<number>`count(*) filter (where su.status = 'enrolled')::int`.as('enrolled'),
      sql<number>`count(*) filter (where su.status = 'waitlisted')::int`.as('waitlisted'),
      sql<number>`count(*) filter (where su.status = 'cancelled')::int`.as('cancelled'),
      sql<number>`count(*) filter (where at.checked_in_at is not null and at.attended)::int`.as('attended'),
      sql<number>`count(*) filter (where at.confirmed_at is not null and at.attended)::int`.as('confirmed'),
      sql<number>`coalesce(sum(at.minutes) filter (where at.confirmed_at is not null and at.attended), 0)::int`.as('minutes'),
    ])
    .where('su.activity_id', '=', activityId)
    .executeTakeFirstOrThrow();
  return row;
}

/**
 * Activities held in a region subtree between two instants (started, not cancelled), the distinct
 * workers who came, and the confirmed volunteer minutes; per kind.
 */
export async function regionFigures(db: Db, regionPrefix: string, from: Date, to: Date, now: Date) {
  const { rows } = await sql<{ kind: string; held: number; people: number; attendances: number; minutes: number }>`
    with held as (
      select id, kind from activities
      where region_id like ${`${regionPrefix}%`} and starts_at >= ${from} and starts_at < ${to}
        and status in ('published', 'finished') and starts_at <= ${now}
    ), came as (
      select h.kind, at.worker_id, at.minutes, at.confirmed_at
      from activity_attendance at join held h on h.id = at.activity_id
      where at.checked_in_at is not null and at.attended
    )
    select k.kind,
      (select count(*) from held h where h.kind = k.kind)::int as held,
      (select count(distinct worker_id) from came c where c.kind = k.kind)::int as people,
      (select count(*) from came c where c.kind = k.kind)::int as attendances,
      (select coalesce(sum(minutes), 0) from came c where c.kind = k.kind and c.confirmed_at is not null)::int as minutes
    from (values ('care_visit'), ('volunteer'), ('training'), ('health_day')) as k(kind)
    union all
    select 'all',
      (select count(*) from held)::int,
      (select count(distinct worker_id) from came)::int,
      (select count(*) from came)::int,
      (select coalesce(sum(minutes), 0) from came where confirmed_at is not null)::int`.execute(db);
  return rows;
}
