import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { DB_KINDS, createTestApp, type TestApp } from '../../../test/harness.ts';
import { balanceOf } from '../../../test/points-fixtures.ts';
import { hashPassword } from '../identity/password.ts';
import { DEMO_PASSWORD } from '../../db/seeds/demo-data.ts';
import { reconcile } from '../points/reconcile.ts';
import { list as listCases } from './cases.repository.ts';

/** Beside 三华社区暖新驿站 (新华街道) and 广塘社区暖新驿站 (新雅街道). */
const SANHUA = { lat: 23.4025, lng: 113.2153 };
const GUANGTANG = { lat: 23.3713, lng: 113.2279 };

describe.each(DB_KINDS)('cases on %s', (kind) => {
  let t: TestApp;
  let xinhua: string;
  let xinya: string;
  let chengguan: string;
  let categoryId: string;

  beforeAll(async () => {
    t = await createTestApp(kind);
    [xinhua, xinya, chengguan] = await Promise.all([t.loginStaff('xinhua'), t.loginStaff('xinya'), t.loginStaff('chengguan')]);
    const categories = (await t.request('GET', '/api/v1/cases/categories?regionId=440114')).json() as Array<{ id: string; code: string }>;
    categoryId = categories.find((c) => c.code === 'env.vending')!.id;
  });
  afterAll(async () => t?.close());

  const report = (token: string, body: Record<string, unknown> = {}, key = randomUUID()) =>
    t.request('POST', '/api/v1/cases', { token, headers: { 'idempotency-key': key }, body: { categoryId, description: '占道经营', ...SANHUA, ...body } });
  const act = (token: string, id: string, step: string, body: Record<string, unknown> = {}) => t.request('POST', `/api/v1/cases/${id}/${step}`, { token, body });
  const eventCount = async (id: string) => Number((await t.database.db.selectFrom('case_events').select((eb) => eb.fn.countAll<number>().as('n')).where('case_id', '=', id).executeTakeFirstOrThrow()).n);

  async function uploadPhoto(token: string): Promise<string> {
    const jpeg = await sharp({ create: { width: 32, height: 24, channels: 3, background: { r: 200, g: Math.floor(Math.random() * 255), b: 10 } } }).jpeg().toBuffer();
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/media', payload: jpeg, headers: { authorization: `Bearer ${token}`, 'content-type': 'image/jpeg' } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().id;
  }

  async function expectStep(token: string, id: string, step: string, body: Record<string, unknown>, status: string) {
    const res = await act(token, id, step, body);
    expect(res.statusCode, `${step}: ${res.body}`).toBe(200);
    expect(res.json().status).toBe(status);
    return res.json();
  }

  it('goes through every step; the reporter earns on 立案 and 结案 exactly once, and sees no internal notes', async () => {
    const worker = await t.newWorker('440114001001');
    const photo = await uploadPhoto(worker.token);
    const filed = await report(worker.token, { photoIds: [photo] });
    expect(filed.statusCode, filed.body).toBe(200);
    const id = filed.json().id as string;
    expect(filed.json()).toMatchObject({ status: 'submitted', photos: [{ id: photo }], category: { name: '占道经营', parentName: '市容环境' } });

    const listed = (await t.request('GET', '/api/v1/cases?view=new&pageSize=100', { token: xinhua })).json();
    expect(listed.items.map((c: { id: string }) => c.id)).toContain(id);
    expect(listed.items.find((c: { id: string }) => c.id === id)).toMatchObject({ regionId: '440114001001', overdue: false });

    await expectStep(xinhua, id, 'accept', {}, 'accepted');
    expect(await balanceOf(t.database.db, worker.userId)).toBe(5);
    const dispatched = await expectStep(xinhua, id, 'dispatch', { note: '请尽快处置' }, 'dispatched');
    expect(dispatched.departmentName).toBe('区城市管理和综合执法局');
    expect(dispatched.dueAt).not.toBeNull();
    expect((await t.request('GET', '/api/v1/cases?view=new&pageSize=100', { token: chengguan })).json().items.map((c: { id: string }) => c.id)).toContain(id);
    await expectStep(chengguan, id, 'acknowledge', {}, 'acknowledged');
    await expectStep(chengguan, id, 'start', { note: '已到现场' }, 'handling');
    const later = new Date(Date.now() + 3 * 86_400_000).toISOString();
    await expectStep(chengguan, id, 'extension-request', { dueAt: later, note: '需协调摊主搬离' }, 'extended');
    const extended = await expectStep(xinhua, id, 'extension', { decision: 'approve' }, 'handling');
    expect(extended.dueAt).toBe(later);
    await expectStep(xinhua, id, 'notes', { note: '摊主为困难户，注意方式' }, 'handling');
    const result = await uploadPhoto(await t.loginStaff('chengguan'));
    await expectStep(chengguan, id, 'handle', { note: '已劝离摊主', photoIds: [result] }, 'handled');
    await expectStep(xinhua, id, 'verify', {}, 'verifying');
    await expectStep(xinhua, id, 'rework', { note: '摊位仍在' }, 'handling');
    await expectStep(chengguan, id, 'handle', { note: '已清理' }, 'handled');
    await expectStep(xinhua, id, 'verify', {}, 'verifying');
    await expectStep(xinhua, id, 'close', { result: 'partly_resolved', outcome: '摊位已清理，早高峰仍有反复' }, 'closed');
    expect(await balanceOf(t.database.db, worker.userId)).toBe(10);

    const mine = (await t.request('GET', `/api/v1/cases/mine/${id}`, { token: worker.token })).json();
    expect(mine).toMatchObject({ status: 'closed', result: 'partly_resolved', outcome: '摊位已清理，早高峰仍有反复', canRate: true, canReopen: true });
    const actions = mine.timeline.map((e: { action: string }) => e.action);
    expect(actions).toEqual(['report', 'accept', 'dispatch', 'acknowledge', 'start', 'approve_extension', 'handle', 'verify', 'rework', 'handle', 'verify', 'close']);
    expect(JSON.stringify(mine)).not.toContain('困难户');
    expect(mine.timeline.find((e: { action: string }) => e.action === 'close').text).toContain('部分解决');
    expect(mine.timeline.find((e: { action: string }) => e.action === 'handle').photos[0].id).toBe(result);

    await t.request('POST', `/api/v1/cases/${id}/rate`, { token: worker.token, body: { stars: 4, comment: '还行' } });
    const reopened = await t.request('POST', `/api/v1/cases/${id}/reopen`, { token: worker.token, body: { note: '今天摊位又回来了' } });
    expect(reopened.json()).toMatchObject({ status: 'accepted', canReopen: false });
    for (const [step, token, body] of [
      ['dispatch', xinhua, {}],
      ['acknowledge', chengguan, {}],
      ['start', chengguan, {}],
      ['handle', chengguan, { note: '再次清理' }],
      ['verify', xinhua, {}],
      ['close', xinhua, { result: 'resolved', outcome: '已清理' }],
    ] as const) {
      expect((await act(token, id, step, body)).statusCode, step).toBe(200);
    }
    expect(await balanceOf(t.database.db, worker.userId)).toBe(10);
    const awards = await t.database.db.selectFrom('case_awards').selectAll().where('case_id', '=', id).orderBy('step').execute();
    expect(awards.map((a) => [a.step, a.status, a.amount])).toEqual([
      ['accepted', 'awarded', 5],
      ['closed', 'awarded', 5],
    ]);

    const detail = await t.request('GET', `/api/v1/cases/${id}`, { token: xinhua });
    expect(detail.json().reporter.phoneMasked).toMatch(/^1\d\d\*\*\*\*\d{4}$/);
    expect(detail.json().timeline.some((e: { action: string; internal: boolean }) => e.action === 'note' && e.internal)).toBe(true);
    const read = await t.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', id).where('action', '=', 'case.read').execute();
    expect(read.length).toBe(1);

    const rates = (await t.request('GET', '/api/v1/cases/rates', { token: xinhua })).json();
    const cg = rates.items.find((r: { departmentName: string }) => r.departmentName === '区城市管理和综合执法局');
    expect(cg.closed).toBeGreaterThanOrEqual(1);
    expect(cg.reworked).toBeGreaterThanOrEqual(1);
    expect(cg.extended).toBeGreaterThanOrEqual(1);
    expect((await reconcile(t.database.db)).problems).toEqual([]);
  });

  it('refuses a step outside the workflow with 409 and writes nothing', async () => {
    const worker = await t.newWorker('440114001001');
    const id = (await report(worker.token)).json().id as string;
    const before = { events: await eventCount(id), row: await t.database.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow() };
    for (const [step, body] of [
      ['close', { result: 'resolved', outcome: '已处理' }],
      ['verify', {}],
      ['dispatch', {}],
      ['rework', { note: '返工' }],
      ['extension', { decision: 'approve' }],
    ] as const) {
      const res = await act(xinhua, id, step, body);
      expect(res.statusCode, step).toBe(409);
      expect(res.json().error.code).toBe('CASE_ILLEGAL_TRANSITION');
    }
    const rate = await t.request('POST', `/api/v1/cases/${id}/rate`, { token: worker.token, body: { stars: 5 } });
    expect(rate.json().error.code).toBe('CASE_ILLEGAL_TRANSITION');
    const english = await act(xinhua, id, 'close', { result: 'resolved', outcome: '已处理' });
    expect(english.json().error.message).toMatch(/[\u4e00-\u9fa5]/);
    expect((await t.request('POST', `/api/v1/cases/${id}/verify`, { token: xinhua, body: {}, headers: { 'accept-language': 'en' } })).json().error.message).toMatch(/current state/);
    expect(await eventCount(id)).toBe(before.events);
    expect(await t.database.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow()).toEqual(before.row);
  });

  it('keeps staff to their region and handlers to their department', async () => {
    const worker = await t.newWorker('440114001001');
    const id = (await report(worker.token)).json().id as string;
    const outside = await act(xinya, id, 'accept');
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error.code).toBe('OUT_OF_SCOPE');
    expect((await t.request('GET', `/api/v1/cases/${id}`, { token: xinya })).json().error.code).toBe('OUT_OF_SCOPE');
    expect((await t.request('GET', '/api/v1/cases?pageSize=100', { token: xinya })).json().items.every((c: { regionId: string }) => c.regionId.startsWith('440114002'))).toBe(true);
    // Another worker does not see someone else's report.
    const stranger = await t.newWorker('440114001001');
    expect((await t.request('GET', `/api/v1/cases/mine/${id}`, { token: stranger.token })).statusCode).toBe(404);

    await expectStep(xinhua, id, 'accept', {}, 'accepted');
    await expectStep(xinhua, id, 'dispatch', {}, 'dispatched');
    // A handler of 住建局 may not touch a case dispatched to 城管局.
    const departmentId = (await t.database.db.selectFrom('departments').select('id').where('name', '=', '区住房和城乡建设局').executeTakeFirstOrThrow()).id;
    const username = `zj${randomUUID().slice(0, 8)}`;
    await t.database.db
      .insertInto('users')
      .values({ username, name: '住建处置员', role: 'department_handler', region_id: '440114', phone: null, password_hash: await hashPassword(DEMO_PASSWORD), department_id: departmentId, partner_id: null, station_id: null })
      .execute();
    const zhujian = await t.loginStaff(username);
    const wrong = await act(zhujian, id, 'acknowledge');
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.code).toBe('CASE_NOT_YOUR_DEPARTMENT');
    expect((await t.request('GET', `/api/v1/cases/${id}`, { token: zhujian })).statusCode).toBe(403);
    expect((await t.request('GET', '/api/v1/cases?pageSize=100', { token: zhujian })).json().items.map((c: { id: string }) => c.id)).not.toContain(id);
    // The right handler returns it: it goes back for re-dispatch and leaves their list.
    await expectStep(chengguan, id, 'return', { note: '属街道执法队职责' }, 'accepted');
    expect((await t.request('GET', `/api/v1/cases/${id}`, { token: chengguan })).json().error.code).toBe('CASE_NOT_YOUR_DEPARTMENT');
    const street = (await t.database.db.selectFrom('departments').select('id').where('name', '=', '新雅街道综合行政执法队').executeTakeFirstOrThrow()).id;
    expect((await act(xinhua, id, 'dispatch', { departmentId: street })).json().error.code).toBe('CASE_DISPATCH_TARGET_INVALID');
    expect((await act(xinhua, id, 'dispatch', { gridId: '440114002001001' })).json().error.code).toBe('CASE_DISPATCH_TARGET_INVALID');
    await expectStep(xinhua, id, 'dispatch', { gridId: '440114001001001' }, 'dispatched');
    await expectStep(await t.loginStaff('grid01'), id, 'acknowledge', {}, 'acknowledged');
  });

  it('replays a report for the same Idempotency-Key and refuses the key with a different body', async () => {
    const worker = await t.newWorker('440114001001');
    const key = randomUUID();
    const first = await report(worker.token, {}, key);
    const again = await report(worker.token, {}, key);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const changed = await report(worker.token, { description: '另一件事' }, key);
    expect(changed.statusCode).toBe(409);
    expect(changed.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const [a, b] = await Promise.all([report(worker.token, {}, `${key}-x`), report(worker.token, {}, `${key}-x`)]);
    expect(a.json().id).toBe(b.json().id);
    const count = await t.database.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).where('reporter_id', '=', worker.userId).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(2);
    expect((await t.request('POST', '/api/v1/cases', { token: worker.token, body: { categoryId, ...SANHUA } })).json().error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
  });

  it('refuses an unknown category and a position outside the area, with nothing written', async () => {
    const worker = await t.newWorker('440114001001');
    const before = Number((await t.database.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect((await report(worker.token, { categoryId: randomUUID() })).json().error.code).toBe('CATEGORY_NOT_FOUND');
    const top = (await t.database.db.selectFrom('case_categories').select('id').where('code', '=', 'env').executeTakeFirstOrThrow()).id;
    expect((await report(worker.token, { categoryId: top })).json().error.code).toBe('CATEGORY_NOT_FOUND');
    const beijing = await report(worker.token, { lat: 39.9042, lng: 116.4074 });
    expect(beijing.statusCode).toBe(400);
    expect(beijing.json().error.code).toBe('POSITION_OUT_OF_RANGE');
    expect((await report(worker.token, { lat: 91 })).json().error.code).toBe('VALIDATION_FAILED');
    expect((await report(worker.token, { photoIds: [randomUUID()] })).json().error.code).toBe('PHOTO_NOT_USABLE');
    const after = Number((await t.database.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect(after).toBe(before);
  });

  it('shows nearby open cases of the same category, and merges a duplicate: only the original earns, the duplicate follows it', async () => {
    const first = await t.newWorker('440114002001');
    const second = await t.newWorker('440114002001');
    const original = (await report(first.token, GUANGTANG)).json().id as string;
    const duplicate = (await report(second.token, { lat: GUANGTANG.lat + 0.0002, lng: GUANGTANG.lng })).json().id as string;
    const far = (await report(second.token, { lat: GUANGTANG.lat + 0.002, lng: GUANGTANG.lng })).json().id as string;
    const hint = (await t.request('GET', `/api/v1/cases/${duplicate}/duplicates`, { token: xinya })).json().items as Array<{ id: string; distanceM: number }>;
    expect(hint.map((h) => h.id)).toContain(original);
    expect(hint.map((h) => h.id)).not.toContain(far);
    expect(hint.find((h) => h.id === original)!.distanceM).toBeLessThan(50);
    expect((await act(xinhua, duplicate, 'merge', { originalId: original })).json().error.code).toBe('OUT_OF_SCOPE');

    const merged = await expectStep(xinya, duplicate, 'merge', { originalId: original }, 'rejected');
    expect(merged.duplicateOf).toBe(original);
    expect((await act(xinya, duplicate, 'accept')).json().error.code).toBe('CASE_ILLEGAL_TRANSITION');
    await expectStep(xinya, original, 'accept', {}, 'accepted');
    expect(await balanceOf(t.database.db, first.userId)).toBe(5);
    expect(await balanceOf(t.database.db, second.userId)).toBe(0);
    const seen = (await t.request('GET', `/api/v1/cases/mine/${duplicate}`, { token: second.token })).json();
    expect(seen.mergedInto).toMatchObject({ id: original, status: 'accepted' });
    expect(seen.timeline.at(-1)).toMatchObject({ action: 'merge', status: 'rejected' });
    expect(seen.timeline.at(-1).text).toContain('合并');
    // A merge into itself or into a case of another category is refused.
    const reject = await act(xinya, far, 'reject', { reason: 'duplicate', note: '重复' });
    expect(reject.json().error.code).toBe('VALIDATION_FAILED');
    expect((await act(xinya, far, 'merge', { originalId: far })).json().error.code).toBe('CASE_DUPLICATE_INVALID');
    await expectStep(xinya, far, 'reject', { reason: 'duplicate', note: '重复', duplicateOf: original }, 'rejected');
  });

  it('counts a desk list only up to its cap and says so, with the page itself unchanged', async () => {
    const worker = await t.newWorker();
    for (let i = 0; i < 3; i++) expect((await report(worker.token)).statusCode).toBe(200);
    const filter = { scope: '440114001', departmentId: null };
    const exact = await listCases(t.database.db, filter, { page: 1, pageSize: 2 }, 1_000_000);
    expect(exact.totalCapped).toBe(false);
    const capped = await listCases(t.database.db, filter, { page: 1, pageSize: 2 }, 2);
    expect(capped).toMatchObject({ total: 2, totalCapped: true });
    expect(capped.rows.map((r) => r.id)).toEqual(exact.rows.map((r) => r.id));
    const all = (await t.request('GET', '/api/v1/cases?view=all', { token: xinhua })).json();
    expect(all).toMatchObject({ total: exact.total, totalCapped: false });
  });

  it('district admins edit the catalogue; a second-level category needs a top-level parent of the same district', async () => {
    const district = await t.loginStaff('district');
    const limits = { dispatch: 30, acknowledge: 60, handle: 240, verify: 120 };
    const top = await t.request('POST', '/api/v1/cases/categories', { token: district, body: { regionId: '440114', code: `t${randomUUID().slice(0, 6)}`, name: '测试大类', limits, urgentLimits: limits } });
    expect(top.statusCode, top.body).toBe(200);
    const child = await t.request('POST', '/api/v1/cases/categories', { token: district, body: { regionId: '440114', parentId: top.json().id, code: `t${randomUUID().slice(0, 6)}`, name: '测试小类', limits, urgentLimits: limits, workingHours: true } });
    expect(child.json()).toMatchObject({ parentId: top.json().id, workingHours: true });
    const grandchild = await t.request('POST', '/api/v1/cases/categories', { token: district, body: { regionId: '440114', parentId: child.json().id, code: `t${randomUUID().slice(0, 6)}`, name: '第三级', limits, urgentLimits: limits } });
    expect(grandchild.json().error.code).toBe('CATEGORY_PARENT_INVALID');
    // Filing reads the catalogue from memory: a new category is there at once, and so is its closing.
    const worker = await t.newWorker('440114001001');
    const key = randomUUID();
    const filed = await report(worker.token, { categoryId: child.json().id }, key);
    expect(filed.statusCode, filed.body).toBe(200);
    const renamed = await t.request('PUT', `/api/v1/cases/categories/${child.json().id}`, { token: district, body: { regionId: '440114', parentId: top.json().id, code: child.json().code, name: '改名小类', limits, urgentLimits: limits, status: 'inactive' } });
    expect(renamed.json()).toMatchObject({ name: '改名小类', status: 'inactive' });
    expect((await report(worker.token, { categoryId: child.json().id })).json().error.code).toBe('CATEGORY_NOT_FOUND');
    // The phone's outbox sending the first report again still gets its case, not a refusal.
    const retried = await report(worker.token, { categoryId: child.json().id }, key);
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json().id).toBe(filed.json().id);
    expect((await report(worker.token, { categoryId: child.json().id, description: '另一件事' }, key)).json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('hears a category changed outside this process (a script in psql) through its announcement', async () => {
    const worker = await t.newWorker('440114001001');
    const other = (await t.database.db.selectFrom('case_categories').select('id').where('code', '=', 'env.vending').executeTakeFirstOrThrow()).id;
    expect((await report(worker.token, { categoryId: other })).statusCode).toBe(200);
    await t.database.db.updateTable('case_categories').set({ status: 'inactive' }).where('id', '=', other).execute();
    try {
      // Delivered on commit to the listening connection: a moment later, not at once.
      await expect.poll(async () => (await report(worker.token, { categoryId: other })).json().error?.code, { timeout: 5_000, interval: 50 }).toBe('CATEGORY_NOT_FOUND');
    } finally {
      await t.database.db.updateTable('case_categories').set({ status: 'active' }).where('id', '=', other).execute();
    }
    await expect.poll(async () => (await report(worker.token, { categoryId: other })).statusCode, { timeout: 5_000, interval: 50 }).toBe(200);
  });
});
