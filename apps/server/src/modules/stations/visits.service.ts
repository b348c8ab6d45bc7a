import { randomUUID } from 'node:crypto';
import { CHECKIN_STEP_SECONDS, RATING_DAYS, VISIT_RANGE_MAX_DAYS, VISIT_WINDOW_HOURS, maskName, type Visit } from '@nuanxin/shared';
import { withTransaction, type Database, type Db } from '../../db/client.ts';
import { AppError } from '../../common/errors.ts';
import type { Actor } from '../../common/context.ts';
import type { PointsService } from '../points/points.service.ts';
import { ruleNamed } from '../points/points.repository.ts';
import { CheckinGuard } from './checkin-guard.ts';
import { codeFor, newCheckinSecret, stepAt, stepEnds, verifyCode } from './checkin-code.ts';
import { IN_SERVICE, cstDayHour, findStation, stationForStaff } from './visits.access.ts';
import * as repo from './visits.repository.ts';
import type { StationRecord } from './station-index.ts';
import type { StationIndexSync } from './station-index-sync.ts';

/** A points rule pays for check-ins when its name says so (a street admin adds one; none by default). */
const CHECKIN_RULE_WORD = '驿站签到';
const WINDOW_MS = VISIT_WINDOW_HOURS * 3_600_000;
const RATING_MS = RATING_DAYS * 86_400_000;

export interface VisitsOptions {
  /** The clock, replaceable in tests (code rotation, the 2-hour window). */
  clock?: () => Date;
  guard?: CheckinGuard;
  /** In-service stations with their check-in secrets in memory: a valid scan then costs one statement. */
  stations?: StationIndexSync;
}

/** Check-in at a station with its rotating code, the visits it counts, and ratings of visits. */
export class VisitsService {
  private readonly clock: () => Date;
  private readonly guard: CheckinGuard;
  private readonly stations: StationIndexSync | null;

  constructor(
    private readonly database: Database,
    private readonly points: PointsService,
    options: VisitsOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.guard = options.guard ?? new CheckinGuard();
    this.stations = options.stations ?? null;
  }

  private toVisit(row: repo.VisitRow, actor: Actor | null): Visit {
    const own = actor?.userId === row.worker_id;
    return {
      id: row.id,
      stationId: row.station_id,
      stationName: row.station_name,
      regionId: row.region_id,
      visitedAt: row.visited_at.toISOString(),
      stars: row.stars ?? null,
      rateable: own && row.stars === null && this.clock().getTime() - row.visited_at.getTime() <= RATING_MS,
    };
  }

  /** What the counter screen shows: the code of this 30 s step and today's visit count. */
  async currentCode(actor: Actor, stationId: string) {
    const db = this.database.db;
    const station = await stationForStaff(db, actor, stationId);
    if (!(IN_SERVICE as readonly string[]).includes(station.status)) throw new AppError('STATION_NOT_OPEN');
    const secret = await repo.ensureSecret(db, station, newCheckinSecret());
    // A secret just made: into this process's index before the first scan (the others hear of it).
    const known = this.stations?.index.get(station.id);
    if (known && known.secret !== secret) await this.stations!.refresh([station.id]);
    const now = this.clock();
    const step = stepAt(now);
    return {
      stationId: station.id,
      stationName: station.name,
      code: codeFor(secret, station.id, step),
      expiresAt: stepEnds(step).toISOString(),
      periodSeconds: CHECKIN_STEP_SECONDS,
      visitsToday: await repo.visitsOn(db, station.id, cstDayHour(now).day),
    };
  }

  /**
   * A scan: the code must be the station's current or previous one. The first scan in 2 hours is
   * a visit (counted in the daily rollup in the same transaction, and paid if a rule says so);
   * later ones answer with that visit. A retry with the same Idempotency-Key replays the first answer.
   */
  async checkIn(actor: Actor, key: string, input: { stationId: string; code: string }) {
    // The common case, a right code at a station this process knows with its secret, is decided
    // here and written in one statement; anything else (a wrong code, a blocked worker, a station
    // or secret not in memory yet) takes the path that reads it all from the database.
    const station = this.stations?.index.get(input.stationId);
    if (station?.secret && this.guard.waitMinutes(actor.userId) === 0) {
      const now = this.clock();
      const step = verifyCode(station.secret, station.id, input.code, now);
      if (step !== null) return this.checkInKnown(actor, key, input, station, step, now);
    }
    return this.checkInFromDatabase(actor, key, input);
  }

