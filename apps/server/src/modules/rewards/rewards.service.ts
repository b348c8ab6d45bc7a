import { randomInt } from 'node:crypto';
import { ERRORS, VOUCHER_MINUTES, maskName, type ErrorCode, type Reward, type Voucher } from '@nuanxin/shared';
import type { rewardInput } from '@nuanxin/shared';
import type { z } from 'zod';
import { withTransaction, type Database, type Db } from '../../db/client.ts';
import { requireScope } from '../../common/access.ts';
import { audit } from '../../common/audit.ts';
import { AppError } from '../../common/errors.ts';
import type { RateWindow } from '../../common/rate-limit.ts';
import type { Actor, RequestContext } from '../../common/context.ts';
import { dayOfMonthCst, todayCst } from '../../common/time.ts';
import type { PointsService } from '../points/points.service.ts';
import { deliver } from '../notices/inbox.ts';
import * as repo from './rewards.repository.ts';

// No 0/O, 1/I: a code read aloud or typed at a counter must not be ambiguous.
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
function voucherCode(): string {
  return Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
}

export function toReward(row: repo.RewardRow): Reward {
  return {
    id: row.id,
    regionId: row.region_id,
    partnerId: row.partner_id,
    partnerName: row.partner_name,
    name: row.name,
    description: row.description,
    kind: row.kind,
    pointsPrice: row.points_price,
    stock: row.stock,
    perPersonLimit: row.per_person_limit,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    places: row.places,
    status: row.status,
  };
}

function toVoucher(row: repo.VoucherRow): Voucher {
  return {
    id: row.id,
    code: row.code,
    rewardId: row.reward_id,
    rewardName: row.reward_name,
    partnerName: row.partner_name,
    places: row.places,
    points: row.points,
    status: row.status,
    expiresAt: row.expires_at.toISOString(),
    createdAt: row.created_at.toISOString(),
    fulfilledAt: row.fulfilled_at?.toISOString() ?? null,
    workerName: maskName(row.worker_name),
  };
}

const findVoucher = (db: Db, id: string) => repo.voucherQuery(db).where('v.id', '=', id).executeTakeFirst();

/** Rewards (积分兑换): partners offer, staff publish, workers redeem, partners fulfil. */
export class RewardsService {
  constructor(
    private readonly database: Database,
    private readonly points: PointsService,
  ) {}

  async catalogue(actor: Actor, filter: { q?: string | undefined }, page: { page: number; pageSize: number }) {
    // Everything published in the caller's district, as workers ride across streets.
    const [rows, total] = await repo.listRewards(this.database.db, { status: 'published', q: filter.q, visibleFrom: actor.regionId.slice(0, 6) }, page);
    return { items: rows.map(toReward), total: Number(total.n), ...page };
  }

  async manage(actor: Actor, filter: { status?: string | undefined; q?: string | undefined }, page: { page: number; pageSize: number }) {
    const own = actor.role === 'partner_staff' ? { partnerId: actor.partnerId! } : { scope: actor.scopeId };
    const [rows, total] = await repo.listRewards(this.database.db, { ...filter, ...own }, page);
    return { items: rows.map(toReward), total: Number(total.n), ...page };
  }

  async save(actor: Actor, ctx: RequestContext, id: string | null, input: z.output<typeof rewardInput>): Promise<Reward> {
    return withTransaction(this.database.db, async (tx) => {
      const partner = await tx.selectFrom('partners').select(['id', 'region_id', 'status']).where('id', '=', actor.partnerId!).executeTakeFirstOrThrow();
      const values = {
        name: input.name,
        description: input.description,
        kind: input.kind,
        points_price: input.pointsPrice,
        stock: input.stock,
        per_person_limit: input.perPersonLimit,
        valid_from: input.validFrom,
        valid_to: input.validTo,
        places: input.places,
        // Any change is reviewed again before workers see it.
        status: 'pending' as const,
      };
      let rewardId = id;
      if (id) {
        const before = await tx.selectFrom('rewards').select(['partner_id']).where('id', '=', id).forUpdate().executeTakeFirst();
        if (!before) throw new AppError('NOT_FOUND');
        if (before.partner_id !== partner.id) throw new AppError('FORBIDDEN');
        await tx.updateTable('rewards').set({ ...values, updated_at: new Date() }).where('id', '=', id).execute();
      } else {
        rewardId = (await tx.insertInto('rewards').values({ ...values, partner_id: partner.id, region_id: partner.region_id }).returning('id').executeTakeFirstOrThrow()).id;
      }
      await audit(tx, actor, ctx, { action: id ? 'reward.update' : 'reward.create', entity: 'reward', entityId: rewardId, regionId: partner.region_id, detail: { name: input.name, pointsPrice: input.pointsPrice, stock: input.stock } });
      return toReward((await repo.findReward(tx, rewardId!))!);
    });
  }

