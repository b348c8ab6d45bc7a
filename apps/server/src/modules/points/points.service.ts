import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { maskName, maskPhone, type LedgerEntry, type Photo, type PointClaim, type PointRule } from '@nuanxin/shared';
import type { z } from 'zod';
import type { claimRequest, pointsSettingsRequest, ruleInput } from '@nuanxin/shared';
import { withTransaction, type Database, type Db } from '../../db/client.ts';
import { requireScope } from '../../common/access.ts';
import { audit } from '../../common/audit.ts';
import { AppError } from '../../common/errors.ts';
import type { Actor, RequestContext } from '../../common/context.ts';
import { monthRange, quarterRange, startOfDay, startOfMonth, todayCst } from '../../common/time.ts';
import { findRegion } from '../identity/identity.repository.ts';
import * as ledger from './ledger.ts';
import * as repo from './points.repository.ts';
import { awardBatch } from './batch-award.ts';
import type { MediaService } from '../media/media.service.ts';

type RuleInput = z.output<typeof ruleInput>;

const SUSPENSION_WINDOW_DAYS = 90;
const SUSPENSION_DAYS = 30;

export function toRule(row: repo.RuleRow): PointRule {
  return {
    id: row.id,
    regionId: row.region_id,
    regionName: row.region_name,
    category: row.category,
    name: row.name,
    description: row.description,
    kind: row.kind,
    points: row.points,
    dailyCap: row.daily_cap,
    monthlyCap: row.monthly_cap,
    needsApproval: row.needs_approval,
    claimable: row.claimable,
    suspendAfter: row.suspend_after,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    status: row.status,
  };
}

function toClaim(row: repo.ClaimRow, photos: Photo[]): PointClaim {
  return {
    id: row.id,
    regionId: row.region_id,
    workerId: row.worker_id,
    workerName: row.worker_name,
    ruleId: row.rule_id,
    ruleName: row.rule_name,
    category: row.category,
    points: row.points,
    note: row.note,
    occurredOn: row.occurred_on,
    status: row.status,
    reviewNote: row.review_note,
    photos,
    createdAt: row.created_at.toISOString(),
    reviewedAt: row.reviewed_at?.toISOString() ?? null,
  };
}

/** A worker the points go to: their id and home region. */
export interface Earner {
  userId: string;
  regionId: string;
}

export interface AwardInput {
  worker: Earner;
  rule: repo.RuleRow;
  /** What earned it (`case`, `attendance`, `claim`, `manual` …) and which one: one award per source. */
  sourceType: string;
  sourceId: string;
  reason?: string;
  actorId?: string | null;
  /** Difficulty: the rule's points are scaled by it (rounded to whole points). */
  multiplier?: number;
}

function ruleInForce(rule: repo.RuleRow, today: string): boolean {
  return rule.status === 'active' && (!rule.valid_from || rule.valid_from <= today) && (!rule.valid_to || rule.valid_to >= today);
}

/** The arguments of `points_award` for an award, with the server's clock and suspension rules. */
function awardCall(input: AwardInput, now = new Date()): repo.AwardCall {
  const { worker, rule } = input;
  return {
    userId: worker.userId,
    regionId: worker.regionId,
    ruleId: rule.id,
    points: Math.max(1, Math.round(rule.points * (input.multiplier ?? 1))),
    inForce: ruleInForce(rule, todayCst(now)),
    sourceType: input.sourceType,
    sourceId: input.sourceId,
    reason: input.reason ?? rule.name,
    actorId: input.actorId ?? null,
    now,
    dayStart: startOfDay(now),
    monthStart: startOfMonth(now),
    suspensionSince: new Date(now.getTime() - SUSPENSION_WINDOW_DAYS * 86_400_000),
    suspendUntil: new Date(now.getTime() + SUSPENSION_DAYS * 86_400_000),
  };
}

function fromAwardRow(row: repo.AwardRow) {
  return { transferId: row.transfer_id, amount: Number(row.signed_amount), balance: Number(row.balance_after) };
}

