import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { DB_KINDS, createTestApp, type TestApp } from '../../../test/harness.ts';
import { balanceOf, buildWorker, earn } from '../../../test/points-fixtures.ts';
import { reconcile } from '../points/reconcile.ts';

describe.each(DB_KINDS)('rewards on %s', (kind) => {
  let t: TestApp;
  let partner: string;
  beforeAll(async () => {
    t = await createTestApp(kind);
    partner = await t.loginStaff('barber');
  });
  afterAll(async () => t?.close());

  /** A partner offers a reward and the street publishes it. */
  async function publishedReward(fields: { pointsPrice?: number; stock?: number; perPersonLimit?: number } = {}) {
    const created = await t.request('POST', '/api/v1/rewards', {
      token: partner,
      body: { name: `理发-${randomUUID().slice(0, 8)}`, kind: 'service', pointsPrice: 10, stock: 5, perPersonLimit: 1, places: '三华路18号', ...fields },
    });
    expect(created.json().status).toBe('pending');
    const published = await t.request('POST', `/api/v1/rewards/${created.json().id}/review`, { token: await t.loginStaff('sanhua'), body: { decision: 'publish' } });
    expect(published.json().status).toBe('published');
    return published.json() as { id: string; stock: number };
  }

  async function workerWithPoints(points: number) {
    const worker = await t.newWorker('440114001001');
    const actor = { userId: worker.userId, sessionId: '', role: 'worker' as const, regionId: '440114001001', scopeId: '440114001001', departmentId: null, partnerId: null, stationId: null };
    await earn(t, actor, '参加暖新活动', points / 5);
    return worker;
  }

  const redeem = (token: string, rewardId: string, key = randomUUID()) => t.request('POST', `/api/v1/rewards/${rewardId}/redeem`, { token, headers: { 'idempotency-key': key } });

  it('redeems: points held and stock reserved; the partner fulfils once; the points land with the partner', async () => {
    const reward = await publishedReward({ pointsPrice: 10, stock: 3 });
    const worker = await workerWithPoints(15);
    const key = randomUUID();
    const voucher = await redeem(worker.token, reward.id, key);
    expect(voucher.statusCode).toBe(200);
    expect(voucher.json()).toMatchObject({ status: 'held', points: 10, code: expect.stringMatching(/^[A-Z2-9]{8}$/) });
    expect((await redeem(worker.token, reward.id, key)).json().id).toBe(voucher.json().id);
    expect(await balanceOf(t.database.db, worker.userId)).toBe(5);

    const fulfilled = await t.request('POST', '/api/v1/vouchers/fulfil', { token: partner, body: { code: voucher.json().code.toLowerCase() } });
    expect(fulfilled.json()).toMatchObject({ status: 'fulfilled', workerName: '测**手' });
    const again = await t.request('POST', '/api/v1/vouchers/fulfil', { token: partner, body: { code: voucher.json().code } });
    expect(again.json().error.code).toBe('VOUCHER_USED');
    const settlement = await t.request('GET', '/api/v1/rewards/settlement?from=2026-01-01&to=2030-12-31', { token: partner });
    expect(settlement.json().items.map((i: { code: string }) => i.code)).toContain(voucher.json().code);
    const xlsx = await t.request('GET', '/api/v1/rewards/settlement.xlsx?from=2026-01-01&to=2030-12-31', { token: partner });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK'); // a zip: an .xlsx workbook
    expect((await reconcile(t.database.db)).problems).toEqual([]);
  });

  it('another partner cannot fulfil the voucher; a forged code is not found', async () => {
    const reward = await publishedReward();
    const worker = await workerWithPoints(10);
    const voucher = (await redeem(worker.token, reward.id)).json();
    await t.database.db.insertInto('users').values({ username: 'otherpartner', name: '别家', role: 'partner_staff', region_id: '440114001002', phone: null, password_hash: null, department_id: null, station_id: null, partner_id: (await t.database.db.selectFrom('partners').select('id').where('name', '=', '粤味快餐（公益路店）').executeTakeFirstOrThrow()).id }).onConflict((oc) => oc.doNothing()).execute();
    const other = await t.database.db.selectFrom('users').select('id').where('username', '=', 'otherpartner').executeTakeFirstOrThrow();
    const otherToken = await (async () => {
      const { hashPassword } = await import('../identity/password.ts');
      await t.database.db.updateTable('users').set({ password_hash: await hashPassword('Nuanxin@2026') }).where('id', '=', other.id).execute();
      return t.loginStaff('otherpartner');
    })();
    expect((await t.request('POST', '/api/v1/vouchers/fulfil', { token: otherToken, body: { code: voucher.code } })).json().error.code).toBe('NOT_YOUR_VOUCHER');
    expect((await t.request('POST', '/api/v1/vouchers/fulfil', { token: partner, body: { code: 'ZZZZZZZZ' } })).json().error.code).toBe('VOUCHER_NOT_FOUND');
  });

  it('cancel and timeout give points and stock back', async () => {
    const reward = await publishedReward({ pointsPrice: 10, stock: 2, perPersonLimit: 5 });
    const worker = await workerWithPoints(20);
    const first = (await redeem(worker.token, reward.id)).json();
    const second = (await redeem(worker.token, reward.id)).json();
    expect(await balanceOf(t.database.db, worker.userId)).toBe(0);
    expect((await redeem(worker.token, reward.id)).json().error.code).toMatch(/OUT_OF_STOCK|INSUFFICIENT_POINTS/);

    expect((await t.request('GET', `/api/v1/vouchers/${first.id}`, { token: worker.token })).json()).toMatchObject({ id: first.id, status: 'held' });
    const stranger = await t.newWorker('440114001001');
    expect((await t.request('GET', `/api/v1/vouchers/${first.id}`, { token: stranger.token })).json().error.code).toBe('NOT_FOUND');
    const cancelled = await t.request('POST', `/api/v1/vouchers/${first.id}/cancel`, { token: worker.token });
    expect(cancelled.json().status).toBe('cancelled');
    await t.database.db.updateTable('vouchers').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', second.id).execute();
    expect(await t.app.services.rewards.expireHeld()).toBe(1);
    expect(await balanceOf(t.database.db, worker.userId)).toBe(20);
    const stock = await t.database.db.selectFrom('rewards').select('stock').where('id', '=', reward.id).executeTakeFirstOrThrow();
    expect(stock.stock).toBe(2);
    const history = (await t.request('GET', '/api/v1/points/me/history', { token: worker.token })).json();
    expect(history.items.map((i: { kind: string }) => i.kind).slice(0, 4)).toEqual(['void', 'void', 'hold', 'hold']);
    expect((await reconcile(t.database.db)).problems).toEqual([]);
  });

  it('refuses past the per-person limit, a replayed key for another reward, and redemption off the redemption days', async () => {
    const reward = await publishedReward({ perPersonLimit: 1 });
    const other = await publishedReward();
    const worker = await workerWithPoints(30);
    const key = randomUUID();
    await redeem(worker.token, reward.id, key);
    expect((await redeem(worker.token, reward.id)).json().error.code).toBe('LIMIT_REACHED');
    expect((await redeem(worker.token, other.id, key)).statusCode).toBe(409);
    const admin = await t.loginStaff('xinhua');
    const day = Number(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(8, 10));
    await t.request('PUT', '/api/v1/points/settings/440114001', { token: admin, body: { redemptionDays: [day === 1 ? 2 : 1], expiryYears: 1 } });
    const closed = await redeem(worker.token, other.id);
    expect(closed.json().error.code).toBe('NOT_REDEMPTION_DAY');
    await t.request('PUT', '/api/v1/points/settings/440114001', { token: admin, body: { redemptionDays: [], expiryYears: 1 } });
  });

  it('200 workers with barely enough points race for a stock of 10: exactly 10 win, nobody goes negative, the ledger reconciles', async () => {
    const reward = await publishedReward({ pointsPrice: 10, stock: 10 });
    const workers = await Promise.all(Array.from({ length: 200 }, () => buildWorker(t.database.db)));
    for (const w of workers) await earn(t, w, '参加暖新活动', 2);
    const results = await Promise.allSettled(workers.map((w) => t.app.services.rewards.redeem(w, reward.id, randomUUID())));
    const won = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => (r.reason as { code?: string }).code);
    expect(won).toHaveLength(10);
    expect(new Set(refused)).toEqual(new Set(['OUT_OF_STOCK']));
    const stock = await t.database.db.selectFrom('rewards').select('stock').where('id', '=', reward.id).executeTakeFirstOrThrow();
    expect(stock.stock).toBe(0);
    const negative = await t.database.db.selectFrom('points_accounts').select('id').where('balance', '<', 0).execute();
    expect(negative).toEqual([]);
    expect((await reconcile(t.database.db)).problems).toEqual([]);
  });
});