  async review(actor: Actor, ctx: RequestContext, id: string, decision: 'publish' | 'reject' | 'withdraw'): Promise<Reward> {
    return withTransaction(this.database.db, async (tx) => {
      const reward = await tx.selectFrom('rewards').select(['id', 'region_id', 'status']).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!reward) throw new AppError('NOT_FOUND');
      requireScope(actor, reward.region_id);
      const allowed = { publish: ['pending', 'withdrawn'], reject: ['pending'], withdraw: ['published'] }[decision];
      if (!allowed.includes(reward.status)) throw new AppError('INVALID_STATE');
      const status = { publish: 'published', reject: 'rejected', withdraw: 'withdrawn' }[decision] as 'published';
      await tx.updateTable('rewards').set({ status, updated_at: new Date() }).where('id', '=', id).execute();
      await audit(tx, actor, ctx, { action: `reward.${decision}`, entity: 'reward', entityId: id, regionId: reward.region_id, detail: { from: reward.status, to: status } });
      return toReward((await repo.findReward(tx, id))!);
    });
  }

  /**
   * Redeems: stock reserved, points held, voucher issued, all in one statement; any refusal leaves
   * all three untouched. The Idempotency-Key makes a retry return the same voucher. `rateLimit`:
   * the caller's limit, counted in that same statement before anything else (a request refused by
   * it writes nothing else; a request refused for another reason still counts).
   */
  async redeem(actor: Actor, rewardId: string, idempotencyKey: string, rateLimit: RateWindow | null = null): Promise<Voucher> {
    const db = this.database.db;
    const now = new Date();
    const expiresAt = new Date(now.getTime() + VOUCHER_MINUTES * 60_000);
    const code = voucherCode();
    const outcome = await repo.redeem(db, {
      workerId: actor.userId,
      workerRegionId: actor.regionId,
      rewardId,
      idempotencyKey,
      code,
      expiresAt,
      today: todayCst(now),
      dayOfMonth: dayOfMonthCst(now),
      rateLimit,
    });
    if (outcome.refusal) throw refusalOf(outcome, rateLimit);
    if (outcome.replayed) return toVoucher((await findVoucher(db, outcome.voucher_id!))!);
    return {
      id: outcome.voucher_id!,
      code,
      rewardId,
      rewardName: outcome.reward_name!,
      partnerName: outcome.partner_name!,
      places: outcome.places!,
      points: outcome.points!,
      status: 'held',
      expiresAt: expiresAt.toISOString(),
      createdAt: outcome.voucher_created_at!.toISOString(),
      fulfilledAt: null,
      workerName: maskName(outcome.worker_name!),
    };
  }

  async myVouchers(actor: Actor, page: { page: number; pageSize: number }) {
    const db = this.database.db;
    const [rows, total] = await Promise.all([
      repo.voucherQuery(db).where('v.worker_id', '=', actor.userId).orderBy('v.created_at', 'desc').limit(page.pageSize).offset((page.page - 1) * page.pageSize).execute(),
      db.selectFrom('vouchers').select((eb) => eb.fn.countAll<number>().as('n')).where('worker_id', '=', actor.userId).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(toVoucher), total: Number(total.n), ...page };
  }

  /** One of the worker's own vouchers; anyone else's is simply not found. */
  async voucher(actor: Actor, id: string): Promise<Voucher> {
    const row = await repo.voucherQuery(this.database.db).where('v.id', '=', id).where('v.worker_id', '=', actor.userId).executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND');
    return toVoucher(row);
  }

  /** Gives back points and stock of a held voucher (the worker cancels, or it timed out). */
  private async release(tx: Db, voucherId: string, status: 'cancelled' | 'expired') {
    const voucher = await tx.selectFrom('vouchers').selectAll().where('id', '=', voucherId).forUpdate().executeTakeFirstOrThrow();
    if (voucher.status !== 'held') throw new AppError('INVALID_STATE');
    await this.points.settle(tx, voucher.hold_id, { void: true }, status === 'cancelled' ? '取消兑换，积分退回' : '兑换超时，积分退回');
    await tx.updateTable('rewards').set((eb) => ({ stock: eb('stock', '+', 1) })).where('id', '=', voucher.reward_id).execute();
    await tx.updateTable('vouchers').set({ status }).where('id', '=', voucherId).execute();
    if (status === 'expired') await deliverVoucher(tx, voucher, 'expired', '兑换券已过期，积分已退回');
  }

  /** Cancels every voucher a worker still holds (account deletion): points and stock go back. */
  async releaseAllHeld(tx: Db, workerId: string): Promise<number> {
    const held = await tx.selectFrom('vouchers').select('id').where('worker_id', '=', workerId).where('status', '=', 'held').execute();
    for (const { id } of held) await this.release(tx, id, 'cancelled');
    return held.length;
  }

  async cancel(actor: Actor, voucherId: string): Promise<Voucher> {
    return withTransaction(this.database.db, async (tx) => {
      const voucher = await tx.selectFrom('vouchers').select(['worker_id', 'status']).where('id', '=', voucherId).executeTakeFirst();
      if (!voucher || voucher.worker_id !== actor.userId) throw new AppError('NOT_FOUND');
      await this.release(tx, voucherId, 'cancelled');
      return toVoucher((await findVoucher(tx, voucherId))!);
    });
  }

  /** 核销: the partner's staff scan or type the code; the held points go to the partner. */
  async fulfil(actor: Actor, ctx: RequestContext, code: string): Promise<Voucher> {
    return withTransaction(this.database.db, async (tx) => {
      const voucher = await tx.selectFrom('vouchers').selectAll().where('code', '=', code).forUpdate().executeTakeFirst();
      if (!voucher) throw new AppError('VOUCHER_NOT_FOUND');
      if (voucher.partner_id !== actor.partnerId) throw new AppError('NOT_YOUR_VOUCHER');
      if (voucher.status === 'fulfilled') throw new AppError('VOUCHER_USED');
      if (voucher.status !== 'held' || voucher.expires_at < new Date()) throw new AppError('VOUCHER_EXPIRED');
      const partner = await tx.selectFrom('partners').select(['id', 'region_id']).where('id', '=', voucher.partner_id).executeTakeFirstOrThrow();
      await this.points.settle(tx, voucher.hold_id, { post: { partnerId: partner.id, regionId: partner.region_id } }, '兑换核销');
      await tx.updateTable('vouchers').set({ status: 'fulfilled', fulfilled_at: new Date(), fulfilled_by: actor.userId }).where('id', '=', voucher.id).execute();
      await deliverVoucher(tx, voucher, 'fulfilled', `兑换券已核销，使用 ${voucher.points} 积分`);
      await audit(tx, actor, ctx, { action: 'voucher.fulfil', entity: 'voucher', entityId: voucher.id, regionId: partner.region_id, detail: { code, points: voucher.points } });
      return toVoucher((await findVoucher(tx, voucher.id))!);
    });
  }

  /** Held vouchers past their 30 minutes: points and stock go back. Safe with several processes. */
  async expireHeld(now = new Date(), limit = 200): Promise<number> {
    const due = await this.database.db.selectFrom('vouchers').select('id').where('status', '=', 'held').where('expires_at', '<=', now).limit(limit).execute();
    let expired = 0;
    for (const { id } of due) {
      expired += await withTransaction(this.database.db, async (tx) => {
        const row = await tx.selectFrom('vouchers').select('status').where('id', '=', id).forUpdate().skipLocked().executeTakeFirst();
        if (row?.status !== 'held') return 0;
        await this.release(tx, id, 'expired');
        return 1;
      });
    }
    return expired;
  }

  async settlement(actor: Actor, query: { from: string; to: string; partnerId?: string | undefined }) {
    if (query.to < query.from) throw new AppError('VALIDATION_FAILED', { fields: [{ in: 'querystring', path: 'to', message: 'before from' }] });
    let q = repo.voucherQuery(this.database.db).where('v.status', '=', 'fulfilled');
    // Calendar days in China: [from 00:00, to+1 00:00) at UTC+8.
    q = q.where('v.fulfilled_at', '>=', new Date(`${query.from}T00:00:00+08:00`)).where('v.fulfilled_at', '<', new Date(new Date(`${query.to}T00:00:00+08:00`).getTime() + 86_400_000));
    if (actor.role === 'partner_staff') q = q.where('v.partner_id', '=', actor.partnerId!);
    else {
      q = q.where('p.region_id', 'like', `${actor.scopeId}%`);
      if (query.partnerId) q = q.where('v.partner_id', '=', query.partnerId);
    }
    const rows = await q.orderBy('v.fulfilled_at').limit(10_000).execute();
    return {
      from: query.from,
      to: query.to,
      items: rows.map((r) => ({
        voucherId: r.id,
        code: r.code,
        partnerName: r.partner_name,
        rewardName: r.reward_name,
        points: r.points,
        fulfilledAt: r.fulfilled_at!.toISOString(),
        fulfilledBy: r.fulfilled_by_name,
        workerName: maskName(r.worker_name),
      })),
      totalVouchers: rows.length,
      totalPoints: rows.reduce((sum, r) => sum + r.points, 0),
    };
  }
}

/** A refusal `redeem_request` returned, as the error the API answers with. */
function refusalOf(outcome: repo.RedeemOutcome, rateLimit: RateWindow | null): AppError {
  const code = outcome.refusal!;
  if (!(code in ERRORS)) throw new Error(`redeem_request refused with an unknown code: ${code}`);
  if (code === 'TOO_MANY_REQUESTS') return new AppError('TOO_MANY_REQUESTS', { seconds: rateLimit!.seconds });
  return new AppError(code as ErrorCode, outcome.refusal_details ?? undefined);
}

/** The worker's message (topic voucher) when their voucher is fulfilled (核销) or expires. */
function deliverVoucher(tx: Db, voucher: { id: string; worker_id: string }, event: 'fulfilled' | 'expired', title: string) {
  return deliver(tx, { userId: voucher.worker_id, topic: 'voucher', title, body: '', subject: { kind: 'voucher', id: voucher.id }, link: `/vouchers/${voucher.id}`, key: `voucher:${voucher.id}:${event}` });
}
