import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DB_KINDS, createTestApp, uniquePhone, type TestApp } from './harness.ts';

const INJECTIONS = [
  "' OR 1=1 --",
  "Robert'); DROP TABLE users;--",
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '${7*7}',
  '{{7*7}}',
  'a\u0000b',
  '\u202e反转',
  'x'.repeat(500),
];

/** Row counts that bad input must leave untouched. */
async function snapshot(t: TestApp) {
  const db = t.database.db;
  const count = async (table: 'users' | 'worker_profiles' | 'sessions') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { users: await count('users'), profiles: await count('worker_profiles'), sessions: await count('sessions') };
}

describe.each(DB_KINDS)('bad input on %s', (kind) => {
  let t: TestApp;
  let worker: { token: string; userId: string };
  beforeAll(async () => {
    t = await createTestApp(kind);
    worker = await t.newWorker();
  });
  afterAll(async () => t?.close());

  it('any JSON value sent to login, sms-code or registration gets a 4xx with a code and changes nothing', async () => {
    const before = await snapshot(t);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/api/v1/auth/login', '/api/v1/auth/sms-code', '/api/v1/me/profile'), fc.jsonValue({ maxDepth: 4 }), async (url, body) => {
        const res = await t.request(url.endsWith('profile') ? 'PUT' : 'POST', url, { body: JSON.stringify(body), token: worker.token, headers: { 'content-type': 'application/json' } });
        expect(res.statusCode).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
        expect(res.json().error.code).toMatch(/^[A-Z_]+$/);
      }),
      { numRuns: 150 },
    );
    expect(await snapshot(t)).toEqual(before);
  });

  it('any string in any registration field is stored as given or refused with VALIDATION_FAILED, never a 5xx', async () => {
    const field = fc.constantFrom('name', 'platformCompany', 'vehicle', 'homeCommunityId', 'occupation');
    await fc.assert(
      fc.asyncProperty(field, fc.string({ unit: 'binary', maxLength: 60 }), async (key, value) => {
        const body = { name: '测试', occupation: 'rider', platformCompany: '美团', vehicle: null, homeCommunityId: '440114001001', [key]: value };
        const res = await t.request('PUT', '/api/v1/me/profile', { token: worker.token, body });
        expect([200, 400, 404]).toContain(res.statusCode);
        if (res.statusCode === 200 && key === 'name') expect(res.json().name).toBe(value.trim());
        if (res.statusCode !== 200) expect(res.json().error.code).toMatch(/^(VALIDATION_FAILED|REGION_NOT_FOUND|REGION_NOT_COMMUNITY)$/);
      }),
      { numRuns: 150 },
    );
  });

  it('refuses injection and markup in every text field of registration and login', async () => {
    const before = await snapshot(t);
    const fresh = await t.loginPhone(uniquePhone());
    const after = await snapshot(t);
    for (const attack of INJECTIONS) {
      for (const key of ['name', 'platformCompany', 'vehicle']) {
        const res = await t.request('PUT', '/api/v1/me/profile', { token: fresh, body: { name: '测试', occupation: 'rider', homeCommunityId: '440114001001', [key]: attack } });
        expect(res.statusCode, `${key}=${attack}`).toBe(400);
        expect(res.json().error.code).toBe('VALIDATION_FAILED');
      }
      for (const body of [{ phone: attack }, { phone: attack, code: '123456' }, { phone: '13900000001', code: attack }, { username: attack, password: attack }]) {
        const res = await t.request('POST', body.code === undefined && !('username' in body) ? '/api/v1/auth/sms-code' : '/api/v1/auth/login', { body });
        expect(res.statusCode, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
      }
    }
    expect(await snapshot(t)).toEqual(after);
    expect(after.users).toBe(before.users + 1);
    const me = await t.request('GET', '/api/v1/me', { token: fresh });
    expect(me.json().profileComplete).toBe(false);
  });

  it('a report with any position, category or text is filed or refused with a 4xx, and a refusal writes nothing', async () => {
    const category = await t.database.db.selectFrom('case_categories').select('id').where('code', '=', 'env.garbage').executeTakeFirstOrThrow();
    const top = await t.database.db.selectFrom('case_categories').select('id').where('code', '=', 'env').executeTakeFirstOrThrow();
    const cases = async () => Number((await t.database.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const body = fc.record(
      {
        categoryId: fc.oneof(fc.constant(category.id), fc.constant(top.id), fc.uuid(), fc.string({ maxLength: 40 })),
        lat: fc.oneof(fc.double({ min: -200, max: 200, noNaN: true }), fc.double({ min: 23.36, max: 23.41, noNaN: true }), fc.string({ maxLength: 5 })),
        lng: fc.oneof(fc.double({ min: -400, max: 400, noNaN: true }), fc.double({ min: 113.21, max: 113.24, noNaN: true })),
        description: fc.oneof(fc.string({ maxLength: 600 }), fc.constantFrom(...INJECTIONS)),
        address: fc.oneof(fc.constant(null), fc.string({ maxLength: 250 })),
        photoIds: fc.oneof(fc.constant([]), fc.array(fc.uuid(), { maxLength: 12 })),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(body, async (report) => {
        const before = await cases();
        const res = await t.request('POST', '/api/v1/cases', { token: worker.token, body: report, headers: { 'idempotency-key': `bad-${Math.random().toString(36).slice(2)}` } });
        expect(res.statusCode, res.body).toBeLessThan(500);
        if (res.statusCode === 200) return;
        expect(res.statusCode).toBeGreaterThanOrEqual(400);
        expect(res.json().error.code).toMatch(/^(VALIDATION_FAILED|CATEGORY_NOT_FOUND|POSITION_OUT_OF_RANGE|PHOTO_NOT_USABLE)$/);
        expect(await cases()).toBe(before);
      }),
      { numRuns: 150 },
    );
  });

  it('answers malformed, oversized, deep and mistyped requests with stable codes', async () => {
    const post = (payload: string, type = 'application/json') =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload, headers: { 'content-type': type } });
    expect((await post('{bad')).json().error.code).toBe('INVALID_JSON');
    expect((await post('')).json().error.code).toBe('INVALID_JSON');
    expect((await post('{"__proto__":{"x":1},"phone":"13900000001","code":"123456"}')).statusCode).toBe(400);
    expect((await post('phone=1', 'application/x-www-form-urlencoded')).json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const huge = await post(JSON.stringify({ username: 'a'.repeat(2 * 1024 * 1024), password: 'x' }));
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    const deep = await post('['.repeat(5000) + ']'.repeat(5000));
    expect(deep.statusCode).toBe(400);
    const wrongType = await t.request('POST', '/api/v1/auth/login', { body: { phone: 13900000001, code: 123456 }, headers: { 'accept-language': 'en-US,en;q=0.9' } });
    expect(wrongType.json().error).toMatchObject({ code: 'VALIDATION_FAILED', message: 'Some fields are invalid' });
    const badQuery = await t.request('GET', '/api/v1/users?page=-1&pageSize=abc', { token: await t.loginStaff('district') });
    expect(badQuery.statusCode).toBe(400);
    const badId = await t.request('PATCH', '/api/v1/users/not-a-uuid/status', { token: await t.loginStaff('district'), body: { status: 'disabled' } });
    expect(badId.json().error.code).toBe('VALIDATION_FAILED');
  });
  it('check-in, rating, booking and session bodies of any shape get a 4xx and write nothing', async () => {
    const db = t.database.db;
    const station = (await db.selectFrom('stations').select('id').where('name', '=', '三华社区暖新驿站').executeTakeFirstOrThrow()).id;
    const keeper = await t.loginStaff('keeper01');
    const rows = async () => {
      const n = async (table: 'station_visits' | 'station_ratings' | 'station_bookings' | 'station_sessions') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      return [await n('station_visits'), await n('station_ratings'), await n('station_bookings'), await n('station_sessions')];
    };
    const before = await rows();
    const target = fc.constantFrom(
      { url: '/api/v1/stations/checkins', token: worker.token },
      { url: `/api/v1/stations/visits/${station}/rating`, token: worker.token },
      { url: `/api/v1/stations/sessions/${station}/bookings`, token: worker.token },
      { url: `/api/v1/stations/${station}/sessions`, token: keeper },
    );
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record({ stationId: fc.oneof(fc.uuid(), fc.constant(station), fc.string()), code: fc.oneof(fc.stringMatching(/^\d{6}$/), fc.string({ maxLength: 8 }), fc.integer()) }, { requiredKeys: [] }),
      fc.record({ stars: fc.oneof(fc.integer({ min: -2, max: 8 }), fc.double()), feedback: fc.oneof(fc.string({ maxLength: 600 }), fc.constantFrom(...INJECTIONS)) }, { requiredKeys: [] }),
      fc.record({ occursOn: fc.oneof(fc.string({ maxLength: 12 }), fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))) }, { requiredKeys: [] }),
      fc.record(
        { title: fc.oneof(fc.string({ maxLength: 70 }), fc.constantFrom(...INJECTIONS)), capacity: fc.integer({ min: -5, max: 2000 }), recurrence: fc.constantFrom('once', 'weekly', 'daily'), startsOn: fc.constantFrom('2020-01-01', '2026-13-01', 'x'), startTime: fc.constantFrom('14:00', '24:00', '9:00'), endTime: fc.constantFrom('13:00', '17:00', '') },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(target, body, async ({ url, token }, payload) => {
        const res = await t.request('POST', url, { token, body: JSON.stringify(payload), headers: { 'content-type': 'application/json', 'idempotency-key': `bad-${Math.random().toString(36).slice(2)}` } });
        expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
        expect(res.json().error.code).toMatch(/^[A-Z_]+$/);
      }),
      { numRuns: 150 },
    );
    expect(await rows()).toEqual(before);
  });

  it('any query to the public case map or Open311 GET requests gets a 200 or a 4xx in its own format, never a 5xx', async () => {
    const param = fc.constantFrom('south', 'west', 'north', 'east', 'lat', 'lng', 'radius', 'limit', 'status', 'start_date', 'end_date', 'service_code', 'service_request_id', 'jurisdiction_id', 'x');
    const value = fc.oneof(fc.string({ maxLength: 30 }), fc.double({ noNaN: false }).map(String), fc.constantFrom('23.4', '113.2', 'open', 'closed', '2026-01-01', 'env.vending', '440114', '', ','));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/api/v1/cases/public', '/open311/v2/requests.json', '/open311/v2/requests.xml'), fc.array(fc.tuple(param, value), { maxLength: 6 }), async (path, pairs) => {
        const res = await t.request('GET', `${path}?${new URLSearchParams(pairs).toString()}`);
        expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
        if (res.statusCode === 200) return;
        if (path.startsWith('/api/')) expect(res.json().error.code).toBe('VALIDATION_FAILED');
        else if (path.endsWith('.json')) expect(res.json()).toEqual([{ code: res.statusCode, description: expect.any(String) }]);
        else expect(res.body).toContain(`<errors><error><code>${res.statusCode}</code>`);
      }),
      { numRuns: 150 },
    );
  });
});
