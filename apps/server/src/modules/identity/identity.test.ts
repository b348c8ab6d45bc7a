import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DB_KINDS, createTestApp, uniquePhone, type TestApp } from '../../../test/harness.ts';

describe.each(DB_KINDS)('identity on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => t?.close());

  describe('SMS login', () => {
    it('creates a worker account for a new phone, which then completes its profile', async () => {
      const phone = uniquePhone();
      const token = await t.loginPhone(phone);
      const me = await t.request('GET', '/api/v1/me', { token });
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ role: 'worker', profileComplete: false, phoneMasked: `${phone.slice(0, 3)}****${phone.slice(7)}` });

      const saved = await t.request('PUT', '/api/v1/me/profile', {
        token,
        body: { name: '欧阳·骑手', occupation: 'courier', platformCompany: '顺丰', homeCommunityId: '440114002001' },
      });
      expect(saved.statusCode).toBe(200);
      expect(saved.json()).toMatchObject({
        name: '欧阳·骑手',
        profileComplete: true,
        regionId: '440114002001',
        regionName: '广塘社区',
        profile: { occupation: 'courier', platformCompany: '顺丰', vehicle: null, homeCommunityName: '广塘社区' },
      });
      // The session's cached region follows the move to the home community.
      expect((await t.request('GET', '/api/v1/me', { token })).json().regionId).toBe('440114002001');
    });

    it('logs an existing worker into the same account', async () => {
      const token = await t.loginPhone('13900000001');
      expect((await t.request('GET', '/api/v1/me', { token })).json()).toMatchObject({ name: '张伟', role: 'worker', profileComplete: true });
    });

    it('refuses a wrong code, locks after 5 tries, and a used code cannot be reused', async () => {
      const phone = uniquePhone();
      await t.request('POST', '/api/v1/auth/sms-code', { body: { phone } });
      const right = t.sms.sent.get(phone)!;
      const wrong = right === '000000' ? '111111' : '000000';
      const codes: string[] = [];
      for (let i = 0; i < 5; i++) codes.push((await t.request('POST', '/api/v1/auth/login', { body: { phone, code: wrong } })).json().error.code);
      expect(codes).toEqual(['SMS_CODE_INVALID', 'SMS_CODE_INVALID', 'SMS_CODE_INVALID', 'SMS_CODE_INVALID', 'SMS_CODE_LOCKED']);
      const after = await t.request('POST', '/api/v1/auth/login', { body: { phone, code: right } });
      expect(after.statusCode).toBe(429);
      expect(after.json().error.code).toBe('SMS_CODE_LOCKED');

      await t.request('POST', '/api/v1/auth/sms-code', { body: { phone } });
      const fresh = t.sms.sent.get(phone)!;
      expect((await t.request('POST', '/api/v1/auth/login', { body: { phone, code: fresh } })).statusCode).toBe(200);
      expect((await t.request('POST', '/api/v1/auth/login', { body: { phone, code: fresh } })).statusCode).toBe(401);
    });

    it('refuses an expired code', async () => {
      const phone = uniquePhone();
      await t.request('POST', '/api/v1/auth/sms-code', { body: { phone } });
      await sql`update sms_codes set expires_at = now() - interval '1 second' where phone = ${phone}`.execute(t.database.db);
      const res = await t.request('POST', '/api/v1/auth/login', { body: { phone, code: t.sms.sent.get(phone) } });
      expect(res.json().error.code).toBe('SMS_CODE_EXPIRED');
    });

    it('limits how often one phone and one address may ask for a code, in the caller’s language', async () => {
      const strict = await createTestApp(kind, { authLimits: { resendSeconds: 60, perIpPerHour: 3 } });
      try {
        const phone = uniquePhone();
        expect((await strict.request('POST', '/api/v1/auth/sms-code', { body: { phone } })).statusCode).toBe(204);
        const again = await strict.request('POST', '/api/v1/auth/sms-code', { body: { phone }, headers: { 'accept-language': 'en' } });
        expect(again.statusCode).toBe(429);
        expect(again.json().error).toMatchObject({ code: 'SMS_TOO_FREQUENT', details: { seconds: expect.any(Number) } });
        expect(again.json().error.message).toMatch(/^Please wait \d+ seconds/);
        await strict.request('POST', '/api/v1/auth/sms-code', { body: { phone: uniquePhone() } });
        await strict.request('POST', '/api/v1/auth/sms-code', { body: { phone: uniquePhone() } });
        const fourth = await strict.request('POST', '/api/v1/auth/sms-code', { body: { phone: uniquePhone() } });
        expect(fourth.json().error).toMatchObject({ code: 'RATE_LIMITED', message: '操作太频繁，请稍后再试' });
      } finally {
        await strict.close();
      }
    });
  });

  describe('password login and sessions', () => {
    it('logs staff in and answers wrong passwords alike for unknown users', async () => {
      const token = await t.loginStaff('xinhua');
      expect((await t.request('GET', '/api/v1/me', { token })).json()).toMatchObject({ role: 'street_admin', regionName: '新华街道', stationId: null });
      // A keeper's console links "station info" to the station they keep.
      const keeper = (await t.request('GET', '/api/v1/me', { token: await t.loginStaff('keeper01') })).json();
      const kept = await t.database.db.selectFrom('stations').select('id').where('name', '=', '三华社区暖新驿站').executeTakeFirstOrThrow();
      expect(keeper).toMatchObject({ role: 'station_keeper', organization: '三华社区暖新驿站', stationId: kept.id });
      const wrong = await t.request('POST', '/api/v1/auth/login', { body: { username: 'xinhua', password: 'nope' } });
      const unknown = await t.request('POST', '/api/v1/auth/login', { body: { username: 'nobody', password: 'nope' } });
      expect([wrong.statusCode, unknown.statusCode]).toEqual([401, 401]);
      expect(wrong.json()).toEqual(unknown.json());
    });

    it('logout revokes the token at once', async () => {
      const token = await t.loginStaff('grid01');
      expect((await t.request('GET', '/api/v1/me', { token })).statusCode).toBe(200);
      expect((await t.request('POST', '/api/v1/auth/logout', { token })).statusCode).toBe(204);
      expect((await t.request('GET', '/api/v1/me', { token })).statusCode).toBe(401);
    });

    it('a disabled account is logged out everywhere and cannot log in', async () => {
      const worker = await t.newWorker('440114001001');
      const admin = await t.loginStaff('sanhua');
      const res = await t.request('PATCH', `/api/v1/users/${worker.userId}/status`, { token: admin, body: { status: 'disabled' } });
      expect(res.statusCode).toBe(200);
      expect(res.json().status).toBe('disabled');
      expect((await t.request('GET', '/api/v1/me', { token: worker.token })).statusCode).toBe(401);
      await t.request('POST', '/api/v1/auth/sms-code', { body: { phone: worker.phone } });
      const login = await t.request('POST', '/api/v1/auth/login', { body: { phone: worker.phone, code: t.sms.sent.get(worker.phone) } });
      expect(login.json().error.code).toBe('ACCOUNT_DISABLED');

      const audit = await t.database.db.selectFrom('audit_log').selectAll().where('entity_id', '=', worker.userId).execute();
      expect(audit.map((a) => a.action)).toContain('user.disable');
    });
  });

  describe('people in a region', () => {
    it('lists only people inside the caller’s region, masks phones, and audits the read', async () => {
      const token = await t.loginStaff('sanhua');
      const res = await t.request('GET', '/api/v1/users?pageSize=100', { token });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.items.length).toBeGreaterThan(0);
      for (const person of body.items) {
        expect(person.regionId.startsWith('440114001001')).toBe(true);
        expect(person.phoneMasked ?? '').not.toMatch(/\d{11}/);
      }
      const reads = await t.database.db.selectFrom('audit_log').select('action').where('action', '=', 'people.read').execute();
      expect(reads.length).toBeGreaterThan(0);
    });

    it('refuses a filter or an action outside the caller’s region', async () => {
      const token = await t.loginStaff('sanhua');
      const other = await t.request('GET', '/api/v1/users?regionId=440114002', { token });
      expect(other.statusCode).toBe(403);
      expect(other.json().error.code).toBe('OUT_OF_SCOPE');
      const outsider = await t.newWorker('440114002002');
      const res = await t.request('POST', `/api/v1/users/${outsider.userId}/revoke-sessions`, { token });
      expect(res.json().error.code).toBe('OUT_OF_SCOPE');
      expect((await t.request('GET', '/api/v1/me', { token: outsider.token })).statusCode).toBe(200);
    });

    it('finds a person by a whole phone number but never by part of one', async () => {
      const token = await t.loginStaff('district');
      const whole = await t.request('GET', '/api/v1/users?q=13900000002', { token });
      expect(whole.json().items.map((p: { name: string }) => p.name)).toEqual(['李娜']);
      const part = await t.request('GET', '/api/v1/users?q=1390000', { token });
      expect(part.json().total).toBe(0);
    });

    it('summarises head counts within the region', async () => {
      const token = await t.loginStaff('xinhua');
      const res = await t.request('GET', '/api/v1/summary', { token });
      expect(res.json()).toMatchObject({ regionId: '440114001', regionName: '新华街道', communities: 2, stations: 6 });
    });
  });

  it('lists the departments cases go to, without logging in', async () => {
    const res = await t.request('GET', '/api/v1/departments');
    expect(res.statusCode).toBe(200);
    const names = res.json().map((d: { name: string }) => d.name);
    expect(names).toContain('区城市管理和综合执法局');
    expect(names).toContain('新华街道综合行政执法队');
  });

  it('grid staff look after the workers of their grid’s community, and no further', async () => {
    const token = await t.loginStaff('grid01'); // 三华社区第一网格
    const res = await t.request('GET', '/api/v1/users?role=worker&pageSize=100', { token });
    expect(res.statusCode).toBe(200);
    const names = res.json().items.map((p: { name: string }) => p.name);
    expect(names).toContain('张伟'); // lives in 三华社区
    expect(names).not.toContain('李娜'); // 公益社区
  });

  describe('audit log', () => {
    it('is append-only in the database itself', async () => {
      await expect(sql`update audit_log set action = 'x'`.execute(t.database.db)).rejects.toThrow(/append-only/);
      await expect(sql`delete from audit_log`.execute(t.database.db)).rejects.toThrow(/append-only/);
    });

    it('shows staff actions in the admin’s region, newest first', async () => {
      const token = await t.loginStaff('district');
      const res = await t.request('GET', '/api/v1/audit?pageSize=5', { token });
      expect(res.statusCode).toBe(200);
      const ids = res.json().items.map((a: { id: string }) => Number(a.id));
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
    });
  });
});