/** Points: one service every source earns through, plus the worker's and staff's views. */
export class PointsService {
  /** `media` is needed for claims (their proof photos); the demo seed awards points without it. */
  constructor(
    private readonly database: Database,
    private readonly media: MediaService | null = null,
  ) {}

  private toClaim(row: repo.ClaimRow): PointClaim {
    return toClaim(row, this.media!.links(row.photo_ids));
  }

  /**
   * Awards (or deducts) under a rule for one source. Safe to call again for the same source: the
   * second call returns the first result. Caps, validity and suspension are checked under the
   * worker's row lock, so concurrent awards cannot slip past a cap together. A deduction never takes
   * a balance below zero: it takes what is there, and still counts towards suspension.
   * All of it is one statement, `points_award` (0005_points_speed.sql).
   */
  async award(tx: Db, input: AwardInput): Promise<{ transferId: string | null; amount: number; balance: number }> {
    if (!input.worker.regionId.startsWith(input.rule.region_id)) throw new AppError('OUT_OF_SCOPE');
    return fromAwardRow(await repo.award(tx, awardCall(input)));
  }

  /**
   * Awards for a source whose own step must go ahead whatever the ledger says (a check-in, an
   * attended session, a case step): a refusal (cap, suspension, rule out of force) is rolled back to
   * a savepoint and returned as its code instead of failing the caller's transaction.
   */
  async awardOrSkip(tx: Db, input: AwardInput): Promise<{ transferId: string | null; amount: number } | { skipped: string }> {
    await sql`savepoint award_or_skip`.execute(tx);
    try {
      const result = await this.award(tx, input);
      await sql`release savepoint award_or_skip`.execute(tx);
      return result;
    } catch (err) {
      await sql`rollback to savepoint award_or_skip`.execute(tx);
      if (err instanceof AppError) return { skipped: err.code };
      throw err;
    }
  }

  // ---- staff: rules and settings ----

  async listRules(actor: Actor, regionId: string | undefined, includeInactive: boolean) {
    const at = regionId ?? actor.scopeId;
    if (regionId && actor.role !== 'worker') requireScopeOrAncestor(actor, regionId);
    const isWorker = actor.role === 'worker';
    const rows = await repo.listRules(this.database.db, isWorker ? actor.regionId : at, { includeDescendants: !isWorker, includeInactive: includeInactive && !isWorker });
    return rows.map(toRule);
  }

  async saveRule(actor: Actor, ctx: RequestContext, id: string | null, input: RuleInput): Promise<PointRule> {
    requireScope(actor, input.regionId);
    return withTransaction(this.database.db, async (tx) => {
      const region = await findRegion(tx, input.regionId);
      if (!region) throw new AppError('REGION_NOT_FOUND');
      if (region.level !== 'street' && region.level !== 'district') throw new AppError('VALIDATION_FAILED', { fields: [{ in: 'body', path: 'regionId', message: 'street or district' }] });
      const values = {
        region_id: input.regionId,
        category: input.category,
        name: input.name,
        description: input.description,
        kind: input.kind,
        points: input.points,
        daily_cap: input.dailyCap,
        monthly_cap: input.monthlyCap,
        needs_approval: input.needsApproval,
        claimable: input.claimable,
        suspend_after: input.kind === 'deduct' ? input.suspendAfter : null,
        valid_from: input.validFrom,
        valid_to: input.validTo,
        status: input.status,
      };
      let ruleId = id;
      if (id) {
        const before = await repo.findRule(tx, id);
        if (!before) throw new AppError('NOT_FOUND');
        requireScope(actor, before.region_id);
        await tx.updateTable('points_rules').set({ ...values, updated_at: new Date() }).where('id', '=', id).execute();
      } else {
        ruleId = (await tx.insertInto('points_rules').values(values).returning('id').executeTakeFirstOrThrow()).id;
      }
      await audit(tx, actor, ctx, { action: id ? 'points.rule.update' : 'points.rule.create', entity: 'points_rule', entityId: ruleId, regionId: input.regionId, detail: { ...values } });
      return toRule((await repo.findRule(tx, ruleId!))!);
    });
  }

