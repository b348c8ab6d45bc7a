import { sql } from 'kysely';
import type { Db } from '../../db/client.ts';
import type { PointCategory } from '@nuanxin/shared';
import { refusals } from './ledger.ts';

/** SQL only: the reads behind the points screens. */

export function findRule(db: Db, id: string) {
  return db.selectFrom('points_rules as r').innerJoin('regions as g', 'g.id', 'r.region_id').selectAll('r').select('g.name as region_name').where('r.id', '=', id).executeTakeFirst();
}
export type RuleRow = NonNullable<Awaited<ReturnType<typeof findRule>>>;

/**
 * The active earning rule whose name contains `word` nearest to the worker's region (a community's
 * own rule before its street's). Automatic awards (check-ins, attended sessions) find theirs this
 * way, so a street admin switches one on by naming a rule, and off by pausing it.
 */
export function ruleNamed(db: Db, regionId: string, word: string, category?: PointCategory): Promise<RuleRow | undefined> {
  let query = db
    .selectFrom('points_rules as r')
    .innerJoin('regions as g', 'g.id', 'r.region_id')
    .selectAll('r')
    .select('g.name as region_name')
    .where('r.kind', '=', 'earn')
    .where('r.status', '=', 'active')
    .where('r.name', 'like', `%${word}%`)
    .where((eb) => eb(sql.val(regionId), 'like', sql<string>`r.region_id || '%'`));
  if (category) query = query.where('r.category', '=', category);
  return query.orderBy(sql`length(r.region_id)`, 'desc').limit(1).executeTakeFirst();
}

/** Rules that apply at a region: its own, its ancestors' (a street's rules reach its communities) and, for staff, its descendants'. */
export function listRules(db: Db, regionId: string, options: { includeDescendants: boolean; includeInactive: boolean }) {
  let query = db
    .selectFrom('points_rules as r')
    .innerJoin('regions as g', 'g.id', 'r.region_id')
    .selectAll('r')
    .select('g.name as region_name')
    .where((eb) => {
      const ancestors = eb(sql.val(regionId), 'like', sql<string>`r.region_id || '%'`);
      return options.includeDescendants ? eb.or([ancestors, eb('r.region_id', 'like', `${regionId}%`)]) : ancestors;
    });
  if (!options.includeInactive) query = query.where('r.status', '=', 'active');
  return query.orderBy('r.region_id').orderBy('r.category').orderBy('r.name').execute();
}

export async function settingsFor(db: Db, regionId: string) {
  // The nearest region with settings: the street's own, else the district's, else the defaults.
  const rows = await db
    .selectFrom('points_settings')
    .selectAll()
    .where((eb) => eb(sql.val(regionId), 'like', sql<string>`region_id || '%'`))
    .orderBy(sql`length(region_id)`, 'desc')
    .limit(1)
    .execute();
  return rows[0] ?? { region_id: regionId, redemption_days: [] as number[], expiry_years: 1 };
}

