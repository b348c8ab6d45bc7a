import { sql } from 'kysely';
import type { Db } from '../../db/client.ts';
import type { RateWindow } from '../../common/rate-limit.ts';

/** SQL only: rewards and vouchers as the screens show them. */

export function rewardQuery(db: Db) {
  return db.selectFrom('rewards as r').innerJoin('partners as p', 'p.id', 'r.partner_id').selectAll('r').select('p.name as partner_name');
}
export type RewardRow = NonNullable<Awaited<ReturnType<ReturnType<typeof rewardQuery>['executeTakeFirst']>>>;

export function findReward(db: Db, id: string) {
  return rewardQuery(db).where('r.id', '=', id).executeTakeFirst();
}

export interface RedeemCall {
  workerId: string;
  workerRegionId: string;
  rewardId: string;
  idempotencyKey: string;
  code: string;
  expiresAt: Date;
  /** China-time calendar day and day of month: the reward's validity and the redemption days. */
  today: string;
  dayOfMonth: number;
  /** The caller's rate limit, counted in the same statement; null: not counted. */
  rateLimit: RateWindow | null;
}

export interface RedeemOutcome {
  /** An error code when refused (then nothing but the rate-limit hit was written). */
  refusal: string | null;
  refusal_details: Record<string, unknown> | null;
  voucher_id: string | null;
  voucher_created_at: Date | null;
  /** The Idempotency-Key had made a voucher already: `voucher_id` is that one, nothing new was written. */
  replayed: boolean | null;
  worker_name: string | null;
  reward_name: string | null;
  partner_name: string | null;
  places: string | null;
  points: number | null;
}

/**
 * The whole redemption request (`redeem_request`, 0020_redeem_speed.sql) as one statement: the
 * rate-limit hit, the replay check, the reward's checks, then points held, per-person limit, stock
 * and voucher (`redeem_reward`, 0005_points_speed.sql). It commits on its own; a refusal leaves
 * everything but the hit untouched.
 */
export async function redeem(db: Db, c: RedeemCall): Promise<RedeemOutcome> {
  const rate = c.rateLimit;
  const { rows } = await sql<RedeemOutcome>`
    select * from redeem_request(${c.workerId}, ${c.workerRegionId}, ${c.rewardId}, ${c.idempotencyKey}, ${c.code}, ${c.expiresAt}, ${c.today}, ${c.dayOfMonth},
      ${rate?.bucket ?? null}, ${rate?.start ?? null}, ${rate?.maxHits ?? null})`.execute(db);
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