  async settings(regionId: string) {
    const row = await repo.settingsFor(this.database.db, regionId);
    return { regionId, redemptionDays: row.redemption_days, expiryYears: row.expiry_years };
  }

  async saveSettings(actor: Actor, ctx: RequestContext, regionId: string, input: z.output<typeof pointsSettingsRequest>) {
    requireScope(actor, regionId);
    await withTransaction(this.database.db, async (tx) => {
      const region = await findRegion(tx, regionId);
      if (!region) throw new AppError('REGION_NOT_FOUND');
      const days = [...new Set(input.redemptionDays)].sort((a, b) => a - b);
      await tx
        .insertInto('points_settings')
        .values({ region_id: regionId, redemption_days: days, expiry_years: input.expiryYears })
        .onConflict((oc) => oc.column('region_id').doUpdateSet({ redemption_days: days, expiry_years: input.expiryYears, updated_at: new Date() }))
        .execute();
      await audit(tx, actor, ctx, { action: 'points.settings.update', entity: 'points_settings', entityId: regionId, regionId, detail: { redemptionDays: days, expiryYears: input.expiryYears } });
    });
    return this.settings(regionId);
  }

  // ---- staff: awards, claims, reversal ----

  async awardByStaff(actor: Actor, ctx: RequestContext, idempotencyKey: string, input: { workerId: string; ruleId: string; note: string; multiplier: number }) {
    const db = this.database.db;
    const [worker, rule] = await Promise.all([
      db.selectFrom('users').select(['id', 'region_id', 'role']).where('id', '=', input.workerId).executeTakeFirst(),
      repo.findRule(db, input.ruleId),
    ]);
    if (!worker || worker.role !== 'worker') throw new AppError('NOT_FOUND');
    requireScope(actor, worker.region_id);
    if (!rule) throw new AppError('NOT_FOUND');
    if (!worker.region_id.startsWith(rule.region_id)) throw new AppError('OUT_OF_SCOPE');
    const award: AwardInput = {
      worker: { userId: worker.id, regionId: worker.region_id },
      rule,
      sourceType: 'manual',
      sourceId: `${actor.userId}:${idempotencyKey}`,
      reason: `${rule.name}：${input.note}`,
      actorId: actor.userId,
      multiplier: input.multiplier,
    };
    // One statement, so no transaction around it: the award and its audit row commit together.
    const row = await repo.awardWithAudit(db, awardCall(award), {
      actorId: actor.userId,
      action: rule.kind === 'earn' ? 'points.award' : 'points.deduct',
      entityId: worker.id,
      regionId: worker.region_id,
      detail: { ruleId: rule.id, multiplier: input.multiplier, note: input.note },
      ip: ctx.ip,
      requestId: ctx.requestId,
    });
    return fromAwardRow(row);
  }

  /** One earning rule to many workers of the caller's region in one transaction (set-wise, see batch-award.ts). */
  async awardBatchByStaff(actor: Actor, ctx: RequestContext, idempotencyKey: string, input: { ruleId: string; note: string; multiplier: number; workerIds: string[] }) {
    return withTransaction(this.database.db, async (tx) => {
      const rule = await repo.findRule(tx, input.ruleId);
      if (!rule) throw new AppError('NOT_FOUND');
      if (rule.kind !== 'earn') throw new AppError('VALIDATION_FAILED', { fields: [{ in: 'body', path: 'ruleId', message: 'an earning rule' }] });
      if (!ruleInForce(rule, todayCst())) throw new AppError('RULE_INACTIVE');
      const workers = await tx.selectFrom('users').select(['id', 'region_id']).where('id', 'in', input.workerIds).where('role', '=', 'worker').execute();
      if (workers.length !== new Set(input.workerIds).size) throw new AppError('NOT_FOUND');
      for (const w of workers) {
        requireScope(actor, w.region_id);
        if (!w.region_id.startsWith(rule.region_id)) throw new AppError('OUT_OF_SCOPE');
      }
      const settings = await repo.settingsFor(tx, rule.region_id);
      const result = await awardBatch(tx, {
        rule,
        items: workers.map((w) => ({ userId: w.id, regionId: w.region_id, sourceId: `${actor.userId}:${idempotencyKey}:${w.id}` })),
        sourceType: 'manual',
        reason: `${rule.name}：${input.note}`,
        actorId: actor.userId,
        points: Math.max(1, Math.round(rule.points * input.multiplier)),
        expiryYears: settings.expiry_years,
      });
      await audit(tx, actor, ctx, {
        action: 'points.award_batch',
        entity: 'points_rule',
        entityId: rule.id,
        regionId: rule.region_id,
        detail: { note: input.note, multiplier: input.multiplier, awarded: result.awarded.length, refused: result.refused.length },
      });
      return {
        awarded: result.awarded.map((a) => ({ workerId: a.userId, transferId: a.transferId, amount: a.amount })),
        refused: result.refused.map((r) => ({ workerId: r.userId, code: r.code })),
      };
    });
  }