export function history(db: Db, accountId: string, page: { page: number; pageSize: number }) {
  const base = db.selectFrom('points_entries as e').where('e.account_id', '=', accountId);
  return Promise.all([
    base
      .innerJoin('points_transfers as t', 't.id', 'e.transfer_id')
      .select(['e.id', 'e.transfer_id', 'e.amount', 'e.balance_after', 'e.created_at', 't.kind', 't.reason'])
      .orderBy('e.id', 'desc')
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
}

export async function nextExpiring(db: Db, accountId: string) {
  return db
    .selectFrom('points_lots')
    .select(['expires_at', (eb) => eb.fn.sum<number>('remaining').as('amount')])
    .where('account_id', '=', accountId)
    .where('remaining', '>', 0)
    .groupBy('expires_at')
    .orderBy('expires_at')
    .limit(1)
    .executeTakeFirst();
}

/** Earnings of a community's workers in a period; workers who opted out of boards are left out. */
function publicEarnings(db: Db, communityId: string, from: Date, to: Date) {
  return db
    .selectFrom('points_transfers as t')
    .innerJoin('points_accounts as a', 'a.id', 't.to_account')
    .innerJoin('users as u', (join) => join.on(sql`u.id::text`, '=', sql.ref('a.owner_id')))
    .where('a.kind', '=', 'worker')
    .where('a.public', '=', true)
    .where('t.kind', '=', 'earn')
    .where('u.region_id', '=', communityId)
    .where('t.created_at', '>=', from)
    .where('t.created_at', '<', to);
}

/** Points earned per worker, biggest first: the monthly leaderboard. */
export function ranking(db: Db, communityId: string, from: Date, to: Date, limit: number) {
  return publicEarnings(db, communityId, from, to)
    .select(['a.owner_id', 'u.name', (eb) => eb.fn.sum<number>('t.amount').as('points')])
    .groupBy(['a.owner_id', 'u.name'])
    .orderBy('points', 'desc')
    .orderBy('a.owner_id')
    .limit(limit)
    .execute();
}

/** What was awarded and why: the public board. */
export function awards(db: Db, communityId: string, from: Date, to: Date) {
  return publicEarnings(db, communityId, from, to).select(['u.name', 't.reason', 't.amount', 't.created_at']).orderBy('t.created_at', 'desc').limit(500).execute();
}

export function findClaim(db: Db, id: string) {
  return db
    .selectFrom('points_claims as c')
    .innerJoin('points_rules as r', 'r.id', 'c.rule_id')
    .innerJoin('users as u', 'u.id', 'c.worker_id')
    .selectAll('c')
    .select(['r.name as rule_name', 'r.category', 'r.points', 'u.name as worker_name'])
    .where('c.id', '=', id)
    .executeTakeFirst();
}
export type ClaimRow = NonNullable<Awaited<ReturnType<typeof findClaim>>>;

export function listClaims(db: Db, filter: { scope?: string; workerId?: string; status?: string }, page: { page: number; pageSize: number }) {
  let base = db.selectFrom('points_claims as c');
  if (filter.scope) base = base.where('c.region_id', 'like', `${filter.scope}%`);
  if (filter.workerId) base = base.where('c.worker_id', '=', filter.workerId);
  if (filter.status) base = base.where('c.status', '=', filter.status as 'pending');
  return Promise.all([
    base
      .innerJoin('points_rules as r', 'r.id', 'c.rule_id')
      .innerJoin('users as u', 'u.id', 'c.worker_id')
      .selectAll('c')
      .select(['r.name as rule_name', 'r.category', 'r.points', 'u.name as worker_name'])
      .orderBy('c.created_at', 'desc')
      .orderBy('c.id')
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
}

/**
 * Workers' side of every transfer in a region subtree, newest first. Walks transfers by
 * (region_id, created_at) — the "C" collation lets the prefix use that index — and keeps the
 * entry on the worker's account, so escrow-to-partner postings do not appear.
 */
export function ledgerEntries(db: Db, filter: { scope: string; phone?: string; kind?: string }, page: { page: number; pageSize: number }) {
  let base = db
    .selectFrom('points_transfers as t')
    .innerJoin('points_entries as e', 'e.transfer_id', 't.id')
    .innerJoin('points_accounts as a', (join) => join.onRef('a.id', '=', 'e.account_id').on('a.kind', '=', 'worker'))
    .innerJoin('users as u', (join) => join.on((eb) => eb(eb.cast('u.id', 'text'), '=', eb.ref('a.owner_id'))))
    .where('t.region_id', 'like', `${filter.scope}%`);
  if (filter.phone) base = base.where('u.phone', '=', filter.phone);
  if (filter.kind) base = base.where('t.kind', '=', filter.kind as never);
  return Promise.all([
    base
      .select(['e.id', 'e.transfer_id', 'e.amount', 'e.balance_after', 't.created_at', 't.kind', 't.reason', 't.region_id', 'u.name', 'u.phone'])
      .select((eb) => eb.exists(eb.selectFrom('points_transfers as r').select('r.id').whereRef('r.reverses_id', '=', 't.id')).as('reversed'))
      .orderBy('t.created_at', 'desc')
      .orderBy('e.id', 'desc')
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
}

/** What `points_award` (0005_points_speed.sql) needs: the rule's own fields it reads itself. */
export interface AwardCall {
  userId: string;
  regionId: string;
  ruleId: string;
  points: number;
  /** Checked by the caller, refused by the function only after a replay had its chance. */
  inForce: boolean;
  sourceType: string;
  sourceId: string;
  reason: string;
  actorId: string | null;
  now: Date;
  dayStart: Date;
  monthStart: Date;
  suspensionSince: Date;
  suspendUntil: Date;
}

export interface AwardRow {
  transfer_id: string | null;
  signed_amount: number;
  balance_after: number;
}

const awardCall = (a: AwardCall) =>
  sql`points_award(${a.userId}, ${a.regionId}, ${a.ruleId}, ${a.points}, ${a.inForce}, ${a.sourceType}, ${a.sourceId}, ${a.reason}, ${a.actorId},
    ${a.now}, ${a.dayStart}, ${a.monthStart}, ${a.suspensionSince}, ${a.suspendUntil})`;

/** One award in the caller's transaction: one round trip. */
export async function award(db: Db, call: AwardCall): Promise<AwardRow> {
  const { rows } = await refusals(sql<AwardRow>`select * from ${awardCall(call)}`.execute(db));
  return rows[0]!;
}

export interface AwardAudit {
  actorId: string;
  action: string;
  entityId: string;
  regionId: string;
  /** The audit detail; the amount actually moved is added to it. */
  detail: Record<string, unknown>;
  ip: string;
  requestId: string;
}

/**
 * An award and its audit row (the columns `audit()` writes) as one statement: it commits on its
 * own, so a staff award costs one round trip instead of a transaction's worth.
 */
export async function awardWithAudit(db: Db, call: AwardCall, entry: AwardAudit): Promise<AwardRow> {
  const { rows } = await refusals(
    sql<AwardRow>`
      with awarded as (select * from ${awardCall(call)}),
      logged as (
        insert into audit_log (region_id, actor_id, action, entity, entity_id, detail, ip, request_id)
        select ${entry.regionId}, ${entry.actorId}::uuid, ${entry.action}, 'user', ${entry.entityId}, ${JSON.stringify(entry.detail)}::jsonb || jsonb_build_object('amount', awarded.signed_amount), ${entry.ip}, ${entry.requestId}
        from awarded
      )
      select * from awarded`.execute(db),
  );
  return rows[0]!;
}
