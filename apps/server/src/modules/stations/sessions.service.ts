import { sql } from 'kysely';
import { maskName, maskPhone, type SessionInput, type SessionOccurrence, type StationBooking, type StationService } from '@nuanxin/shared';
import { withTransaction, type Database, type Db } from '../../db/client.ts';
import type { PointsService } from '../points/points.service.ts';
import { ruleNamed } from '../points/points.repository.ts';
import { audit } from '../../common/audit.ts';
import { AppError } from '../../common/errors.ts';
import type { Actor, RequestContext } from '../../common/context.ts';
import { IN_SERVICE, cstDayHour, cstInstant, findStation, requireStationStaff, stationForStaff } from './visits.access.ts';
import { addDays, datesBetween, fallsOn } from './sessions.calendar.ts';
import * as repo from './sessions.repository.ts';

/** Bookings open at most this far ahead, so a weekly session cannot be booked for next year. */
const BOOKING_HORIZON_DAYS = 90;
/** A points rule pays for attending a session when its name says so (a street admin adds one). */
export const SESSION_RULE_WORD = '驿站服务';

const inService = (status: string) => (IN_SERVICE as readonly string[]).includes(status);

function toOccurrence(s: repo.SessionRow, occursOn: string, booked: number): SessionOccurrence {
  return {
    sessionId: s.id,
    stationId: s.station_id,
    regionId: s.region_id,
    title: s.title,
    service: s.service as StationService | null,
    provider: s.provider,
    description: s.description,
    recurrence: s.recurrence,
    occursOn,
    startTime: s.start_time,
    endTime: s.end_time,
    startsAt: cstInstant(occursOn, s.start_time).toISOString(),
    capacity: s.capacity,
    seatsLeft: Math.max(0, s.capacity - booked),
  };
}

function toBooking(b: repo.BookingRow): StationBooking {
  return {
    id: b.id,
    sessionId: b.session_id,
    stationId: b.station_id,
    stationName: b.station_name,
    title: b.title,
    provider: b.provider,
    occursOn: b.occurs_on,
    startTime: b.start_time,
    endTime: b.end_time,
    startsAt: cstInstant(b.occurs_on, b.start_time).toISOString(),
    status: b.status,
    attended: b.attended,
    createdAt: b.created_at.toISOString(),
  };
}

/** Service sessions at stations (义诊 on Thursdays …): offered by staff, booked by workers. */
export class SessionsService {
  private readonly clock: () => Date;
  private readonly points: PointsService | null;

  constructor(
    private readonly database: Database,
    options: { clock?: () => Date; points?: PointsService } = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.points = options.points ?? null;
  }

  /** Dates from today to `days` ahead that have not started, with seats left. */
  async upcoming(stationId: string, days: number) {
    const db = this.database.db;
    const station = await findStation(db, stationId);
    if (!station) throw new AppError('NOT_FOUND');
    if (!inService(station.status)) return { items: [] };
    const now = this.clock();
    const today = cstDayHour(now).day;
    const last = addDays(today, days);
    const sessions = await repo.activeSessions(db, stationId, last);
    const taken = await repo.seatsTaken(db, sessions.map((s) => s.id), today);
    const items = sessions
      .flatMap((s) => datesBetween(s, today, last).map((day) => toOccurrence(s, day, taken.get(`${s.id}:${day}`) ?? 0)))
      .filter((o) => Date.parse(o.startsAt) > now.getTime())
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
    return { items };
  }