  async claim(actor: Actor, idempotencyKey: string, input: z.output<typeof claimRequest>): Promise<PointClaim> {
    return withTransaction(this.database.db, async (tx) => {
      const existing = await tx.selectFrom('points_claims').select(['id', 'rule_id', 'note', 'occurred_on', 'photo_ids']).where('worker_id', '=', actor.userId).where('client_key', '=', idempotencyKey).executeTakeFirst();
      if (existing) {
        const samePhotos = existing.photo_ids.join() === input.photoIds.join();
        if (existing.rule_id !== input.ruleId || existing.note !== input.note || existing.occurred_on !== input.occurredOn || !samePhotos) throw new AppError('IDEMPOTENCY_KEY_REUSED');
        return this.toClaim((await repo.findClaim(tx, existing.id))!);
      }
      const rule = await repo.findRule(tx, input.ruleId);
      if (!rule || !actor.regionId.startsWith(rule.region_id)) throw new AppError('NOT_FOUND');
      if (!rule.claimable || rule.kind !== 'earn') throw new AppError('RULE_NOT_CLAIMABLE');
      if (!ruleInForce(rule, todayCst())) throw new AppError('RULE_INACTIVE');
      if (input.occurredOn > todayCst()) throw new AppError('VALIDATION_FAILED', { fields: [{ in: 'body', path: 'occurredOn', message: 'in the future' }] });
      const { id } = await tx
        .insertInto('points_claims')
        .values({ region_id: actor.regionId, worker_id: actor.userId, rule_id: rule.id, client_key: idempotencyKey, note: input.note, occurred_on: input.occurredOn, photo_ids: input.photoIds })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.media!.attach(tx, actor.userId, input.photoIds, `claim:${id}`);
      if (!rule.needs_approval) await this.approve(tx, id, rule, { userId: actor.userId, regionId: actor.regionId }, null, '');
      return this.toClaim((await repo.findClaim(tx, id))!);
    });
  }

  private async approve(tx: Db, claimId: string, rule: repo.RuleRow, worker: Earner, reviewerId: string | null, note: string, multiplier = 1) {
    const result = await this.award(tx, { worker, rule, sourceType: 'claim', sourceId: claimId, reason: `${rule.name}（申报）`, actorId: reviewerId, multiplier });
    await tx
      .updateTable('points_claims')
      .set({ status: 'approved', reviewer_id: reviewerId, reviewed_at: new Date(), review_note: note || null, transfer_id: result.transferId })
      .where('id', '=', claimId)
      .execute();
  }

