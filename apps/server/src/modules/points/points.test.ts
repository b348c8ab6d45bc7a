import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { DB_KINDS, createTestApp, type TestApp } from '../../../test/harness.ts';
import { balanceOf, buildWorker, earn, ruleNamed } from '../../../test/points-fixtures.ts';
import { phoneJpeg } from '../../../test/images.ts';
import { reconcile } from './reconcile.ts';

describe.each(DB_KINDS)('points on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => t?.close());

  const award = async (actor: Awaited<ReturnType<typeof buildWorker>>, ruleName: string, sourceId: string) => {
    const rule = await ruleNamed(t.database.db, ruleName);
    return t.database.db.transaction().execute((tx) =>
      t.app.services.points.award(tx, { worker: { userId: actor.userId, regionId: actor.regionId }, rule, sourceType: 'case', sourceId }),
    );
  };

  it('awards once per source: a second call for the same source returns the first transfer', async () => {
    const w = await buildWorker(t.database.db);
    const first = await award(w, '随手拍被立案', 'case-1');
    const again = await award(w, '随手拍被立案', 'case-1');
    expect(again.transferId).toBe(first.transferId);
    expect(await balanceOf(t.database.db, w.userId)).toBe(5);
    await expect(award(w, '随手拍结案奖励', 'case-1')).rejects.toMatchObject({ code: 'ALREADY_AWARDED' });
  });

  it('enforces a daily cap', async () => {
    const w = await buildWorker(t.database.db);
    await award(w, '文明骑行示范', randomUUID());
    await expect(award(w, '文明骑行示范', randomUUID())).rejects.toMatchObject({ code: 'CAP_REACHED' });
    expect(await balanceOf(t.database.db, w.userId)).toBe(5);
  });

  it('a worker claims with proof; staff approve; the points arrive with the reason; a replayed claim is the same claim', async () => {
    const token = await t.loginPhone('13900000002');
    const rule = await ruleNamed(t.database.db, '关爱帮扶');
    const proof = (await t.request('POST', '/api/v1/media', { token, body: await phoneJpeg(), headers: { 'content-type': 'image/jpeg' } })).json();
    const body = { ruleId: rule.id, note: '帮助摔倒的老人送医', occurredOn: '2026-11-01', photoIds: [proof.id] };
    const key = randomUUID();
    const filed = await t.request('POST', '/api/v1/points/claims', { token, body, headers: { 'idempotency-key': key } });
    expect(filed.statusCode).toBe(200);
    expect(filed.json()).toMatchObject({ status: 'pending', points: 10 });
    const replay = await t.request('POST', '/api/v1/points/claims', { token, body, headers: { 'idempotency-key': key } });
    expect(replay.json().id).toBe(filed.json().id);
    const changed = await t.request('POST', '/api/v1/points/claims', { token, body: { ...body, note: '别的' }, headers: { 'idempotency-key': key } });
    expect(changed.statusCode).toBe(409);
    expect((await t.request('POST', '/api/v1/points/claims', { token, body })).json().error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');

    const before = (await t.request('GET', '/api/v1/points/me', { token })).json().balance;
    const staff = await t.loginStaff('xinhua');
    const queue = await t.request('GET', '/api/v1/points/claims?status=pending', { token: staff });
    const queued = queue.json().items.find((c: { id: string }) => c.id === filed.json().id);
    expect(queued.photos).toHaveLength(1);
    expect((await t.request('GET', queued.photos[0].thumbUrl)).statusCode).toBe(200);
    const approved = await t.request('POST', `/api/v1/points/claims/${filed.json().id}/review`, { token: staff, body: { decision: 'approve' } });
    expect(approved.json().status).toBe('approved');
    const twice = await t.request('POST', `/api/v1/points/claims/${filed.json().id}/review`, { token: staff, body: { decision: 'approve' } });
    expect(twice.json().error.code).toBe('INVALID_STATE');
    expect((await t.request('GET', '/api/v1/points/me', { token })).json().balance).toBe(before + 10);
    const history = (await t.request('GET', '/api/v1/points/me/history', { token })).json();
    expect(history.items[0]).toMatchObject({ amount: 10, kind: 'earn', reason: '关爱帮扶（申报）' });
  });

  it('staff find a worker’s changes in the ledger, masked, and reverse one from there', async () => {
    const w = await t.newWorker();
    const staff = await t.loginStaff('xinhua');
    const rule = await ruleNamed(t.database.db, '关爱帮扶');
    const awarded = await t.request('POST', '/api/v1/points/awards', { token: staff, body: { workerId: w.userId, ruleId: rule.id, note: '送老人回家' }, headers: { 'idempotency-key': randomUUID() } });
    expect(awarded.statusCode).toBe(200);

    const ledger = await t.request('GET', `/api/v1/points/ledger?phone=${w.phone}`, { token: staff });
    expect(ledger.statusCode).toBe(200);
    expect(ledger.json().total).toBe(1);
    const [entry] = ledger.json().items;
    expect(entry).toMatchObject({ transferId: awarded.json().transferId, amount: 10, kind: 'earn', reversible: true, reversed: false, workerName: '测**手' });
    expect(entry.workerPhone).toBe(`${w.phone.slice(0, 3)}****${w.phone.slice(7)}`);
    // The reviewing community admin may read the ledger; reversing is for street and district staff.
    const sanhua = await t.loginStaff('sanhua');
    expect((await t.request('GET', `/api/v1/points/ledger?phone=${w.phone}`, { token: sanhua })).json().total).toBe(1);

    const reversed = await t.request('POST', `/api/v1/points/transfers/${entry.transferId}/reverse`, { token: staff, body: { reason: '重复奖励' } });
    expect(reversed.statusCode).toBe(200);
    const after = (await t.request('GET', `/api/v1/points/ledger?phone=${w.phone}`, { token: staff })).json();
    expect(after.items.map((i: { kind: string; amount: number }) => [i.kind, i.amount])).toEqual([['reverse', -10], ['earn', 10]]);
    expect(after.items[1]).toMatchObject({ reversed: true, reversible: false });
    // Another street's staff see none of it.
    const xinya = await t.loginStaff('xinya');
    expect((await t.request('GET', `/api/v1/points/ledger?phone=${w.phone}`, { token: xinya })).json().total).toBe(0);
    expect((await t.request('GET', '/api/v1/points/ledger?phone=12345', { token: staff })).statusCode).toBe(400);
  });

  it('a claim naming someone else’s photo is refused, and nothing is filed', async () => {
    const [owner, claimant] = [await t.newWorker(), await t.newWorker()];
    const photo = (await t.request('POST', '/api/v1/media', { token: owner.token, body: await phoneJpeg({ color: '#777' }), headers: { 'content-type': 'image/jpeg' } })).json();
    const rule = await ruleNamed(t.database.db, '关爱帮扶');
    const body = { ruleId: rule.id, note: '帮扶同行', occurredOn: '2026-11-02', photoIds: [photo.id] };
    const res = await t.request('POST', '/api/v1/points/claims', { token: claimant.token, body, headers: { 'idempotency-key': randomUUID() } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('PHOTO_NOT_USABLE');
    const mine = await t.request('GET', '/api/v1/points/me/claims', { token: claimant.token });
    expect(mine.json().total).toBe(0);
  });

  it('a claim by a worker of another street is refused as out of scope for that street’s staff', async () => {
    const outsider = await t.loginPhone('13900000003'); // 广塘社区, 新雅街道
    const rule = await ruleNamed(t.database.db, '关爱帮扶', '440114002');
    const filed = await t.request('POST', '/api/v1/points/claims', { token: outsider, body: { ruleId: rule.id, note: '帮扶同行', occurredOn: '2026-11-02' }, headers: { 'idempotency-key': randomUUID() } });
    const staff = await t.loginStaff('xinhua');
    const res = await t.request('POST', `/api/v1/points/claims/${filed.json().id}/review`, { token: staff, body: { decision: 'approve' } });
    expect(res.json().error.code).toBe('OUT_OF_SCOPE');
  });

  it('a deduction never takes a balance below zero, and repeated ones suspend earning', async () => {
    const w = await buildWorker(t.database.db);
    await earn(t, w, '参加暖新活动'); // 5
    for (let i = 0; i < 3; i++) await award(w, '报名活动未到场', randomUUID()); // 5 each, suspends after 3
    expect(await balanceOf(t.database.db, w.userId)).toBe(0);
    await expect(award(w, '参加暖新活动', randomUUID())).rejects.toMatchObject({ code: 'EARNING_SUSPENDED' });
  });

  it('staff award through the API is idempotent by Idempotency-Key, and a reversal points back once', async () => {
    const staff = await t.loginStaff('sanhua');
    const worker = await t.newWorker('440114001001');
    const rule = await ruleNamed(t.database.db, '政策宣传');
    const key = randomUUID();
    const body = { workerId: worker.userId, ruleId: rule.id, note: '发放宣传单' };
    const first = await t.request('POST', '/api/v1/points/awards', { token: staff, body, headers: { 'idempotency-key': key } });
    const again = await t.request('POST', '/api/v1/points/awards', { token: staff, body, headers: { 'idempotency-key': key } });
    expect(first.json()).toMatchObject({ amount: 5, balance: 5 });
    expect(again.json().transferId).toBe(first.json().transferId);

    const harder = await t.request('POST', '/api/v1/points/awards', { token: staff, body: { ...body, multiplier: 2 }, headers: { 'idempotency-key': randomUUID() } });
    expect(harder.json()).toMatchObject({ amount: 10, balance: 15 });
    const sameKeyOtherFields = await t.request('POST', '/api/v1/points/awards', { token: staff, body: { ...body, multiplier: 3 }, headers: { 'idempotency-key': key } });
    expect(sameKeyOtherFields.statusCode).toBe(409);
    expect(sameKeyOtherFields.json().error.code).toBe('TRANSFER_KEY_CONFLICT');
    const badMultiplier = await t.request('POST', '/api/v1/points/awards', { token: staff, body: { ...body, multiplier: 0.3 }, headers: { 'idempotency-key': randomUUID() } });
    expect(badMultiplier.json().error.code).toBe('VALIDATION_FAILED');

    const admin = await t.loginStaff('xinhua');
    const reversed = await t.request('POST', `/api/v1/points/transfers/${first.json().transferId}/reverse`, { token: admin, body: { reason: '重复发放' } });
    expect(reversed.json()).toMatchObject({ amount: -5, balance: 10 });
    const twice = await t.request('POST', `/api/v1/points/transfers/${first.json().transferId}/reverse`, { token: admin, body: { reason: '再来' } });
    expect(twice.json().error.code).toBe('ALREADY_REVERSED');
    await expect(sql`update points_transfers set amount = 1`.execute(t.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from points_entries`.execute(t.database.db)).rejects.toThrow(/append-only/);
  });

  it('awards one rule to many workers in one batch: caps and replays hold per worker, the ledger reconciles', async () => {
    const staff = await t.loginStaff('xinhua');
    const workers = await Promise.all(Array.from({ length: 30 }, () => buildWorker(t.database.db)));
    const capped = workers[0]!;
    await award(capped, '文明骑行示范', randomUUID()); // daily cap 5 already used
    const civility = await ruleNamed(t.database.db, '文明骑行示范');
    const key = randomUUID();
    const body = { ruleId: civility.id, note: '文明骑行月', workerIds: workers.map((w) => w.userId) };
    const res = await t.request('POST', '/api/v1/points/awards/batch', { token: staff, body, headers: { 'idempotency-key': key } });
    expect(res.statusCode).toBe(200);
    expect(res.json().awarded).toHaveLength(29);
    expect(res.json().refused).toEqual([{ workerId: capped.userId, code: 'CAP_REACHED' }]);
    const replay = await t.request('POST', '/api/v1/points/awards/batch', { token: staff, body, headers: { 'idempotency-key': key } });
    expect(new Set(replay.json().awarded.map((a: { transferId: string }) => a.transferId))).toEqual(new Set(res.json().awarded.map((a: { transferId: string }) => a.transferId)));
    for (const w of workers.slice(1)) expect(await balanceOf(t.database.db, w.userId)).toBe(5);
    const outsider = await buildWorker(t.database.db, '440114002001');
    const outside = await t.request('POST', '/api/v1/points/awards/batch', { token: staff, body: { ...body, workerIds: [outsider.userId] }, headers: { 'idempotency-key': randomUUID() } });
    expect(outside.json().error.code).toBe('OUT_OF_SCOPE');
    expect((await reconcile(t.database.db)).problems).toEqual([]);
  });

  it('expires lots past their date into the sink, earliest first, and the ledger still reconciles', async () => {
    const w = await buildWorker(t.database.db);
    await earn(t, w, '参加暖新活动', 2); // two lots of 5
    const lots = await t.database.db.selectFrom('points_lots as l').innerJoin('points_accounts as a', 'a.id', 'l.account_id').select('l.id').where('a.owner_id', '=', w.userId).orderBy('l.created_at').execute();
    await t.database.db.updateTable('points_lots').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', lots[0]!.id).execute();
    expect(await t.app.services.points.expireDueLots()).toBeGreaterThanOrEqual(1);
    expect(await balanceOf(t.database.db, w.userId)).toBe(5);
    const report = await reconcile(t.database.db);
    expect(report.problems).toEqual([]);
    expect(report.ledgerSum).toBe(0);
  });

  it('shows a masked leaderboard and public board, leaving out workers who opt out', async () => {
    const token = await t.loginPhone('13900000001');
    const board = (await t.request('GET', '/api/v1/points/leaderboard?communityId=440114001001', { token })).json();
    const me = board.items.find((i: { me: boolean }) => i.me);
    expect(me.name).toBe('张*');
    await t.request('PUT', '/api/v1/points/me/privacy', { token, body: { public: false } });
    const after = (await t.request('GET', '/api/v1/points/leaderboard?communityId=440114001001', { token })).json();
    expect(after.items.some((i: { me: boolean }) => i.me)).toBe(false);
    const publicBoard = await t.request('GET', '/api/v1/points/board?communityId=440114001001');
    expect(publicBoard.statusCode).toBe(200);
    expect(JSON.stringify(publicBoard.json())).not.toMatch(/张伟|1[3-9]\d{9}/);
  });

  it('refuses bad points input with clear codes and changes nothing', async () => {
    const admin = await t.loginStaff('xinhua');
    const bad = [
      { regionId: '440114001', category: 'care', name: '负分', points: -5 },
      { regionId: '440114001', category: 'care', name: '小数', points: 1.5 },
      { regionId: '440114001', category: 'nope', name: '类别', points: 1 },
      { regionId: '440114002', category: 'care', name: '越权', points: 1 },
    ];
    const before = await t.database.db.selectFrom('points_rules').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    for (const body of bad) {
      const res = await t.request('POST', '/api/v1/points/rules', { token: admin, body });
      expect(res.statusCode, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
    }
    const after = await t.database.db.selectFrom('points_rules').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
