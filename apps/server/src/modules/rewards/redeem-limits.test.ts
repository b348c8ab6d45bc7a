import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, createTestApp, type TestApp } from '../../../test/harness.ts';
import { balanceOf, buildWorker, earn } from '../../../test/points-fixtures.ts';
import { LIMITS, RateLimiter } from '../../common/rate-limit.ts';
import { reconcile } from '../points/reconcile.ts';

/**
 * The redemption's rate limit is counted inside its one statement (`redeem_request`): it must
 * behave exactly as RateLimiter.take did in front of it, and a refused redemption must still undo
 * everything but the hit.
 */
describe.each(DB_KINDS)('redemption rate limit on %s', (kind) => {
  let t: TestApp;
  let partner: string;
  beforeAll(async () => {
    t = await createTestApp(kind, { rateLimitScale: 1 });
    partner = await t.loginStaff('barber');
  });
  afterAll(async () => t?.close());

  async function publishedReward(fields: { pointsPrice?: number; stock?: number; perPersonLimit?: number } = {}) {
    const created = await t.request('POST', '/api/v1/rewards', { token: partner, body: { name: `限流-${randomUUID().slice(0, 8)}`, kind: 'service', pointsPrice: 10, stock: 100, perPersonLimit: 100, ...fields } });
    await t.request('POST', `/api/v1/rewards/${created.json().id}/review`, { token: await t.loginStaff('sanhua'), body: { decision: 'publish' } });
    return created.json().id as string;
  }
  const redeem = (token: string, rewardId: string, key = randomUUID()) => t.request('POST', `/api/v1/rewards/${rewardId}/redeem`, { token, headers: { 'idempotency-key': key } });
  const hitsOf = async (userId: string) =>
    (await t.database.db.selectFrom('rate_counters').select('hits').where('bucket', '=', `redeem:${userId}`).orderBy('window_start', 'desc').executeTakeFirst())?.hits;

  it('counts every request (wins, replays, refusals) and refuses the 11th in a minute in words, writing nothing for it', async () => {
    // All eleven requests in one fixed window: start early in a minute.
    if (Date.now() % 60_000 > 45_000) await new Promise((r) => setTimeout(r, 60_500 - (Date.now() % 60_000)));
    const reward = await publishedReward();
    const other = await publishedReward();
    const worker = await t.newWorker('440114001001');
    const actor = { userId: worker.userId, sessionId: '', role: 'worker' as const, regionId: '440114001001', scopeId: '440114001001', departmentId: null, partnerId: null, stationId: null };
    await earn(t, actor, '参加暖新活动', 6); // 30 points: three redemptions at 10
    const first = randomUUID();
    const codes: unknown[] = [];
    for (const key of [first, randomUUID(), randomUUID()]) codes.push((await redeem(worker.token, reward, key)).statusCode);
    codes.push((await redeem(worker.token, reward, first)).statusCode); // a replay
    codes.push((await redeem(worker.token, reward)).json().error.code);
    codes.push((await redeem(worker.token, randomUUID())).json().error.code);
    codes.push((await redeem(worker.token, other, first)).json().error.code);
    for (let i = 0; i < 3; i++) codes.push((await redeem(worker.token, other)).json().error.code);
    expect(codes).toEqual([200, 200, 200, 200, 'INSUFFICIENT_POINTS', 'NOT_FOUND', 'IDEMPOTENCY_KEY_REUSED', 'INSUFFICIENT_POINTS', 'INSUFFICIENT_POINTS', 'INSUFFICIENT_POINTS']);
    expect(await hitsOf(worker.userId)).toBe(LIMITS.redeemPerUser.hits);

    const vouchers = await t.database.db.selectFrom('vouchers').select('id').where('worker_id', '=', worker.userId).execute();
    await earn(t, actor, '参加暖新活动', 2); // enough again: only the limit refuses now
    const refused = await redeem(worker.token, other);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('TOO_MANY_REQUESTS');
    expect(refused.json().error.message).toMatch(/操作太频繁，请\d+秒后再试/);
    expect((await redeem(worker.token, reward, first)).statusCode).toBe(429); // a replay too
    expect(await t.database.db.selectFrom('vouchers').select('id').where('worker_id', '=', worker.userId).execute()).toHaveLength(vouchers.length);
    expect(await balanceOf(t.database.db, worker.userId)).toBe(10);
    // Kept as RateLimiter.take keeps it: the refused hits count too.
    expect(await hitsOf(worker.userId)).toBe(LIMITS.redeemPerUser.hits + 2);
    // Another rider is not affected.
    const stranger = await t.newWorker('440114001001');
    expect((await redeem(stranger.token, other)).json().error.code).toBe('INSUFFICIENT_POINTS');
  });

  it('lets exactly the limit through when one worker fires at once; a refused redemption undoes all but the hit', async () => {
    const reward = await publishedReward({ pointsPrice: 1 });
    const worker = await buildWorker(t.database.db);
    await earn(t, worker, '参加暖新活动', 4); // 20 points
    const limiter = new RateLimiter(t.database.db, 1);
    const window = () => limiter.window(`redeem:${worker.userId}`, LIMITS.redeemPerUser, Date.UTC(2026, 10, 24, 8, 0, 10));
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => t.app.services.rewards.redeem(worker, reward, randomUUID(), window())));
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => (r.reason as { code?: string; details?: unknown }));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    expect(refused).toHaveLength(10);
    for (const r of refused) expect(r).toMatchObject({ code: 'TOO_MANY_REQUESTS', details: { seconds: 50 } });
    expect(await balanceOf(t.database.db, worker.userId)).toBe(10);

    // Out of stock after the points were held: the hold is undone, the hit stays.
    const last = await publishedReward({ pointsPrice: 5, stock: 1 });
    const taker = await buildWorker(t.database.db);
    await earn(t, taker, '参加暖新活动', 1);
    await t.app.services.rewards.redeem(taker, last, randomUUID());
    const fresh = () => limiter.window(`redeem:${worker.userId}`, LIMITS.redeemPerUser, Date.UTC(2026, 10, 24, 8, 5, 0));
    const transfers = async () => Number((await sql<{ n: number }>`select count(*) as n from points_transfers`.execute(t.database.db)).rows[0]!.n);
    const before = await transfers();
    await expect(t.app.services.rewards.redeem(worker, last, randomUUID(), fresh())).rejects.toMatchObject({ code: 'OUT_OF_STOCK' });
    expect(await transfers()).toBe(before);
    expect(await balanceOf(t.database.db, worker.userId)).toBe(10);
    const counted = await t.database.db.selectFrom('rate_counters').select('hits').where('bucket', '=', `redeem:${worker.userId}`).where('window_start', '=', fresh().start).executeTakeFirstOrThrow();
    expect(counted.hits).toBe(1);
    expect((await reconcile(t.database.db)).problems).toEqual([]);
  });
});