  async reviewClaim(actor: Actor, ctx: RequestContext, claimId: string, decision: 'approve' | 'reject', note: string, multiplier = 1): Promise<PointClaim> {
    return withTransaction(this.database.db, async (tx) => {
      const locked = await tx.selectFrom('points_claims').select(['id', 'status', 'region_id', 'worker_id', 'rule_id']).where('id', '=', claimId).forUpdate().executeTakeFirst();
      if (!locked) throw new AppError('NOT_FOUND');
      requireScope(actor, locked.region_id);
      if (locked.status !== 'pending') throw new AppError('INVALID_STATE');
      if (decision === 'approve') {
        const rule = (await repo.findRule(tx, locked.rule_id))!;
        await this.approve(tx, claimId, rule, { userId: locked.worker_id, regionId: locked.region_id }, actor.userId, note, multiplier);
      } else {
        await tx.updateTable('points_claims').set({ status: 'rejected', reviewer_id: actor.userId, reviewed_at: new Date(), review_note: note || null }).where('id', '=', claimId).execute();
      }
      await audit(tx, actor, ctx, { action: `points.claim.${decision}`, entity: 'points_claim', entityId: claimId, regionId: locked.region_id, detail: { note, multiplier } });
      return this.toClaim((await repo.findClaim(tx, claimId))!);
    });
  }

  async listClaims(actor: Actor, own: boolean, status: string | undefined, page: { page: number; pageSize: number }) {
    const filter = own ? { workerId: actor.userId, status } : { scope: actor.scopeId, status };
    const [rows, total] = await repo.listClaims(this.database.db, filter, page);
    return { items: rows.map((row) => this.toClaim(row)), total: Number(total.n), ...page };
  }

  /** The staff ledger: names and phones masked, so reading it is not a read of personal data. */
  async ledger(actor: Actor, query: { page: number; pageSize: number; phone?: string | undefined; kind?: string | undefined }): Promise<{ items: LedgerEntry[]; total: number; page: number; pageSize: number }> {
    const [rows, total] = await repo.ledgerEntries(this.database.db, { scope: actor.scopeId, phone: query.phone, kind: query.kind }, query);
    const items = rows.map((row) => ({
      id: String(row.id),
      transferId: row.transfer_id,
      at: row.created_at.toISOString(),
      amount: row.amount,
      balanceAfter: row.balance_after ?? 0,
      kind: row.kind,
      reason: row.reason,
      regionId: row.region_id,
      workerName: maskName(row.name),
      workerPhone: maskPhone(row.phone),
      reversed: Boolean(row.reversed),
      reversible: (row.kind === 'earn' || row.kind === 'deduct') && !row.reversed,
    }));
    return { items, total: Number(total.n), page: query.page, pageSize: query.pageSize };
  }

  /** A correction is a new transfer that points back; only unspent earnings and deductions reverse. */
  async reverse(actor: Actor, ctx: RequestContext, transferId: string, reason: string) {
    return withTransaction(this.database.db, async (tx) => {
      const original = await tx.selectFrom('points_transfers').selectAll().where('id', '=', transferId).executeTakeFirst();
      if (!original) throw new AppError('NOT_FOUND');
      requireScope(actor, original.region_id);
      if (original.kind !== 'earn' && original.kind !== 'deduct') throw new AppError('NOT_REVERSIBLE');
      if (await tx.selectFrom('points_transfers').select('id').where('reverses_id', '=', transferId).executeTakeFirst()) throw new AppError('ALREADY_REVERSED');
      const workerAccountId = original.kind === 'earn' ? original.to_account : original.from_account;
      const acct = await tx.selectFrom('points_accounts').selectAll().where('id', '=', workerAccountId).forUpdate().executeTakeFirstOrThrow();
      const other = await tx.selectFrom('points_accounts').select(['id', 'kind', 'region_id', 'balance']).where('id', '=', original.kind === 'earn' ? original.from_account : original.to_account).executeTakeFirstOrThrow();
      const worker = { id: acct.id, kind: acct.kind, region_id: acct.region_id, balance: acct.balance };
      const common = { key: `reverse:${transferId}`, kind: 'reverse' as const, amount: original.amount, reason: `冲正：${reason}`, regionId: original.region_id, reversesId: transferId, actorId: actor.userId, ruleId: original.rule_id };
      let balance: number;
      let reversal: ledger.TransferResult;
      if (original.kind === 'earn') {
        const lot = await tx.selectFrom('points_lots').select(['id', 'remaining', 'amount']).where('transfer_id', '=', transferId).forUpdate().executeTakeFirst();
        if (!lot || lot.remaining !== lot.amount) throw new AppError('NOT_REVERSIBLE');
        reversal = await ledger.transfer(tx, { ...common, from: worker, to: other });
        await tx.updateTable('points_lots').set({ remaining: 0 }).where('id', '=', lot.id).execute();
        await tx.insertInto('points_lot_uses').values({ transfer_id: reversal.id, lot_id: lot.id, amount: lot.amount }).execute();
        balance = acct.balance - original.amount;
      } else {
        reversal = await ledger.transfer(tx, { ...common, from: other, to: worker });
        const settings = await repo.settingsFor(tx, acct.region_id);
        await ledger.openLot(tx, acct.id, reversal.id, original.amount, settings.expiry_years);
        balance = acct.balance + original.amount;
      }
      await audit(tx, actor, ctx, { action: 'points.reverse', entity: 'points_transfer', entityId: transferId, regionId: original.region_id, detail: { reason, amount: original.amount } });
      return { transferId: reversal.id, amount: original.kind === 'earn' ? -original.amount : original.amount, balance };
    });
  }