  async create(actor: Actor, ctx: RequestContext, stationId: string, input: SessionInput): Promise<SessionOccurrence> {
    const today = cstDayHour(this.clock()).day;
    const valid =
      input.endTime > input.startTime &&
      (input.recurrence === 'once' ? input.untilOn === null && input.startsOn >= today : input.untilOn === null || input.untilOn >= input.startsOn);
    if (!valid) throw new AppError('SESSION_INVALID');
    return withTransaction(this.database.db, async (tx) => {
      const station = await stationForStaff(tx, actor, stationId);
      if (!inService(station.status)) throw new AppError('STATION_NOT_OPEN');
      const { id } = await tx
        .insertInto('station_sessions')
        .values({
          region_id: station.region_id,
          station_id: station.id,
          title: input.title,
          service: input.service,
          provider: input.provider,
          description: input.description,
          capacity: input.capacity,
          recurrence: input.recurrence,
          starts_on: input.startsOn,
          until_on: input.untilOn,
          start_time: input.startTime,
          end_time: input.endTime,
          created_by: actor.userId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const session = (await repo.findSession(tx, id))!;
      // The first date from today on is what the console shows back; a weekly run that ended already has none.
      const first = datesBetween(session, today, addDays(today, 366))[0];
      if (!first) throw new AppError('SESSION_INVALID');
      await audit(tx, actor, ctx, { action: 'station.session.create', entity: 'station_session', entityId: id, regionId: station.region_id, detail: { ...input } });
      return toOccurrence(session, first, 0);
    });
  }

  /** Stops a session: its dates leave the station page and the seats booked from today on are cancelled. */
  async cancel(actor: Actor, ctx: RequestContext, sessionId: string): Promise<void> {
    await withTransaction(this.database.db, async (tx) => {
      const session = await repo.findSession(tx, sessionId);
      if (!session) throw new AppError('NOT_FOUND');
      requireStationStaff(actor, { id: session.station_id, region_id: session.region_id });
      if (session.status === 'cancelled') return;
      await tx.updateTable('station_sessions').set({ status: 'cancelled' }).where('id', '=', sessionId).execute();
      const today = cstDayHour(this.clock()).day;
      await tx.updateTable('station_bookings').set({ status: 'cancelled', cancelled_at: this.clock() }).where('session_id', '=', sessionId).where('occurs_on', '>=', today).where('status', '=', 'booked').execute();
      await audit(tx, actor, ctx, { action: 'station.session.cancel', entity: 'station_session', entityId: sessionId, regionId: session.region_id, detail: { title: session.title } });
    });
  }

  /**
   * Books a seat: the booking and the seat counter move in one transaction, the counter only while
   * below the capacity, so a full date refuses and leaves nothing behind. A worker who already holds
   * a seat at that date gets it back; a retry with the same Idempotency-Key replays the first answer.
   */
  async book(actor: Actor, key: string, sessionId: string, occursOn: string): Promise<StationBooking> {
    const db = this.database.db;
    const earlier = await repo.bookingQuery(db).where('b.worker_id', '=', actor.userId).where('b.client_key', '=', key).executeTakeFirst();
    if (earlier) {
      if (earlier.session_id !== sessionId || earlier.occurs_on !== occursOn) throw new AppError('IDEMPOTENCY_KEY_REUSED');
      return toBooking(earlier);
    }
    const now = this.clock();
    const session = await repo.findSession(db, sessionId);
    if (!session) throw new AppError('NOT_FOUND');
    if (!inService(session.station_status)) throw new AppError('STATION_NOT_OPEN');
    const horizon = addDays(cstDayHour(now).day, BOOKING_HORIZON_DAYS);
    const open = session.status === 'active' && fallsOn(session, occursOn) && occursOn <= horizon && cstInstant(occursOn, session.start_time) > now;
    if (!open) throw new AppError('SESSION_NOT_BOOKABLE');

    const id = await withTransaction(db, async (tx) => {
      const booked = await repo.insertBooking(tx, { regionId: session.region_id, stationId: session.station_id, sessionId, occursOn, workerId: actor.userId, key });
      if (!booked) return null;
      if (!(await repo.takeSeat(tx, sessionId, occursOn, session.capacity))) throw new AppError('SESSION_FULL');
      return booked;
    });
    const query = repo.bookingQuery(db).where('b.worker_id', '=', actor.userId);
    const row = id
      ? await query.where('b.id', '=', id).executeTakeFirstOrThrow()
      : await query.where('b.session_id', '=', sessionId).where('b.occurs_on', '=', occursOn).where('b.status', '=', 'booked').executeTakeFirstOrThrow();
    return toBooking(row);
  }

  /** The worker's own booking, before its session starts; the seat goes back at once. */
  async cancelBooking(actor: Actor, bookingId: string): Promise<StationBooking> {
    const db = this.database.db;
    await withTransaction(db, async (tx) => {
      const booking = await tx.selectFrom('station_bookings as b').innerJoin('station_sessions as ss', 'ss.id', 'b.session_id').select(['b.worker_id', 'b.status', 'b.session_id', 'b.occurs_on', 'ss.start_time']).where('b.id', '=', bookingId).forUpdate('b').executeTakeFirst();
      if (!booking || booking.worker_id !== actor.userId) throw new AppError('NOT_FOUND');
      if (booking.status !== 'booked' || cstInstant(booking.occurs_on, booking.start_time) <= this.clock()) throw new AppError('BOOKING_NOT_CANCELLABLE');
      await tx.updateTable('station_bookings').set({ status: 'cancelled', cancelled_at: this.clock() }).where('id', '=', bookingId).execute();
      await repo.freeSeat(tx, booking.session_id, booking.occurs_on);
    });
    return toBooking(await repo.bookingQuery(db).where('b.id', '=', bookingId).executeTakeFirstOrThrow());
  }

  /** Upcoming first (soonest on top), then the past ones, most recent first. */
  async mine(actor: Actor) {
    const today = cstDayHour(this.clock()).day;
    const rows = await repo
      .bookingQuery(this.database.db)
      .where('b.worker_id', '=', actor.userId)
      .orderBy(sql`b.occurs_on >= ${today}`, 'desc')
      .orderBy(sql`case when b.occurs_on >= ${today} then b.occurs_on end`, 'asc')
      .orderBy('b.occurs_on', 'desc')
      .orderBy('ss.start_time')
      .limit(50)
      .execute();
    return { items: rows.map(toBooking) };
  }

  async roster(actor: Actor, sessionId: string, occursOn: string) {
    const db = this.database.db;
    const session = await repo.findSession(db, sessionId);
    if (!session) throw new AppError('NOT_FOUND');
    requireStationStaff(actor, { id: session.station_id, region_id: session.region_id });
    const rows = await repo.rosterOf(db, sessionId, occursOn);
    return {
      items: rows.map((r) => ({
        id: r.id,
        regionId: r.region_id,
        // The keeper calls people by name at the door; the phone stays masked.
        workerName: r.name ?? maskName(null),
        phoneMasked: maskPhone(r.phone),
        status: r.status,
        attended: r.attended,
        createdAt: r.created_at.toISOString(),
      })),
    };
  }

  /** The keeper of that station (or an admin over it) marks whether a booked worker came. */
  async markAttendance(actor: Actor, ctx: RequestContext, bookingId: string, attended: boolean) {
    return withTransaction(this.database.db, async (tx) => {
      const booking = await tx.selectFrom('station_bookings').select(['id', 'station_id', 'region_id', 'status', 'worker_id']).where('id', '=', bookingId).forUpdate().executeTakeFirst();
      if (!booking) throw new AppError('NOT_FOUND');
      requireStationStaff(actor, { id: booking.station_id, region_id: booking.region_id });
      if (booking.status !== 'booked') throw new AppError('INVALID_STATE');
      await tx.updateTable('station_bookings').set({ attended, marked_by: actor.userId, marked_at: this.clock() }).where('id', '=', bookingId).execute();
      await audit(tx, actor, ctx, { action: 'station.booking.attendance', entity: 'station_booking', entityId: bookingId, regionId: booking.region_id, detail: { attended } });
      const points = attended ? await this.awardAttendance(tx, booking.worker_id, bookingId, actor.userId) : 0;
      return { id: bookingId, attended, points };
    });
  }

  /**
   * Pays a worker who came under the street's session rule, once per booking: marking the same
   * booking again pays nothing more, and a wrong mark is undone by reversal in the staff ledger.
   */
  private async awardAttendance(tx: Db, workerId: string, bookingId: string, actorId: string): Promise<number> {
    if (!this.points) return 0;
    const worker = await tx.selectFrom('users').select(['id', 'region_id']).where('id', '=', workerId).executeTakeFirstOrThrow();
    const rule = await ruleNamed(tx, worker.region_id, SESSION_RULE_WORD);
    if (!rule) return 0;
    const result = await this.points.awardOrSkip(tx, { worker: { userId: worker.id, regionId: worker.region_id }, rule, sourceType: 'station_session', sourceId: bookingId, actorId });
    return 'skipped' in result ? 0 : result.amount;
  }
}