  private async checkInKnown(actor: Actor, key: string, input: { stationId: string; code: string }, station: StationRecord, step: number, now: Date) {
    const id = randomUUID();
    const { day, hour } = cstDayHour(now);
    const attempt = { id, regionId: station.regionId, stationId: station.id, workerId: actor.userId, at: now, step, key, windowStart: new Date(now.getTime() - WINDOW_MS), day, hour };
    let points = 0;
    let outcome = await repo.recordVisit(this.database.db, { ...attempt, unlessRuleNamed: { regionId: actor.regionId, word: CHECKIN_RULE_WORD } });
    if (outcome.mayBePaid && !outcome.replay && !outcome.closed) {
      // A rule may pay: the visit and its award commit together.
      ({ outcome, points } = await withTransaction(this.database.db, async (tx) => {
        const written = await repo.recordVisit(tx, attempt);
        return { outcome: written, points: written.counted ? await this.award(tx, actor, id) : 0 };
      }));
    }
    // The key was used before: answer as the first time did.
    if (outcome.replay) return this.checkInFromDatabase(actor, key, input);
    if (outcome.closed) throw new AppError('STATION_NOT_OPEN');
    if (outcome.counted) {
      const visit = { id, region_id: station.regionId, station_id: station.id, worker_id: actor.userId, visited_at: now, client_key: key, station_name: station.name, stars: null };
      return { visit: this.toVisit(visit, actor), alreadyCheckedIn: false, points };
    }
    const latest = (await repo.latestVisit(this.database.db, actor.userId, station.id))!;
    return { visit: this.toVisit(latest, actor), alreadyCheckedIn: latest.client_key !== key, points: 0 };
  }

  private async checkInFromDatabase(actor: Actor, key: string, input: { stationId: string; code: string }) {
    const db = this.database.db;
    // Three independent reads at once: a check-in is the hot path at a busy station.
    const [earlier, station, secret] = await Promise.all([repo.visitByKey(db, actor.userId, key), findStation(db, input.stationId), repo.findSecret(db, input.stationId)]);
    if (earlier) {
      if (earlier.station_id !== input.stationId) throw new AppError('IDEMPOTENCY_KEY_REUSED');
      return { visit: this.toVisit(earlier, actor), alreadyCheckedIn: false, points: await this.awardedFor(earlier.id) };
    }
    const wait = this.guard.waitMinutes(actor.userId);
    if (wait > 0) throw new AppError('CHECKIN_TOO_MANY_TRIES', { minutes: wait });
    const now = this.clock();
    const step = station && secret ? verifyCode(secret, station.id, input.code, now) : null;
    if (!station || step === null) {
      this.guard.recordWrong(actor.userId);
      throw new AppError('CHECKIN_CODE_INVALID');
    }
    if (!(IN_SERVICE as readonly string[]).includes(station.status)) throw new AppError('STATION_NOT_OPEN');

    const result = await withTransaction(db, async (tx) => {
      const id = randomUUID();
      const counted = await repo.insertVisit(tx, { id, regionId: station.region_id, stationId: station.id, workerId: actor.userId, at: now, step, key, windowStart: new Date(now.getTime() - WINDOW_MS) });
      if (!counted) return { visitId: null, points: 0 };
      const { day, hour } = cstDayHour(now);
      await repo.countVisit(tx, station, day, hour);
      return { visitId: id, points: await this.award(tx, actor, id) };
    });
    if (result.visitId) {
      // Just written: what it holds is known, no need to read it back.
      const visit = { id: result.visitId, region_id: station.region_id, station_id: station.id, worker_id: actor.userId, visited_at: now, client_key: key, station_name: station.name, stars: null };
      return { visit: this.toVisit(visit, actor), alreadyCheckedIn: false, points: result.points };
    }
    const latest = (await repo.latestVisit(db, actor.userId, station.id))!;
    // The same key raced itself (a double tap sent twice): that is the first answer, not a repeat.
    return { visit: this.toVisit(latest, actor), alreadyCheckedIn: latest.client_key !== key, points: 0 };
  }

  /** Pays a check-in under the street's check-in rule, if any; a refusal (cap, suspension) never fails the check-in. */
  private async award(tx: Db, actor: Actor, visitId: string): Promise<number> {
    const rule = await ruleNamed(tx, actor.regionId, CHECKIN_RULE_WORD);
    if (!rule) return 0;
    const result = await this.points.awardOrSkip(tx, { worker: { userId: actor.userId, regionId: actor.regionId }, rule, sourceType: 'station_visit', sourceId: visitId, actorId: null });
    return 'skipped' in result ? 0 : result.amount;
  }