  // ---- the worker's own views ----

  /** The worker's account if it exists: reading points never opens one. */
  private workerAccount(actor: Actor) {
    return this.database.db.selectFrom('points_accounts').selectAll().where('kind', '=', 'worker').where('owner_id', '=', actor.userId).executeTakeFirst();
  }

  async balance(actor: Actor) {
    const db = this.database.db;
    const row = await this.workerAccount(actor);
    if (!row) return { balance: 0, expiring: null, earnedThisMonth: 0, earningSuspendedUntil: null, public: true };
    const [expiring, earned] = await Promise.all([
      repo.nextExpiring(db, row.id),
      db
        .selectFrom('points_transfers')
        .select((eb) => eb.fn.sum<number>('amount').as('n'))
        .where('to_account', '=', row.id)
        .where('kind', '=', 'earn')
        .where('created_at', '>=', startOfMonth())
        .executeTakeFirstOrThrow(),
    ]);
    const suspended = row.earning_suspended_until && row.earning_suspended_until > new Date() ? row.earning_suspended_until.toISOString() : null;
    return {
      balance: row.balance,
      expiring: expiring ? { amount: Number(expiring.amount), at: expiring.expires_at.toISOString() } : null,
      earnedThisMonth: Number(earned.n ?? 0),
      earningSuspendedUntil: suspended,
      public: row.public,
    };
  }

  async history(actor: Actor, page: { page: number; pageSize: number }) {
    const acct = await this.workerAccount(actor);
    if (!acct) return { items: [], total: 0, ...page };
    const [rows, total] = await repo.history(this.database.db, acct.id, page);
    return {
      items: rows.map((r) => ({ id: String(r.id), transferId: r.transfer_id, at: r.created_at.toISOString(), amount: r.amount, balanceAfter: r.balance_after ?? 0, kind: r.kind, reason: r.reason })),
      total: Number(total.n),
      ...page,
    };
  }

  async setPublic(actor: Actor, visible: boolean) {
    const acct = await ledger.account(this.database.db, 'worker', actor.userId, actor.regionId);
    await this.database.db.updateTable('points_accounts').set({ public: visible }).where('id', '=', acct.id).execute();
    return this.balance(actor);
  }

  async leaderboard(actor: Actor, communityId: string, month?: string) {
    const range = monthRange(month);
    const rows = await repo.ranking(this.database.db, communityId, range.from, range.to, 50);
    return {
      communityId,
      month: range.label,
      items: rows.map((r, i) => ({ rank: i + 1, name: maskName(r.name), points: Number(r.points), me: r.owner_id === actor.userId })),
    };
  }

  async board(communityId: string, quarter?: string) {
    const range = quarterRange(quarter);
    const rows = await repo.awards(this.database.db, communityId, range.from, range.to);
    return { communityId, quarter: range.label, items: rows.map((r) => ({ name: maskName(r.name), reason: r.reason, points: r.amount, at: r.created_at.toISOString() })) };
  }

  // ---- holds, for redemption ----

