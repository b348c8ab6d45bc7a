import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, createTestApp, type TestApp } from '../../../test/harness.ts';
import { phoneJpeg } from '../../../test/images.ts';
import { reconcile } from '../points/reconcile.ts';

describe.each(DB_KINDS)('a worker’s own data on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => t?.close());

  it('downloads everything stored about the worker, including which staff read it', async () => {
    const w = await t.newWorker();
    const staff = await t.loginStaff('sanhua');
    await t.request('GET', `/api/v1/users?q=${w.phone}`, { token: staff }); // an audited read
    const res = await t.request('GET', '/api/v1/me/data', { token: w.token });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="nuanxin-my-data-/);
    const data = res.json();
    expect(data.account).toMatchObject({ id: w.userId, phone: w.phone, role: 'worker' });
    expect(data.profile).toMatchObject({ occupation: 'rider', platform_company: '美团' });
    expect(data.logins.length).toBeGreaterThan(0);
    expect(data.readsByStaff.length).toBeGreaterThan(0);
    for (const section of ['messages', 'wishes', 'activities', 'organizations', 'gridMember', 'honorVotes', 'pledgesSigned', 'guidePlaces', 'riderPass']) expect(data, section).toHaveProperty(section);
    expect((await t.request('GET', '/api/v1/me/data')).statusCode).toBe(401);
  });

  it('deletes an account: identity gone, held vouchers returned, records kept without a name, the ledger still adds up', async () => {
    const phone = '13900000001'; // 张伟: points, a report and a voucher to clean up
    const token = await t.loginPhone(phone);
    const me = (await t.request('GET', '/api/v1/me', { token })).json();
    const rewards = (await t.request('GET', '/api/v1/rewards?q=理发一次', { token })).json().items as Array<{ id: string; stock: number }>;
    const voucher = await t.request('POST', `/api/v1/rewards/${rewards[0]!.id}/redeem`, { token, headers: { 'idempotency-key': randomUUID() } });
    expect(voucher.statusCode).toBe(200);
    const photo = (await t.request('POST', '/api/v1/media', { token, body: await phoneJpeg(), headers: { 'content-type': 'image/jpeg' } })).json();
    const reportsBefore = await t.database.db.selectFrom('cases').select('id').where('reporter_id', '=', me.id).execute();
    const rowsOf = async (table: 'messages' | 'rider_passes') =>
      table === 'messages'
        ? await t.database.db.selectFrom('messages').select('id').where('user_id', '=', me.id).execute()
        : await t.database.db.selectFrom('rider_passes').select('pass_no').where('worker_id', '=', me.id).execute();
    // The demo gives 张伟 a welcome message and a verified rider pass.
    expect((await rowsOf('messages')).length).toBeGreaterThan(0);
    expect(await rowsOf('rider_passes')).toHaveLength(1);

    expect((await t.request('POST', '/api/v1/me/delete', { token, body: { confirm: 'yes' } })).statusCode).toBe(400);
    const staff = await t.loginStaff('xinhua');
    expect((await t.request('POST', '/api/v1/me/delete', { token: staff, body: { confirm: '注销' } })).statusCode).toBe(403);
    expect((await t.request('POST', '/api/v1/me/delete', { token, body: { confirm: '注销' } })).statusCode).toBe(204);

    expect((await t.request('GET', '/api/v1/me', { token })).statusCode).toBe(401);
    const row = await t.database.db.selectFrom('users').selectAll().where('id', '=', me.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ phone: null, name: null, status: 'disabled', password_hash: null });
    expect(await t.database.db.selectFrom('worker_profiles').select('user_id').where('user_id', '=', me.id).executeTakeFirst()).toBeUndefined();
    expect(await t.database.db.selectFrom('sms_codes').select('id').where('phone', '=', phone).executeTakeFirst()).toBeUndefined();
    expect(await t.database.db.selectFrom('media').select('id').where('id', '=', photo.id).executeTakeFirst()).toBeUndefined();
    const held = await t.database.db.selectFrom('vouchers').select('status').where('id', '=', voucher.json().id).executeTakeFirstOrThrow();
    expect(held.status).toBe('cancelled');
    expect(await rowsOf('messages')).toEqual([]);
    expect(await rowsOf('rider_passes')).toEqual([]);
    // The street reports stay as the city's record, tied to an account that names no one.
    expect(await t.database.db.selectFrom('cases').select('id').where('reporter_id', '=', me.id).execute()).toHaveLength(reportsBefore.length);
    expect((await reconcile(t.database.db)).problems).toEqual([]);

    // The phone number is free again: logging in with it makes a new, empty account.
    const again = await t.loginPhone(phone);
    const fresh = (await t.request('GET', '/api/v1/me', { token: again })).json();
    expect(fresh.id).not.toBe(me.id);
  });
});
