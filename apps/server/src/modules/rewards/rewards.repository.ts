import { sql } from 'kysely';
import type { Db } from '../../db/client.ts';
import { refusals } from '../points/ledger.ts';

/** SQL only: rewards and vouchers as the screens show them. */

export function rewardQuery(db: Db) {
  return db.selectFrom('rewards as r').innerJoin('partners as p', 'p.id', 'r.partner_id').selectAll('r').select('p.name as partner_name');
}
export type RewardRow = NonNullable<Awaited<ReturnType<ReturnType<typeof rewardQuery>['executeTakeFirst']>>>;

export function findReward(db: Db, id: string) {
  return rewardQuery(db).where('r.id', '=', id).executeTakeFirst();
}

/**
 * Everything a redemption looks at before it writes, in one read: the worker's name, the voucher
 * this Idempotency-Key already made (if any), the reward, and the redemption days that apply
 * where the worker lives (the nearest region with settings).
 */
export async function findRedemption(db: Db, input: { workerId: string; workerRegionId: string; rewardId: string; idempotencyKey: string }) {
  const row = await db
    .selectFrom('users as u')
    .leftJoin('vouchers as v', (join) => join.onRef('v.worker_id', '=', 'u.id').on('v.client_key', '=', input.idempotencyKey))
    .leftJoin('rewards as r', (join) => join.on('r.id', '=', input.rewardId))
    .leftJoin('partners as p', 'p.id', 'r.partner_id')
    .select(['u.name as worker_name', 'v.id as voucher_id', 'v.reward_id as voucher_reward_id'])
    .select(['r.id', 'r.region_id', 'r.partner_id', 'r.name', 'r.status', 'r.valid_from', 'r.valid_to', 'r.points_price', 'r.per_person_limit', 'r.places', 'p.name as partner_name'])
    .select(
      sql<number[] | null>`(select redemption_days from points_settings where ${input.workerRegionId} like region_id || '%' order by length(region_id) desc limit 1)`.as('redemption_days'),
    )
    .where('u.id', '=', input.workerId)
    .executeTakeFirstOrThrow();
  const { worker_name, voucher_id, voucher_reward_id, redemption_days, ...reward } = row;
  return {
    workerName: worker_name,
    earlier: voucher_id ? { id: voucher_id, rewardId: voucher_reward_id! } : null,
    // The reward's columns are all NOT NULL: with its id found, none of them is null.
    reward: reward.id ? { ...(reward as { [K in keyof typeof reward]: NonNullable<(typeof reward)[K]> }), valid_from: reward.valid_from, valid_to: reward.valid_to, redemption_days: redemption_days ?? [] } : null,
  };
}

export interface RedeemCall {
  workerId: string;
  workerRegionId: string;
  rewardId: string;
  partnerId: string;
  price: number;
  perPersonLimit: number;
  idempotencyKey: string;
  code: string;
  reason: string;
  expiresAt: Date;
}

/**
 * Points held, per-person limit, voucher and stock (`redeem_reward`, 0005_points_speed.sql) as one
 * statement: it commits on its own, and any refusal leaves all of them untouched.
 */
export async function redeem(db: Db, c: RedeemCall) {
  const { rows } = await refusals(
    sql<{ voucher_id: string; voucher_created_at: Date; replayed: boolean }>`
      select * from redeem_reward(${c.workerId}, ${c.workerRegionId}, ${c.rewardId}, ${c.partnerId}, ${c.price}, ${c.perPersonLimit}, ${c.idempotencyKey}, ${c.code}, ${c.reason}, ${c.expiresAt})`.execute(db),
  );
  return rows[0]!;
}

export interface RewardFilter {
  status?: string | undefined;
  q?: string | undefined;
  /** Staff: rewards inside this region. */
  scope?: string;
  /** Workers: rewards of the region tree they live in (their district). */
  visibleFrom?: string;
  partnerId?: string;
}

export function listRewards(db: Db, filter: RewardFilter, page: { page: number; pageSize: number }) {
  let base = db.selectFrom('rewards as r').innerJoin('partners as p', 'p.id', 'r.partner_id');
  if (filter.status) base = base.where('r.status', '=', filter.status as 'published');
  if (filter.scope) base = base.where('r.region_id', 'like', `${filter.scope}%`);
  if (filter.visibleFrom) base = base.where('r.region_id', 'like', `${filter.visibleFrom}%`);
  if (filter.partnerId) base = base.where('r.partner_id', '=', filter.partnerId);
  if (filter.q) base = base.where('r.name', 'like', `%${filter.q.replace(/[\\%_]/g, '\\$&')}%`);
  return Promise.all([
    base
      .selectAll('r')
      .select('p.name as partner_name')
      .orderBy('r.created_at', 'desc')
      .orderBy('r.id')
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
}

export function voucherQuery(db: Db) {
  return db
    .selectFrom('vouchers as v')
    .innerJoin('rewards as r', 'r.id', 'v.reward_id')
    .innerJoin('partners as p', 'p.id', 'v.partner_id')
    .innerJoin('users as w', 'w.id', 'v.worker_id')
    .leftJoin('users as f', 'f.id', 'v.fulfilled_by')
    .selectAll('v')
    .select(['r.name as reward_name', 'r.places', 'p.name as partner_name', 'w.name as worker_name', 'f.name as fulfilled_by_name']);
}
export type VoucherRow = NonNullable<Awaited<ReturnType<ReturnType<typeof voucherQuery>['executeTakeFirst']>>>;