  /** Phase one: points leave the worker for the district's escrow, taken from the earliest-expiring lots (`points_hold`). */
  async hold(tx: Db, input: { worker: Earner; amount: number; key: string; reason: string; expiresAt: Date }): Promise<string> {
    return ledger.hold(tx, { userId: input.worker.userId, regionId: input.worker.regionId, amount: input.amount, key: input.key, reason: input.reason, expiresAt: input.expiresAt });
  }

  /** Phase two: post to the partner (核销), or void back to the worker (cancel, timeout). */
  async settle(tx: Db, holdId: string, outcome: { post: { partnerId: string; regionId: string } } | { void: true }, reason: string) {
    const hold = await tx.selectFrom('points_holds').selectAll().where('id', '=', holdId).forUpdate().executeTakeFirstOrThrow();
    if (hold.status !== 'pending') throw new AppError('INVALID_STATE');
    const district = ledger.districtOf(hold.region_id);
    const escrow = await ledger.account(tx, 'escrow', district, district);
    let settled: ledger.TransferResult;
    if ('post' in outcome) {
      const partner = await ledger.account(tx, 'partner', outcome.post.partnerId, outcome.post.regionId);
      settled = await ledger.transfer(tx, { key: `post:${holdId}`, kind: 'post', from: escrow, to: partner, amount: hold.amount, reason, regionId: hold.region_id });
    } else {
      const worker = await tx.selectFrom('points_accounts').select(['id', 'kind', 'region_id', 'balance']).where('id', '=', hold.account_id).forUpdate().executeTakeFirstOrThrow();
      settled = await ledger.transfer(tx, { key: `void:${holdId}`, kind: 'void', from: escrow, to: worker, amount: hold.amount, reason, regionId: hold.region_id });
      await ledger.restoreLots(tx, hold.hold_transfer_id);
    }
    await tx.updateTable('points_holds').set({ status: 'post' in outcome ? 'posted' : 'voided', settled_transfer_id: settled.id }).where('id', '=', holdId).execute();
  }

  // ---- background: yearly expiry ----

  /**
   * Expires lots past their date as transfers to the district's expiry sink, one worker per short
   * transaction. Workers another process is handling are skipped (SKIP LOCKED) and picked up later.
   */
  async expireDueLots(now = new Date(), limit = 500): Promise<number> {
    const db = this.database.db;
    const due = await db.selectFrom('points_lots').select('account_id').distinct().where('remaining', '>', 0).where('expires_at', '<=', now).limit(limit).execute();
    let expired = 0;
    for (const { account_id } of due) {
      expired += await withTransaction(db, async (tx) => {
        const acct = await tx.selectFrom('points_accounts').selectAll().where('id', '=', account_id).forUpdate().skipLocked().executeTakeFirst();
        if (!acct) return 0;
        const lots = await tx.selectFrom('points_lots').select(['id', 'remaining']).where('account_id', '=', account_id).where('remaining', '>', 0).where('expires_at', '<=', now).forUpdate().execute();
        const district = ledger.districtOf(acct.region_id);
        const sink = await ledger.account(tx, 'expiry', district, district);
        let balance = acct.balance;
        for (const lot of lots) {
          const worker = { id: acct.id, kind: acct.kind, region_id: acct.region_id, balance };
          const result = await ledger.transfer(tx, { key: `expire:${lot.id}:${randomUUID()}`, kind: 'expire', from: worker, to: sink, amount: lot.remaining, reason: '积分到期', regionId: acct.region_id });
          await tx.updateTable('points_lots').set({ remaining: 0 }).where('id', '=', lot.id).execute();
          await tx.insertInto('points_lot_uses').values({ transfer_id: result.id, lot_id: lot.id, amount: lot.remaining }).execute();
          balance -= lot.remaining;
        }
        return lots.length;
      });
    }
    return expired;
  }
}

/** Staff may look at rules of their region, of regions inside it, or of the regions above it. */
function requireScopeOrAncestor(actor: Actor, regionId: string) {
  if (!regionId.startsWith(actor.scopeId) && !actor.scopeId.startsWith(regionId)) throw new AppError('OUT_OF_SCOPE');
}