  private async awardedFor(visitId: string): Promise<number> {
    const row = await this.database.db
      .selectFrom('points_transfers')
      .select('amount')
      .where('source_type', '=', 'station_visit')
      .where('source_id', '=', visitId)
      .executeTakeFirst();
    return row ? Number(row.amount) : 0;
  }

  async myVisits(actor: Actor, stationId: string | undefined) {
    let query = repo.visitQuery(this.database.db).where('v.worker_id', '=', actor.userId);
    if (stationId) query = query.where('v.station_id', '=', stationId);
    const rows = await query.orderBy('v.visited_at', 'desc').limit(20).execute();
    return { items: rows.map((row) => this.toVisit(row, actor)) };
  }

  /** One rating per visit, by the worker who made it, within RATING_DAYS; the station's average follows in the same transaction. */
  async rate(actor: Actor, visitId: string, input: { stars: number; feedback: string }): Promise<Visit> {
    const db = this.database.db;
    const stationId = await withTransaction(db, async (tx) => {
      const visit = await tx.selectFrom('station_visits').select(['id', 'region_id', 'station_id', 'worker_id', 'visited_at']).where('id', '=', visitId).executeTakeFirst();
      // Someone else's visit is not there as far as this worker can tell.
      if (!visit || visit.worker_id !== actor.userId) throw new AppError('NOT_FOUND');
      if (this.clock().getTime() - visit.visited_at.getTime() > RATING_MS) throw new AppError('VISIT_NOT_RATEABLE', { days: RATING_DAYS });
      const inserted = await repo.insertRating(tx, { visitId, regionId: visit.region_id, stationId: visit.station_id, workerId: actor.userId, stars: input.stars, feedback: input.feedback });
      if (!inserted) throw new AppError('VISIT_NOT_RATEABLE', { days: RATING_DAYS });
      await repo.addToTotals(tx, visit.station_id, input.stars);
      return visit.station_id;
    });
    await this.stations?.refresh([stationId]);
    return this.toVisit((await repo.visitQuery(db).where('v.id', '=', visitId).executeTakeFirst())!, actor);
  }

  async feedback(actor: Actor, stationId: string, page: { page: number; pageSize: number }) {
    const db = this.database.db;
    const station = await stationForStaff(db, actor, stationId);
    const [[rows, total], totals] = await Promise.all([repo.feedbackPage(db, station.id, page), repo.totalsOf(db, station.id)]);
    return {
      ...repo.averageOf(totals),
      items: rows.map((r) => ({
        visitId: r.visit_id,
        stationId: r.station_id,
        regionId: r.region_id,
        stars: r.stars,
        feedback: r.feedback,
        workerName: maskName(r.name),
        visitedAt: r.visited_at.toISOString(),
        createdAt: r.created_at.toISOString(),
      })),
      total: Number(total.n),
      ...page,
    };
  }

  /** Check-ins per day and hour between two China-time days (at most a quarter), from the rollup. */
  async visitsBetween(actor: Actor, stationId: string, range: { from: string; to: string }) {
    const db = this.database.db;
    const station = await stationForStaff(db, actor, stationId);
    const days = (Date.parse(range.to) - Date.parse(range.from)) / 86_400_000;
    if (days < 0 || days >= VISIT_RANGE_MAX_DAYS) {
      throw new AppError('VALIDATION_FAILED', { fields: [{ in: 'querystring', path: 'to', message: `from ≤ to, at most ${VISIT_RANGE_MAX_DAYS} days` }] });
    }
    const rows = await repo.dailyBetween(db, station.id, range.from, range.to);
    return {
      stationId: station.id,
      regionId: station.region_id,
      from: range.from,
      to: range.to,
      total: rows.reduce((sum, r) => sum + r.visits, 0),
      days: rows.map((r) => ({ day: r.day, visits: r.visits, byHour: r.by_hour })),
    };
  }

  /** Today's visits and ratings of the stations the caller keeps (a keeper) or oversees (admins). */
  async today(actor: Actor) {
    const day = cstDayHour(this.clock()).day;
    const scope = actor.role === 'station_keeper' ? { stationId: actor.stationId! } : { regionPrefix: actor.scopeId };
    const rows = await repo.stationsToday(this.database.db, scope, day);
    return {
      day,
      items: rows.map((r) => ({ stationId: r.id, stationName: r.name, regionId: r.region_id, visits: r.visits ?? 0, ...repo.averageOf({ stars_sum: r.stars_sum, ratings: r.ratings }) })),
    };
  }
}
