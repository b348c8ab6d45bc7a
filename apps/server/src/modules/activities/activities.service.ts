import { randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import {
  ACTIVITY_TRANSITIONS,
  CHECKIN_OPENS_MINUTES,
  CHECKIN_STEP_SECONDS,
  CHECKOUT_GRACE_MINUTES,
  REMINDER_MINUTES,
  activityPhase,
  isWithin,
  maskName,
  maskPhone,
  parseSignupPass,
  signupPassText,
  volunteerMinutes,
  type Activity,
  type ActivityInput,
  type ActivityMove,
  type CheckMode,
  type MySignup,
  type RosterEntry,
} from '@nuanxin/shared';
import { withTransaction, type Database, type Db } from '../../db/client.ts';
import { requireScope } from '../../common/access.ts';
import { audit } from '../../common/audit.ts';
import { AppError } from '../../common/errors.ts';
import type { Actor, RequestContext } from '../../common/context.ts';
import { todayCst } from '../../common/time.ts';
import type { PointsService } from '../points/points.service.ts';
import { findRule } from '../points/points.repository.ts';
import { deliver, type OutgoingMessage } from '../notices/inbox.ts';
import { CheckinGuard } from '../stations/checkin-guard.ts';
import { codeFor, newCheckinSecret, stepAt, stepEnds, verifyCode } from '../stations/checkin-code.ts';
import * as repo from './activities.repository.ts';

const MINUTE = 60_000;

/** Gives free seats to the waitlist in queue order and tells each promoted worker; the caller holds the lock. */
async function promoteWaitlist(tx: Db, activityId: string, title: string, seats: number, now: Date) {
  const promoted = await repo.promote(tx, activityId, seats, now);
  await deliver(
    tx,
    promoted.map((p) => ({ userId: p.worker_id, topic: 'activity', title: `候补成功：${title}`, body: '有人取消了报名，您已从候补转为正式报名，请按时参加。', link: `/activities/${activityId}` })),
  );
}

/** Cancels one open sign-up of a locked activity; a seat it held goes to the waitlist while the activity is still ahead. */
async function releaseSignup(tx: Db, a: repo.LockedActivity, signup: { id: string; status: string }, now: Date) {
  await tx.updateTable('activity_signups').set({ status: 'cancelled', cancelled_at: now, updated_at: now }).where('id', '=', signup.id).execute();
  if (signup.status !== 'enrolled') return;
  await tx.updateTable('activities').set({ enrolled: sql`enrolled - 1` }).where('id', '=', a.id).execute();
  if (a.status === 'published' && a.starts_at > now) await promoteWaitlist(tx, a.id, a.title, a.capacity - (a.enrolled - 1), now);
}

/**
 * Ends a deleted account's open sign-ups as if the worker had cancelled each: seat counts stay true
 * and the waitlist moves up. Activities are locked in id order, as every other writer would meet them.
 */
export async function withdrawFromActivities(tx: Db, workerId: string, now: Date): Promise<void> {
  const open = await tx
    .selectFrom('activity_signups')
    .select(['id', 'activity_id', 'status'])
    .where('worker_id', '=', workerId)
    .where('status', 'in', ['enrolled', 'waitlisted'])
    .orderBy('activity_id')
    .execute();
  for (const signup of open) {
    const a = (await repo.lockActivity(tx, signup.activity_id))!;
    await releaseSignup(tx, a, signup, now);
  }
}

/** "11月26日 14:00", China time: how messages name the start. */
function cstWhen(at: Date): string {
  const d = new Date(at.getTime() + 8 * 3_600_000);
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

/** The code is bound to the activity and the mode: a check-in code cannot check anyone out. */
const codeSubject = (activityId: string, mode: CheckMode) => `activity:${activityId}:${mode}`;

export interface ActivitiesOptions {
  /** The clock, replaceable in tests (sign-up closing, code rotation, hours). */
  clock?: () => Date;
  guard?: CheckinGuard;
}

/** Activities: the lifecycle, sign-up with a waitlist, QR check-in/out, hours, points and figures. */
export class ActivitiesService {
  private readonly clock: () => Date;
  private readonly guard: CheckinGuard;

  constructor(
    private readonly database: Database,
    private readonly points: PointsService,
    options: ActivitiesOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.guard = options.guard ?? new CheckinGuard();
  }

  private toActivity(a: repo.ActivityRow): Activity {
    return {
      id: a.id,
      regionId: a.region_id,
      regionName: a.region_name,
      kind: a.kind,
      title: a.title,
      description: a.description,
      stationId: a.station_id,
      stationName: a.station_name ?? null,
      address: a.address,
      lat: a.lat,
      lng: a.lng,
      startsAt: a.starts_at.toISOString(),
      endsAt: a.ends_at.toISOString(),
      capacity: a.capacity,
      enrolled: a.enrolled,
      waitlisted: Number(a.waitlisted ?? 0),
      audience: a.audience,
      occupations: a.occupations as Activity['occupations'],
      pointsRuleId: a.points_rule_id,
      pointsRuleName: a.rule_name ?? null,
      points: a.rule_points ?? null,
      status: a.status,
      phase: activityPhase(a.status, a.starts_at, a.ends_at, this.clock()),
      createdAt: a.created_at.toISOString(),
    };
  }

  private toMine(s: repo.SignupRow): MySignup {
    return {
      id: s.id,
      activityId: s.activity_id,
      status: s.status,
      position: s.status === 'waitlisted' ? Number(s.position ?? 0) : null,
      pass: s.status === 'enrolled' ? signupPassText(s.id, s.pass_token) : null,
      checkedInAt: s.checked_in_at?.toISOString() ?? null,
      checkedOutAt: s.checked_out_at?.toISOString() ?? null,
      minutes: s.minutes ?? null,
      confirmed: s.confirmed_at !== null && s.confirmed_at !== undefined,
      points: Number(s.points ?? 0),
    };
  }

  private toRoster(s: repo.SignupRow): RosterEntry {
    return {
      id: s.id,
      regionId: s.region_id,
      // The organiser calls people by name at the door; the phone stays masked.
      workerName: s.name ?? maskName(null),
      phoneMasked: maskPhone(s.phone),
      occupation: s.occupation ?? null,
      status: s.status,
      position: s.status === 'waitlisted' ? Number(s.position ?? 0) : null,
      signedUpAt: s.created_at.toISOString(),
      checkedInAt: s.checked_in_at?.toISOString() ?? null,
      checkedOutAt: s.checked_out_at?.toISOString() ?? null,
      minutes: s.minutes ?? null,
      confirmed: s.confirmed_at !== null && s.confirmed_at !== undefined && s.attended !== false,
      points: Number(s.points ?? 0),
    };
  }

  private async activityForStaff(db: Db, actor: Actor, id: string): Promise<repo.ActivityRow> {
    const a = await repo.findActivity(db, id);
    if (!a) throw new AppError('NOT_FOUND');
    requireScope(actor, a.region_id);
    return a;
  }

  // ---- lists ----

  /** Workers: published (and finished) activities that cover their community, or those of a chosen area. */
  async list(actor: Actor, q: { kind?: string; regionId?: string; upcoming?: string; q?: string; page: number; pageSize: number }) {
    let query = repo.activityQuery(this.database.db).where('a.status', 'in', ['published', 'finished']);
    if (q.regionId) query = query.where('a.region_id', 'like', `${q.regionId}%`);
    else query = query.where(sql.val(actor.regionId), 'like', sql<string>`a.region_id || '%'`);
    return this.page(query, q, true);
  }

  /** Staff: every activity inside their subtree, drafts and cancelled ones too. */
  async manageList(actor: Actor, q: { kind?: string; regionId?: string; status?: string; upcoming?: string; q?: string; page: number; pageSize: number }) {
    if (q.regionId) requireScope(actor, q.regionId);
    let query = repo.activityQuery(this.database.db).where('a.region_id', 'like', `${q.regionId ?? actor.scopeId}%`);
    if (q.status) query = query.where('a.status', '=', q.status as 'draft');
    return this.page(query, q, false);
  }

  private async page(base: ReturnType<typeof repo.activityQuery>, q: { kind?: string; upcoming?: string; q?: string; page: number; pageSize: number }, soonestFirst: boolean) {
    let query = base;
    if (q.kind) query = query.where('a.kind', '=', q.kind as 'volunteer');
    if (q.upcoming === 'true') query = query.where('a.ends_at', '>', this.clock());
    if (q.q) query = query.where('a.title', 'like', `%${q.q.replace(/[%_]/g, '')}%`);
    const total = await query.clearSelect().select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    const upcomingFirst = soonestFirst && q.upcoming === 'true';
    const rows = await query
      .orderBy('a.starts_at', upcomingFirst ? 'asc' : 'desc')
      .orderBy('a.id')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute();
    return { items: rows.map((r) => this.toActivity(r)), total: Number(total.n), page: q.page, pageSize: q.pageSize };
  }

  async detail(actor: Actor, id: string) {
    const db = this.database.db;
    const a = await repo.findActivity(db, id);
    if (!a || a.status === 'draft') throw new AppError('NOT_FOUND');
    const mine = await repo.signupQuery(db).where('su.activity_id', '=', id).where('su.worker_id', '=', actor.userId).executeTakeFirst();
    return { ...this.toActivity(a), mine: mine ? this.toMine(mine) : null };
  }

  async mine(actor: Actor) {
    const db = this.database.db;
    const signups = await repo.signupQuery(db).where('su.worker_id', '=', actor.userId).where('su.status', '<>', 'cancelled').orderBy('su.created_at', 'desc').limit(100).execute();
    const activities = signups.length ? await repo.activityQuery(db).where('a.id', 'in', signups.map((s) => s.activity_id)).execute() : [];
    const byId = new Map(activities.map((a) => [a.id, this.toActivity(a)]));
    const items = signups.map((s) => ({ activity: byId.get(s.activity_id)!, signup: this.toMine(s) })).sort((x, y) => y.activity.startsAt.localeCompare(x.activity.startsAt));
    const totals = await db
      .selectFrom('activity_attendance')
      .select([sql<number>`coalesce(sum(minutes), 0)::int`.as('minutes'), sql<number>`count(*)::int`.as('n')])
      .where('worker_id', '=', actor.userId)
      .where('attended', '=', true)
      .where('confirmed_at', 'is not', null)
      .executeTakeFirstOrThrow();
    return { items, totalMinutes: Number(totals.minutes), attended: Number(totals.n) };
  }

  // ---- staff: create, change, moves ----

  private async validate(db: Db, actor: Actor, input: ActivityInput) {
    requireScope(actor, input.regionId);
    const starts = new Date(input.startsAt);
    const ends = new Date(input.endsAt);
    const placed = input.stationId !== null || (input.lat !== null && input.lng !== null && input.address !== '');
    if (!(ends > starts) || !placed || (input.audience === 'occupations' && input.occupations.length === 0)) throw new AppError('ACTIVITY_INVALID');
    const region = await db.selectFrom('regions').select('id').where('id', '=', input.regionId).executeTakeFirst();
    if (!region) throw new AppError('REGION_NOT_FOUND');
    if (input.stationId) {
      const station = await db.selectFrom('stations').select('region_id').where('id', '=', input.stationId).executeTakeFirst();
      if (!station || !isWithin(station.region_id, actor.scopeId)) throw new AppError('ACTIVITY_STATION_INVALID');
    }
    if (input.pointsRuleId) {
      const rule = await findRule(db, input.pointsRuleId);
      if (!rule || rule.kind !== 'earn' || rule.status !== 'active' || !isWithin(input.regionId, rule.region_id)) throw new AppError('ACTIVITY_RULE_INVALID');
    }
    return { starts, ends };
  }

  private values(input: ActivityInput, starts: Date, ends: Date) {
    return {
      region_id: input.regionId,
      kind: input.kind,
      title: input.title,
      description: input.description,
      station_id: input.stationId,
      address: input.address,
      lat: input.lat,
      lng: input.lng,
      starts_at: starts,
      ends_at: ends,
      capacity: input.capacity,
      audience: input.audience,
      occupations: input.audience === 'occupations' ? input.occupations : [],
      points_rule_id: input.pointsRuleId,
    };
  }

  async create(actor: Actor, ctx: RequestContext, input: ActivityInput): Promise<Activity> {
    return withTransaction(this.database.db, async (tx) => {
      const { starts, ends } = await this.validate(tx, actor, input);
      const { id } = await tx
        .insertInto('activities')
        .values({ ...this.values(input, starts, ends), checkin_secret: newCheckinSecret(), created_by: actor.userId })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit(tx, actor, ctx, { action: 'activity.create', entity: 'activity', entityId: id, regionId: input.regionId, detail: { ...input } });
      return this.toActivity((await repo.findActivity(tx, id))!);
    });
  }

  /** Changes before the start; more seats promote the waitlist at once. */
  async update(actor: Actor, ctx: RequestContext, id: string, input: ActivityInput): Promise<Activity> {
    return withTransaction(this.database.db, async (tx) => {
      const a = await repo.lockActivity(tx, id);
      if (!a) throw new AppError('NOT_FOUND');
      requireScope(actor, a.region_id);
      const now = this.clock();
      const phase = activityPhase(a.status, a.starts_at, a.ends_at, now);
      if (phase !== 'draft' && phase !== 'upcoming') throw new AppError('ACTIVITY_NOT_EDITABLE');
      const { starts, ends } = await this.validate(tx, actor, input);
      if (phase === 'upcoming' && starts <= now) throw new AppError('ACTIVITY_INVALID');
      if (input.capacity < a.enrolled) throw new AppError('ACTIVITY_CAPACITY_BELOW_ENROLLED', { enrolled: a.enrolled });
      await tx.updateTable('activities').set({ ...this.values(input, starts, ends), updated_at: now }).where('id', '=', id).execute();
      if (input.regionId !== a.region_id) {
        // The sign-ups carry the activity's region as tenant key: they move with it.
        await tx.updateTable('activity_signups').set({ region_id: input.regionId }).where('activity_id', '=', id).execute();
        await tx.updateTable('activity_attendance').set({ region_id: input.regionId }).where('activity_id', '=', id).execute();
      }
      if (phase === 'upcoming') await promoteWaitlist(tx, id, input.title, input.capacity - a.enrolled, now);
      await audit(tx, actor, ctx, { action: 'activity.update', entity: 'activity', entityId: id, regionId: a.region_id, detail: { ...input } });
      return this.toActivity((await repo.findActivity(tx, id))!);
    });
  }

  /** publish (draft, before the start) · cancel (draft or upcoming; tells everyone signed up) · finish (once started). */
  async move(actor: Actor, ctx: RequestContext, id: string, input: { move: ActivityMove; reason: string }): Promise<Activity> {
    return withTransaction(this.database.db, async (tx) => {
      const a = await repo.lockActivity(tx, id);
      if (!a) throw new AppError('NOT_FOUND');
      requireScope(actor, a.region_id);
      const now = this.clock();
      const phase = activityPhase(a.status, a.starts_at, a.ends_at, now);
      const allowed = ACTIVITY_TRANSITIONS[phase].includes(input.move) && !(input.move === 'publish' && a.starts_at <= now);
      if (!allowed) throw new AppError('ACTIVITY_ILLEGAL_MOVE', { phase, move: input.move });
      const status = ({ publish: 'published', cancel: 'cancelled', finish: 'finished' } as const)[input.move];
      await tx.updateTable('activities').set({ status, updated_at: now }).where('id', '=', id).execute();
      if (input.move === 'cancel') {
        const people = await tx.selectFrom('activity_signups').select('worker_id').where('activity_id', '=', id).where('status', 'in', ['enrolled', 'waitlisted']).execute();
        await deliver(
          tx,
          people.map((p) => ({ userId: p.worker_id, topic: 'activity', title: `活动已取消：${a.title}`, body: `原定${cstWhen(a.starts_at)}开始的活动已取消。${input.reason}`.trim(), link: `/activities/${id}` })),
        );
      }
      await audit(tx, actor, ctx, { action: `activity.${input.move}`, entity: 'activity', entityId: id, regionId: a.region_id, detail: { from: phase, reason: input.reason } });
      return this.toActivity((await repo.findActivity(tx, id))!);
    });
  }

  // ---- workers: sign-up and cancellation ----

  /**
   * Signs up under the activity's row lock: a seat while `enrolled < capacity`, else the waitlist.
   * Signing up again answers with the sign-up as it is (idempotent); after a cancellation it queues anew.
   */
  async signUp(actor: Actor, id: string): Promise<MySignup> {
    const db = this.database.db;
    const signupId = await withTransaction(db, async (tx) => {
      const a = await repo.lockActivity(tx, id);
      if (!a || a.status === 'draft') throw new AppError('NOT_FOUND');
      const now = this.clock();
      if (a.status !== 'published' || a.starts_at <= now) throw new AppError('ACTIVITY_SIGNUP_CLOSED');
      if (!isWithin(actor.regionId, a.region_id)) throw new AppError('ACTIVITY_NOT_FOR_YOU');
      if (a.audience === 'occupations') {
        const profile = await tx.selectFrom('worker_profiles').select('occupation').where('user_id', '=', actor.userId).executeTakeFirst();
        if (!profile || !a.occupations.includes(profile.occupation)) throw new AppError('ACTIVITY_NOT_FOR_YOU');
      }
      const existing = await tx.selectFrom('activity_signups').select(['id', 'status']).where('activity_id', '=', id).where('worker_id', '=', actor.userId).executeTakeFirst();
      if (existing && existing.status !== 'cancelled') return existing.id;
      const status = a.enrolled < a.capacity ? 'enrolled' : 'waitlisted';
      if (status === 'enrolled') await tx.updateTable('activities').set({ enrolled: sql`enrolled + 1` }).where('id', '=', id).execute();
      if (existing) {
        await tx.updateTable('activity_signups').set({ status, queued_at: now, cancelled_at: null, updated_at: now }).where('id', '=', existing.id).execute();
        return existing.id;
      }
      const row = await tx
        .insertInto('activity_signups')
        .values({ region_id: a.region_id, activity_id: id, worker_id: actor.userId, status, queued_at: now, pass_token: randomBytes(18).toString('base64url') })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    });
    return this.toMine((await repo.signupQuery(db).where('su.id', '=', signupId).executeTakeFirst())!);
  }

  /** Cancels before the start; a freed seat goes to the first waitlisted in the same transaction. */
  async cancelSignup(actor: Actor, id: string): Promise<MySignup> {
    const db = this.database.db;
    const signupId = await withTransaction(db, async (tx) => {
      const a = await repo.lockActivity(tx, id);
      if (!a) throw new AppError('NOT_FOUND');
      const s = await tx.selectFrom('activity_signups').select(['id', 'status']).where('activity_id', '=', id).where('worker_id', '=', actor.userId).executeTakeFirst();
      if (!s) throw new AppError('NOT_FOUND');
      if (s.status === 'cancelled') return s.id;
      const now = this.clock();
      if (a.status !== 'published' || a.starts_at <= now) throw new AppError('ACTIVITY_SIGNUP_CLOSED');
      await releaseSignup(tx, a, s, now);
      return s.id;
    });
    return this.toMine((await repo.signupQuery(db).where('su.id', '=', signupId).executeTakeFirst())!);
  }


  // ---- check-in and check-out ----

  /** What the organiser's phone shows: the code of this 30 s step for check-in or check-out. */
  async code(actor: Actor, id: string, mode: CheckMode) {
    const db = this.database.db;
    const a = await this.activityForStaff(db, actor, id);
    if (a.status !== 'published') throw new AppError('ACTIVITY_ILLEGAL_MOVE', { phase: a.status, move: 'checkin' });
    const step = stepAt(this.clock());
    const figures = await db
      .selectFrom('activity_attendance')
      .select([sql<number>`count(checked_in_at)::int`.as('in'), sql<number>`count(checked_out_at)::int`.as('out')])
      .where('activity_id', '=', id)
      .executeTakeFirstOrThrow();
    return {
      activityId: a.id,
      title: a.title,
      mode,
      code: codeFor(a.checkin_secret, codeSubject(a.id, mode), step),
      expiresAt: stepEnds(step).toISOString(),
      periodSeconds: CHECKIN_STEP_SECONDS,
      checkedIn: Number(figures.in),
      checkedOut: Number(figures.out),
    };
  }

  /** A worker scans the organiser's QR: the code must be the current or previous one for this activity and mode. */
  async checkIn(actor: Actor, input: { activityId: string; code: string; mode: CheckMode }) {
    const db = this.database.db;
    const wait = this.guard.waitMinutes(actor.userId);
    if (wait > 0) throw new AppError('CHECKIN_TOO_MANY_TRIES', { minutes: wait });
    const a = await db.selectFrom('activities').select(['id', 'checkin_secret']).where('id', '=', input.activityId).executeTakeFirst();
    const step = a ? verifyCode(a.checkin_secret, codeSubject(a.id, input.mode), input.code, this.clock()) : null;
    if (!a || step === null) {
      this.guard.recordWrong(actor.userId);
      throw new AppError('ACTIVITY_CODE_INVALID');
    }
    const signup = await db.selectFrom('activity_signups').select('id').where('activity_id', '=', a.id).where('worker_id', '=', actor.userId).executeTakeFirst();
    if (!signup) throw new AppError('ACTIVITY_NOT_SIGNED_UP');
    return this.record(signup.id, input.mode, 'worker', null);
  }

  /** The organiser scans a worker's personal QR. */
  async scan(actor: Actor, ctx: RequestContext, id: string, input: { pass: string; mode: CheckMode }) {
    const db = this.database.db;
    const a = await this.activityForStaff(db, actor, id);
    const pass = parseSignupPass(input.pass);
    const s = pass && (await db.selectFrom('activity_signups').select(['id', 'activity_id', 'pass_token']).where('id', '=', pass.signupId).executeTakeFirst());
    const matches = !!s && !!pass && s.activity_id === a.id && s.pass_token.length === pass.token.length && timingSafeEqual(Buffer.from(s.pass_token), Buffer.from(pass.token));
    if (!matches) throw new AppError('ACTIVITY_PASS_INVALID');
    return this.record(s.id, input.mode, 'staff', { actor, ctx });
  }

  /** Records a check-in or check-out once (a repeat answers with the first); minutes follow at check-out. */
  private async record(signupId: string, mode: CheckMode, by: 'worker' | 'staff', staff: { actor: Actor; ctx: RequestContext } | null) {
    const db = this.database.db;
    const now = this.clock();
    const result = await withTransaction(db, async (tx) => {
      const s = await tx
        .selectFrom('activity_signups as su')
        .innerJoin('activities as a', 'a.id', 'su.activity_id')
        .innerJoin('users as u', 'u.id', 'su.worker_id')
        .select(['su.id', 'su.status', 'su.worker_id', 'su.region_id', 'su.activity_id', 'a.status as activity_status', 'a.starts_at', 'a.ends_at', 'u.name'])
        .where('su.id', '=', signupId)
        .forUpdate('su')
        .executeTakeFirstOrThrow();
      const open = s.activity_status === 'published' && now.getTime() >= s.starts_at.getTime() - CHECKIN_OPENS_MINUTES * MINUTE && now.getTime() <= s.ends_at.getTime() + CHECKOUT_GRACE_MINUTES * MINUTE;
      if (!open) throw new AppError('ACTIVITY_CHECKIN_CLOSED', { before: CHECKIN_OPENS_MINUTES, after: CHECKOUT_GRACE_MINUTES });
      if (s.status !== 'enrolled') throw new AppError('ACTIVITY_NOT_SIGNED_UP');
      const att = await tx.selectFrom('activity_attendance').selectAll().where('signup_id', '=', s.id).executeTakeFirst();
      let already = false;
      if (mode === 'in') {
        if (att?.checked_in_at) already = true;
        else if (att) await tx.updateTable('activity_attendance').set({ checked_in_at: now, checked_in_by: by, updated_at: now }).where('signup_id', '=', s.id).execute();
        else await tx.insertInto('activity_attendance').values({ signup_id: s.id, region_id: s.region_id, activity_id: s.activity_id, worker_id: s.worker_id, checked_in_at: now, checked_in_by: by }).execute();
      } else {
        if (!att?.checked_in_at) throw new AppError('ACTIVITY_NOT_CHECKED_IN');
        if (att.checked_out_at) already = true;
        else {
          // Confirmed hours stay as staff set them.
          const minutes = att.confirmed_at ? att.minutes : volunteerMinutes(att.checked_in_at, now, s.starts_at, s.ends_at);
          await tx.updateTable('activity_attendance').set({ checked_out_at: now, checked_out_by: by, minutes, updated_at: now }).where('signup_id', '=', s.id).execute();
        }
      }
      if (staff && !already) await audit(tx, staff.actor, staff.ctx, { action: `activity.check_${mode}`, entity: 'activity_signup', entityId: s.id, regionId: s.region_id, detail: { activityId: s.activity_id } });
      const after = (await tx.selectFrom('activity_attendance').selectAll().where('signup_id', '=', s.id).executeTakeFirst())!;
      return { already, after, name: s.name };
    });
    return {
      signupId,
      mode,
      already: result.already,
      checkedInAt: result.after.checked_in_at?.toISOString() ?? null,
      checkedOutAt: result.after.checked_out_at?.toISOString() ?? null,
      minutes: result.after.minutes ?? null,
      workerName: by === 'staff' ? (result.name ?? maskName(null)) : maskName(result.name),
    };
  }

  // ---- staff: roster, confirmation, messages, figures ----

  /** The activity, its figures and the roster with the waitlist in order; a read of personal data, so audited. */
  async manage(actor: Actor, ctx: RequestContext, id: string) {
    const db = this.database.db;
    const a = await this.activityForStaff(db, actor, id);
    const rows = await repo
      .signupQuery(db)
      .where('su.activity_id', '=', id)
      .orderBy(sql`case su.status when 'enrolled' then 0 when 'waitlisted' then 1 else 2 end`)
      .orderBy('su.queued_at')
      .orderBy('su.id')
      .execute();
    await withTransaction(db, (tx) => audit(tx, actor, ctx, { action: 'activity.roster.read', entity: 'activity', entityId: id, regionId: a.region_id, detail: { rows: rows.length } }));
    const stats = await repo.activityFigures(db, id);
    return { activity: this.toActivity(a), stats, roster: rows.map((r) => this.toRoster(r)) };
  }

  /**
   * Staff confirm (or adjust, or deny) attendance once the activity has started. Confirming pays the
   * activity's points rule once per sign-up (source `activity_attendance:<signup id>`); a refusal by
   * the ledger (a cap, a suspension) leaves the confirmation standing.
   */
  async confirm(actor: Actor, ctx: RequestContext, signupId: string, input: { attended: boolean; minutes?: number; note: string }): Promise<RosterEntry> {
    const db = this.database.db;
    await withTransaction(db, async (tx) => {
      const s = await tx.selectFrom('activity_signups').select(['id', 'activity_id', 'worker_id', 'region_id', 'status']).where('id', '=', signupId).forUpdate().executeTakeFirst();
      if (!s) throw new AppError('NOT_FOUND');
      requireScope(actor, s.region_id);
      const a = (await tx.selectFrom('activities').selectAll().where('id', '=', s.activity_id).executeTakeFirst())!;
      const now = this.clock();
      if (a.status === 'draft' || a.status === 'cancelled') throw new AppError('ACTIVITY_ILLEGAL_MOVE', { phase: a.status, move: 'confirm' });
      if (a.starts_at > now) throw new AppError('ACTIVITY_NOT_STARTED');
      if (s.status !== 'enrolled') throw new AppError('ACTIVITY_NOT_SIGNED_UP');
      const att = await tx.selectFrom('activity_attendance').selectAll().where('signup_id', '=', s.id).executeTakeFirst();
      const paid = await tx.selectFrom('points_transfers').select('id').where('source_type', '=', repo.AWARD_SOURCE).where('source_id', '=', s.id).where('kind', '=', 'earn').executeTakeFirst();
      if (!input.attended && paid) throw new AppError('ACTIVITY_ILLEGAL_MOVE', { phase: 'paid', move: 'deny' });
      const computed = volunteerMinutes(att?.checked_in_at ?? null, att?.checked_out_at ?? null, a.starts_at, a.ends_at);
      const minutes = input.attended ? (input.minutes ?? att?.minutes ?? computed) : 0;
      const values = { attended: input.attended, minutes, confirmed_at: now, confirmed_by: actor.userId, updated_at: now };
      if (att) await tx.updateTable('activity_attendance').set(values).where('signup_id', '=', s.id).execute();
      else await tx.insertInto('activity_attendance').values({ signup_id: s.id, region_id: s.region_id, activity_id: s.activity_id, worker_id: s.worker_id, checked_in_at: input.attended ? a.starts_at : null, checked_in_by: input.attended ? 'confirm' : null, ...values }).execute();
      let points = 0;
      if (input.attended && a.points_rule_id) points = await this.award(tx, s, a.points_rule_id, a.title, actor.userId);
      if (input.attended && !att?.confirmed_at) {
        await deliver(tx, [{ userId: s.worker_id, topic: 'activity', title: `出勤已确认：${a.title}`, body: `志愿时长 ${(minutes / 60).toFixed(1)} 小时${points ? `，获得 ${points} 积分` : ''}。`, link: '/activities/mine' }]);
      }
      await audit(tx, actor, ctx, {
        action: 'activity.confirm',
        entity: 'activity_signup',
        entityId: s.id,
        regionId: s.region_id,
        detail: { activityId: a.id, attended: input.attended, minutes, before: att ? { minutes: att.minutes, attended: att.attended, confirmed: !!att.confirmed_at } : null, computed, note: input.note, points },
      });
    });
    return this.toRoster((await repo.signupQuery(db).where('su.id', '=', signupId).executeTakeFirst())!);
  }

  private async award(tx: Db, s: { id: string; worker_id: string }, ruleId: string, title: string, actorId: string): Promise<number> {
    const [rule, worker] = await Promise.all([findRule(tx, ruleId), tx.selectFrom('users').select('region_id').where('id', '=', s.worker_id).executeTakeFirstOrThrow()]);
    if (!rule) return 0;
    const result = await this.points.awardOrSkip(tx, { worker: { userId: s.worker_id, regionId: worker.region_id }, rule, sourceType: repo.AWARD_SOURCE, sourceId: s.id, reason: `${rule.name}：${title}`, actorId });
    return 'skipped' in result ? 0 : result.amount;
  }

  /** One message to every participant of the chosen kind, in one transaction with its audit row. */
  async message(actor: Actor, ctx: RequestContext, id: string, input: { to: 'enrolled' | 'attended' | 'waitlisted'; title: string; body: string }) {
    return withTransaction(this.database.db, async (tx) => {
      const a = await this.activityForStaff(tx, actor, id);
      if (a.status === 'draft') throw new AppError('ACTIVITY_ILLEGAL_MOVE', { phase: 'draft', move: 'message' });
      const people = await repo.recipients(tx, id, input.to);
      const messages: OutgoingMessage[] = people.map((userId) => ({ userId, topic: 'activity', title: input.title, body: input.body, link: `/activities/${id}` }));
      await deliver(tx, messages);
      await audit(tx, actor, ctx, { action: 'activity.message', entity: 'activity', entityId: id, regionId: a.region_id, detail: { to: input.to, title: input.title, sent: people.length } });
      return { sent: people.length };
    });
  }

  /** Activities held, people covered (distinct workers) and confirmed hours in a subtree and period (China days). */
  async stats(actor: Actor, q: { regionId?: string; from?: string; to?: string }) {
    const regionId = q.regionId ?? actor.scopeId;
    requireScope(actor, regionId);
    const now = this.clock();
    const to = q.to ?? todayCst(now);
    const from = q.from ?? todayCst(new Date(Date.parse(`${to}T00:00:00+08:00`) - 29 * 86_400_000));
    if (from > to) throw new AppError('DASHBOARD_RANGE_INVALID');
    if (Date.parse(to) - Date.parse(from) > 366 * 86_400_000) throw new AppError('DASHBOARD_RANGE_TOO_LONG', { maxDays: 366 });
    const rows = await repo.regionFigures(this.database.db, regionId, new Date(`${from}T00:00:00+08:00`), new Date(Date.parse(`${to}T00:00:00+08:00`) + 86_400_000), now);
    const all = rows.find((r) => r.kind === 'all')!;
    return {
      regionId,
      from,
      to,
      held: Number(all.held),
      peopleCovered: Number(all.people),
      attendances: Number(all.attendances),
      minutes: Number(all.minutes),
      byKind: rows.filter((r) => r.kind !== 'all').map((r) => ({ kind: r.kind as Activity['kind'], held: Number(r.held), peopleCovered: Number(r.people), minutes: Number(r.minutes) })),
    };
  }

  /**
   * The reminder job: activities starting within REMINDER_MINUTES get one message to each enrolled
   * worker. Claimed with SKIP LOCKED and marked in the same transaction, so several processes never
   * remind twice.
   */
  async remindDue(): Promise<number> {
    const now = this.clock();
    return withTransaction(this.database.db, async (tx) => {
      const { rows } = await sql<{ id: string; title: string; starts_at: Date }>`
        update activities set reminded_at = ${now}
        where id in (
          select id from activities
          where status = 'published' and reminded_at is null and starts_at > ${now} and starts_at <= ${new Date(now.getTime() + REMINDER_MINUTES * MINUTE)}
          order by starts_at limit 50 for update skip locked
        )
        returning id, title, starts_at`.execute(tx);
      if (rows.length === 0) return 0;
      const people = await tx.selectFrom('activity_signups').select(['activity_id', 'worker_id']).where('activity_id', 'in', rows.map((r) => r.id)).where('status', '=', 'enrolled').execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      await deliver(
        tx,
        people.map((p) => {
          const a = byId.get(p.activity_id)!;
          return { userId: p.worker_id, topic: 'activity', title: `活动提醒：${a.title}`, body: `活动将于${cstWhen(new Date(a.starts_at))}开始，请准时到场签到。`, link: `/activities/${a.id}` };
        }),
      );
      return rows.length;
    });
  }
}
