import { sql } from 'kysely';
import type { Db } from '../../db/client.ts';

export function findSession(db: Db, id: string) {
  return db
    .selectFrom('station_sessions as ss')
    .innerJoin('stations as s', 's.id', 'ss.station_id')
    .selectAll('ss')
    .select(['s.name as station_name', 's.status as station_status'])
    .where('ss.id', '=', id)
    .executeTakeFirst();
}
export type SessionRow = NonNullable<Awaited<ReturnType<typeof findSession>>>;

export function activeSessions(db: Db, stationId: string, until: string) {
  return db
    .selectFrom('station_sessions as ss')
    .innerJoin('stations as s', 's.id', 'ss.station_id')
    .selectAll('ss')
    .select(['s.name as station_name', 's.status as station_status'])
    .where('ss.station_id', '=', stationId)
    .where('ss.status', '=', 'active')
    .where('ss.starts_on', '<=', until)
    .orderBy('ss.start_time')
    .execute();
}

/** Seats taken per (session, date) for the given sessions from `from` on. */
export async function seatsTaken(db: Db, sessionIds: string[], from: string): Promise<Map<string, number>> {
  if (sessionIds.length === 0) return new Map();
  const rows = await db.selectFrom('station_session_seats').select(['session_id', 'occurs_on', 'booked']).where('session_id', 'in', sessionIds).where('occurs_on', '>=', from).execute();
  return new Map(rows.map((r) => [`${r.session_id}:${r.occurs_on}`, r.booked]));
}

/**
 * Takes one seat, in one statement: the counter moves only while it is below the capacity, so
 * concurrent bookings queue on the row and the ones past the capacity get nothing back.
 */
export async function takeSeat(db: Db, sessionId: string, occursOn: string, capacity: number): Promise<boolean> {
  const { rows } = await sql<{ booked: number }>`
    insert into station_session_seats (session_id, occurs_on, booked) values (${sessionId}, ${occursOn}, 1)
    on conflict (session_id, occurs_on) do update set booked = station_session_seats.booked + 1
      where station_session_seats.booked < ${capacity}
    returning booked`.execute(db);
  return rows.length === 1;
}

export async function freeSeat(db: Db, sessionId: string, occursOn: string): Promise<void> {
  await db.updateTable('station_session_seats').set({ booked: sql`booked - 1` }).where('session_id', '=', sessionId).where('occurs_on', '=', occursOn).where('booked', '>', 0).execute();
}

/** A booking with its session and station, as the worker's pages show it. */
export function bookingQuery(db: Db) {
  return db
    .selectFrom('station_bookings as b')
    .innerJoin('station_sessions as ss', 'ss.id', 'b.session_id')
    .innerJoin('stations as s', 's.id', 'b.station_id')
    .select([
      'b.id',
      'b.region_id',
      'b.session_id',
      'b.station_id',
      'b.occurs_on',
      'b.worker_id',
      'b.client_key',
      'b.status',
      'b.attended',
      'b.created_at',
      's.name as station_name',
      'ss.title',
      'ss.provider',
      'ss.start_time',
      'ss.end_time',
    ]);
}
export type BookingRow = Awaited<ReturnType<ReturnType<typeof bookingQuery>['executeTakeFirstOrThrow']>>;

/** Inserts the booking unless the worker already holds a seat at this date; returns its id or null. */
export async function insertBooking(db: Db, b: { regionId: string; stationId: string; sessionId: string; occursOn: string; workerId: string; key: string }): Promise<string | null> {
  const row = await db
    .insertInto('station_bookings')
    .values({ region_id: b.regionId, station_id: b.stationId, session_id: b.sessionId, occurs_on: b.occursOn, worker_id: b.workerId, client_key: b.key, attended: null, marked_by: null, marked_at: null, cancelled_at: null })
    .onConflict((oc) => oc.columns(['session_id', 'occurs_on', 'worker_id']).where('status', '=', 'booked').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export function rosterOf(db: Db, sessionId: string, occursOn: string) {
  return db
    .selectFrom('station_bookings as b')
    .innerJoin('users as u', 'u.id', 'b.worker_id')
    .select(['b.id', 'b.region_id', 'b.status', 'b.attended', 'b.created_at', 'u.name', 'u.phone'])
    .where('b.session_id', '=', sessionId)
    .where('b.occurs_on', '=', occursOn)
    .orderBy('b.status')
    .orderBy('b.created_at')
    .execute();
}
