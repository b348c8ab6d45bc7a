import { sql } from 'kysely';
import type { Db } from '../../db/client.ts';

/** SQL only: rewards and vouchers as the screens show them. */

export function rewardQuery(db: Db) {
  return db.selectFrom('rewards as r').innerJoin('partners as p', 'p.id', 'r.partner_id').selectAll('r').select('p.name as partner_name');
}
export type RewardRow = NonNullable<Awaited<ReturnType<ReturnType<typeof rewardQuery>['executeTakeFirst']>>>;

export function findReward(db: Db, id: string) {
  return rewardQuery(db).where('r.id', '=', id).executeTakeFirst();
}

/** A reward with the redemption days that apply where the worker lives (the nearest region with settings). */
export function findRewardForRedemption(db: Db, id: string, workerRegionId: string) {
  return rewardQuery(db)
    .select(
      sql<number[] | null>`(select redemption_days from points_settings where ${workerRegionId} like region_id || '%' order by length(region_id) desc limit 1)`.as('redemption_days'),
    )
    .where('r.id', '=', id)
    .executeTakeFirst();
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
