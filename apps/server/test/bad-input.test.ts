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
  it('round, nomination, vote and story bodies of any shape are saved or refused with a 4xx, and a refusal writes nothing', async () => {
    const db = t.database.db;
    const street = await t.loginStaff('xinhua');
    const rows = async () => {
      const n = async (table: 'honor_rounds' | 'honor_nominees' | 'honor_votes' | 'stories') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      return [await n('honor_rounds'), await n('honor_nominees'), await n('honor_votes'), await n('stories')];
    };
    const round = (await t.request('POST', '/api/v1/honors/rounds', { token: street, body: { regionId: '440114001', title: '坏输入测试评选', periodKind: 'year', year: 2030, honorees: 1, nominationStartsAt: '2030-01-01T00:00:00Z', nominationEndsAt: '2030-01-02T00:00:00Z', votingStartsAt: '2030-01-03T00:00:00Z', votingEndsAt: '2030-01-04T00:00:00Z' } })).json();
    const text = fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom(...INJECTIONS));
    const when = fc.oneof(fc.constantFrom('2030-01-01T00:00:00Z', '2029-12-31T00:00:00+08:00', '2030-13-01T00:00:00Z', 'x', ''), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()));
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record(
        {
          regionId: fc.constantFrom('440114001', '440114001001', '440114002', '440114', 'x'),
          title: text,
          description: text,
          periodKind: fc.constantFrom('year', 'quarter', 'month'),
          year: fc.oneof(fc.integer({ min: 1900, max: 2200 }), fc.string({ maxLength: 4 })),
          quarter: fc.oneof(fc.constant(null), fc.integer({ min: -1, max: 6 })),
          honorees: fc.integer({ min: -2, max: 60 }),
          nominationStartsAt: when,
          nominationEndsAt: when,
          votingStartsAt: when,
          votingEndsAt: when,
          workerId: fc.oneof(fc.uuid(), fc.string({ maxLength: 10 })),
          reason: text,
          nomineeId: fc.oneof(fc.uuid(), fc.string({ maxLength: 10 })),
          body: text,
          kind: fc.constantFrom('story', 'moment', 'poem'),
          coverId: fc.oneof(fc.constant(null), fc.uuid()),
          photoIds: fc.oneof(fc.constant([]), fc.array(fc.oneof(fc.uuid(), fc.string()), { maxLength: 10 })),
          consented: fc.oneof(fc.boolean(), fc.string({ maxLength: 3 })),
        },
        { requiredKeys: [] },
      ),
    );
    const target = fc.constantFrom(
      { url: '/api/v1/honors/rounds', token: street },
      { url: `/api/v1/honors/rounds/${round.id}/nominees`, token: street },
      { url: `/api/v1/honors/rounds/${round.id}/votes`, token: worker.token },
      { url: `/api/v1/honors/rounds/${round.id}/publish`, token: street },
      { url: '/api/v1/stories/manage', token: street },
    );
    await fc.assert(
      fc.asyncProperty(target, body, async ({ url, token }, payload) => {
        const before = await rows();
        const res = await t.request('POST', url, { token, body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
        expect(res.statusCode, res.body).toBeLessThan(500);
        if (res.statusCode === 200) return;
        expect(res.statusCode).toBeGreaterThanOrEqual(400);
        expect(res.json().error.code).toMatch(/^[A-Z_]+$/);
        expect(await rows()).toEqual(before);
      }),
      { numRuns: 150 },
    );
    for (const url of ['/api/v1/honors/rolls?page=0', '/api/v1/honors/rolls/not-a-uuid', '/api/v1/stories?kind=poem', '/api/v1/stories?regionId=x']) {
      const res = await t.request('GET', url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
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

  it('activity bodies of any shape get a 4xx and write nothing', async () => {
    const db = t.database.db;
    const sanhua = await t.loginStaff('sanhua');
    const nobody = '00000000-0000-4000-8000-000000000000';
    const rows = async () => {
      const n = async (table: 'activities' | 'activity_signups' | 'activity_attendance') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      return [await n('activities'), await n('activity_signups'), await n('activity_attendance')];
    };
    const before = await rows();
    const target = fc.constantFrom(
      { url: '/api/v1/activities/manage', token: sanhua },
      { url: `/api/v1/activities/manage/${nobody}/moves`, token: sanhua },
      { url: `/api/v1/activities/manage/${nobody}/scan`, token: sanhua },
      { url: `/api/v1/activities/manage/${nobody}/messages`, token: sanhua },
      { url: `/api/v1/activities/signups/${nobody}/confirm`, token: sanhua },
      { url: '/api/v1/activities/checkins', token: worker.token },
    );
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record(
        {
          regionId: fc.constantFrom('440114001001', '440114', 'x', '440114002001'),
          kind: fc.constantFrom('volunteer', 'party', ''),
          title: fc.oneof(fc.string({ maxLength: 70 }), fc.constantFrom(...INJECTIONS)),
          startsAt: fc.constantFrom('2030-01-03T06:00:00Z', '2020-13-01', 'x'),
          endsAt: fc.constantFrom('2030-01-03T05:00:00Z', ''),
          capacity: fc.integer({ min: -5, max: 20000 }),
          lat: fc.double(),
          lng: fc.oneof(fc.double(), fc.string()),
        },
        { requiredKeys: [] },
      ),
      fc.record({ move: fc.constantFrom('publish', 'explode', ''), pass: fc.oneof(fc.string({ maxLength: 250 }), fc.constantFrom(...INJECTIONS)), mode: fc.constantFrom('in', 'out', 'sideways'), attended: fc.oneof(fc.boolean(), fc.string()), minutes: fc.integer({ min: -10, max: 5000 }) }, { requiredKeys: [] }),
      fc.record({ activityId: fc.oneof(fc.uuid(), fc.string()), code: fc.oneof(fc.stringMatching(/^\d{6}$/), fc.string({ maxLength: 8 })), mode: fc.constantFrom('in', 'out', 'x'), to: fc.constantFrom('enrolled', 'all'), title: fc.constantFrom(...INJECTIONS), body: fc.string({ maxLength: 600 }) }, { requiredKeys: [] }),
    );
    await fc.assert(
      fc.asyncProperty(target, body, async ({ url, token }, payload) => {
        const res = await t.request('POST', url, { token, body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
        expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
        expect(res.json().error.code).toMatch(/^[A-Z_]+$/);
      }),
      { numRuns: 150 },
    );
    expect(await rows()).toEqual(before);
  });

  it('notice and message-setting bodies of any shape are saved or refused with a 4xx, and a refusal writes nothing', async () => {
    const db = t.database.db;
    const staff = await t.loginStaff('sanhua');
    const notices = async () => Number((await db.selectFrom('notices').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record(
        {
          regionId: fc.constantFrom('440114001001', '440114002', '440114', 'x', ''),
          kind: fc.constantFrom('announcement', 'policy', 'initiative', 'other'),
          title: fc.oneof(fc.string({ maxLength: 90 }), fc.constantFrom(...INJECTIONS)),
          body: fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom(...INJECTIONS)),
          photoIds: fc.oneof(fc.constant([]), fc.array(fc.oneof(fc.uuid(), fc.string()), { maxLength: 10 })),
          pinned: fc.oneof(fc.boolean(), fc.string({ maxLength: 3 })),
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(body, async (payload) => {
        const before = await notices();
        const res = await t.request('POST', '/api/v1/notices', { token: staff, body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
        expect(res.statusCode, res.body).toBeLessThan(500);
        if (res.statusCode === 200) return;
        // A generated "__proto__" key is refused by the body parser itself (INVALID_JSON).
        expect(res.json().error.code).toMatch(/^(VALIDATION_FAILED|INVALID_JSON|OUT_OF_SCOPE|PHOTO_NOT_USABLE)$/);
        expect(await notices()).toBe(before);
      }),
      { numRuns: 100 },
    );
    const preferences = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.record({ preferences: fc.array(fc.record({ topic: fc.constantFrom('case', 'wish', 'spam', ''), inApp: fc.oneof(fc.boolean(), fc.integer()), outbound: fc.boolean() }, { requiredKeys: [] }), { maxLength: 12 }) }));
    await fc.assert(
      fc.asyncProperty(preferences, async (payload) => {
        const res = await t.request('PUT', '/api/v1/messages/preferences', { token: worker.token, body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
        expect(res.statusCode, res.body).toBeLessThan(500);
        if (res.statusCode !== 200) expect(res.json().error.code).toMatch(/^(VALIDATION_FAILED|INVALID_JSON)$/);
      }),
      { numRuns: 100 },
    );
    for (const url of ['/api/v1/notices/not-a-uuid', '/api/v1/messages?topic=spam', '/api/v1/notices?kind=x&page=0']) {
      expect((await t.request('GET', url, { token: worker.token })).json().error.code).toBe('VALIDATION_FAILED');
    }
    expect((await t.request('POST', '/api/v1/messages/not-a-uuid/read', { token: worker.token })).statusCode).toBe(400);
  });

  it('partner applications, donations, pledges and directory queries of any shape get a 4xx (or a 200) and a refusal writes nothing', async () => {
    const db = t.database.db;
    const street = await t.loginStaff('xinhua');
    const rows = async () => {
      const n = async (table: 'partners' | 'partner_donations' | 'pledges' | 'pledge_signatures') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      return [await n('partners'), await n('partner_donations'), await n('pledges'), await n('pledge_signatures')];
    };
    const text = fc.oneof(fc.string({ maxLength: 130 }), fc.constantFrom(...INJECTIONS));
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record(
        {
          regionId: fc.constantFrom('440114001001', '440114', '440114009009', 'x'),
          name: text,
          kind: fc.constantFrom('merchant', 'bank', ''),
          address: text,
          lat: fc.oneof(fc.double(), fc.constant(23.4)),
          lng: fc.oneof(fc.double(), fc.constant(113.2)),
          contactName: text,
          contactPhone: fc.oneof(fc.constant('13912345678'), fc.string({ maxLength: 12 })),
          benefits: fc.array(fc.record({ type: fc.constantFrom('discount', 'night_window', 'spa'), text, schedule: fc.oneof(fc.constant(null), text) }, { requiredKeys: [] }), { maxLength: 12 }),
          item: text,
          quantity: fc.oneof(fc.integer({ min: -5, max: 2_000_000 }), fc.double()),
          donatedOn: fc.constantFrom('2026-11-01', '2026-13-01', 'x'),
          title: text,
          body: text,
        },
        { requiredKeys: [] },
      ),
    );
    const target = fc.constantFrom('/api/v1/partners/applications', '/api/v1/partners/donations', '/api/v1/pledges');
    await fc.assert(
      fc.asyncProperty(target, body, async (url, payload) => {
        const before = await rows();
        const res = await t.request('POST', url, { token: street, body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
        expect(res.statusCode, res.body).toBeLessThan(500);
        if (res.statusCode === 200) return;
        expect(res.json().error.code).toMatch(/^[A-Z_]+$/);
        expect(await rows()).toEqual(before);
      }),
      { numRuns: 150 },
    );
    const param = fc.constantFrom('lat', 'lng', 'kind', 'benefit', 'regionId', 'q', 'page', 'pageSize', 'x');
    const value = fc.oneof(fc.string({ maxLength: 30 }), fc.double({ noNaN: false }).map(String), fc.constantFrom('23.4', '113.2', 'merchant', 'night_window', '440114', '', '0', '101'));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(param, value), { maxLength: 6 }), async (pairs) => {
        const res = await t.request('GET', `/api/v1/partners?${new URLSearchParams(pairs).toString()}`);
        expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
        if (res.statusCode !== 200) expect(res.json().error.code).toBe('VALIDATION_FAILED');
      }),
      { numRuns: 100 },
    );
    for (const url of ['/api/v1/partners/not-a-uuid', '/api/v1/pledges/community/abc']) expect((await t.request('GET', url)).json().error.code).toBe('VALIDATION_FAILED');
    expect((await t.request('POST', '/api/v1/partners/manage/not-a-uuid/moves', { token: street, body: { move: 'approve' } })).statusCode).toBe(400);
    expect((await t.request('POST', `/api/v1/partners/manage/${worker.userId}/moves`, { token: street, body: { move: 'fly' } })).json().error.code).toBe('VALIDATION_FAILED');
  });

  it('organization, membership and grid-member bodies of any shape get a 4xx and write nothing', async () => {
    const db = t.database.db;
    const sanhua = await t.loginStaff('sanhua');
    const nobody = '00000000-0000-4000-8000-000000000000';
    const rows = async () => {
      const n = async (table: 'organizations' | 'organization_members' | 'grid_members') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      return [await n('organizations'), await n('organization_members'), await n('grid_members')];
    };
    const before = await rows();
    const target = fc.constantFrom(
      { url: '/api/v1/organizations', token: sanhua },
      { url: `/api/v1/organizations/${nobody}/dissolve`, token: sanhua },
      { url: `/api/v1/organizations/${nobody}/members`, token: sanhua },
      { url: `/api/v1/organizations/memberships/${nobody}/verify`, token: sanhua },
      { url: `/api/v1/organizations/memberships/${nobody}/reject`, token: sanhua },
      { url: `/api/v1/organizations/grid-members/${nobody}/appoint`, token: sanhua },
      { url: '/api/v1/organizations/memberships', token: worker.token },
    );
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record(
        {
          regionId: fc.constantFrom('440114001001', '440114', 'x', '440114001001001'),
          kind: fc.constantFrom('party_branch', 'club', ''),
          // Never a usable name (too short, too long or markup), so no body here can create an organization.
          name: fc.oneof(fc.string({ maxLength: 1 }), fc.string({ minLength: 41, maxLength: 60 }), fc.constantFrom(...INJECTIONS)),
          leaderIds: fc.array(fc.oneof(fc.uuid(), fc.string()), { maxLength: 7 }),
          stationId: fc.oneof(fc.uuid(), fc.constant(null), fc.string()),
        },
        { requiredKeys: [] },
      ),
      fc.record(
        {
          organizationId: fc.oneof(fc.constant(nobody), fc.string()),
          partyStatus: fc.constantFrom('formal', 'boss', null),
          joinedOn: fc.constantFrom('2020-01-01', '2099-01-01', '2020-02-30', 'x', null),
          photoIds: fc.array(fc.oneof(fc.uuid(), fc.string()), { maxLength: 5 }),
          reason: fc.oneof(fc.string({ maxLength: 250 }), fc.constantFrom(...INJECTIONS)),
          gridId: fc.constantFrom('440114001001001', '440114001001', 'x'),
          appointedOn: fc.constantFrom('2026-01-01', 'x'),
          termEndsOn: fc.constantFrom('2025-01-01', '2028-01-01', ''),
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(target, body, async ({ url, token }, payload) => {
        const res = await t.request('POST', url, { token, body: JSON.stringify(payload), headers: { 'content-type': 'application/json', 'idempotency-key': `bad-input-${Math.random().toString(36).slice(2)}` } });
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
  it('wish bodies and wall queries of any shape get a 4xx (or the wall a 200) and write nothing', async () => {
    const db = t.database.db;
    const sanhua = await t.loginStaff('sanhua');
    const xinhua = await t.loginStaff('xinhua');
    const open = await db.selectFrom('wishes').select('id').where('status', '=', 'published').executeTakeFirstOrThrow();
    const rows = async () => {
      const n = async (table: 'wishes' | 'wish_events' | 'wish_settings') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      return [await n('wishes'), await n('wish_events'), await n('wish_settings')];
    };
    const before = await rows();
    const target = fc.constantFrom(
      { method: 'POST', url: '/api/v1/wishes', token: worker.token },
      { method: 'POST', url: `/api/v1/wishes/${open.id}/fulfil`, token: worker.token },
      { method: 'POST', url: `/api/v1/wishes/${open.id}/offline`, token: sanhua },
      { method: 'POST', url: `/api/v1/wishes/${open.id}/reject`, token: sanhua },
      { method: 'PUT', url: '/api/v1/wishes/settings/440114001', token: xinhua },
    );
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record(
        {
          kind: fc.constantFrom('item', 'service', 'money', ''),
          title: fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom(...INJECTIONS)),
          description: fc.oneof(fc.string({ maxLength: 400 }), fc.constantFrom(...INJECTIONS)),
          // Never a valid value (1–200 with the demo cap), so no generated wish can be filed.
          valueYuan: fc.oneof(fc.integer({ min: -10, max: 0 }), fc.integer({ min: 201, max: 1_000_000 }), fc.double().filter((v) => !Number.isInteger(v)), fc.string({ maxLength: 4 })),
          photoIds: fc.oneof(fc.constant([]), fc.array(fc.uuid(), { maxLength: 12 }), fc.string()),
        },
        { requiredKeys: ['valueYuan'] },
      ),
      fc.record({ note: fc.oneof(fc.string({ maxLength: 400 }), fc.constantFrom(...INJECTIONS), fc.constant('')), donorName: fc.oneof(fc.string({ maxLength: 50 }), fc.constantFrom(...INJECTIONS)), photoIds: fc.oneof(fc.constant([]), fc.array(fc.uuid(), { maxLength: 3 })) }, { requiredKeys: [] }),
      fc.record({ valueCapYuan: fc.oneof(fc.integer({ min: -5, max: 200_000 }), fc.string()), claimDays: fc.oneof(fc.integer({ min: -5, max: 100 }), fc.double()) }, { requiredKeys: [] }).filter((b) => !(Number.isInteger(b.valueCapYuan) && Number.isInteger(b.claimDays))),
    );
    await fc.assert(
      fc.asyncProperty(target, body, async ({ method, url, token }, payload) => {
        const res = await t.request(method, url, { token, body: JSON.stringify(payload), headers: { 'content-type': 'application/json', 'idempotency-key': `bad-${Math.random().toString(36).slice(2)}` } });
        expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
        expect(res.json().error.code).toMatch(/^[A-Z_]+$/);
      }),
      { numRuns: 150 },
    );
    expect(await rows()).toEqual(before);
    const param = fc.constantFrom('regionId', 'status', 'kind', 'q', 'page', 'pageSize', 'x');
    const value = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('440114', '440114001', 'published', 'cancelled', 'item', '%', '_', '0', '-1', '101', ...INJECTIONS));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(param, value), { maxLength: 5 }), async (pairs) => {
        const res = await t.request('GET', `/api/v1/wishes/wall?${new URLSearchParams(pairs).toString()}`);
        expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
        if (res.statusCode !== 200) expect(res.json().error.code).toBe('VALIDATION_FAILED');
      }),
      { numRuns: 150 },
    );
  });
  it('guide places and pass codes of any shape get a 4xx and write nothing', async () => {
    const db = t.database.db;
    const grid01 = await t.loginStaff('grid01');
    const rows = async () => {
      const n = async (table: 'guide_places' | 'rider_passes') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      return [await n('guide_places'), await n('rider_passes')];
    };
    const place = (await db.selectFrom('guide_places').select('id').where('state', '=', 'pending').limit(1).executeTakeFirstOrThrow()).id;
    const before = await rows();
    const coordinate = fc.oneof(fc.double(), fc.integer({ min: -1000, max: 1000 }).map((n) => n / 1), fc.constantFrom(91, -91, 181, -181, '23.4', null, 'NaN', Infinity), fc.string({ maxLength: 6 }));
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record({ kind: fc.constantFrom('parking', 'charging', 'gate', 'compound', 'toilet', ''), name: fc.oneof(fc.string({ maxLength: 70 }), fc.constantFrom(...INJECTIONS)), lat: coordinate, lng: coordinate, gate: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: ['lat'] })
        // A body that happens to be a valid place far from every station is refused too; one near 花都 would be stored.
        .filter((b) => !(typeof b.lat === 'number' && Math.abs(b.lat - 23.4) < 1)),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom({ method: 'POST', url: '/api/v1/guide/places', token: worker.token }, { method: 'PUT', url: `/api/v1/guide/places/${place}`, token: grid01 }), body, async ({ method, url, token }, payload) => {
        const res = await t.request(method, url, { token, body: JSON.stringify(payload), headers: { 'content-type': 'application/json', 'idempotency-key': `bad-${Math.random().toString(36).slice(2)}` } });
        expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
        expect(res.json().error.code).toMatch(/^[A-Z_]+$/);
      }),
      { numRuns: 150 },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 120 }), fc.constantFrom(...INJECTIONS), fc.stringMatching(/^NXP-[2-9A-HJKMNP-Z]{8}-\d{6}$/)), async (text) => {
        const res = await t.request('POST', '/api/v1/guide/pass/scans', { token: grid01, body: { text } });
        expect([400, 409, 429]).toContain(res.statusCode);
        expect(res.json().error.code).toMatch(/^(VALIDATION_FAILED|PASS_CODE_INVALID|PASS_CODE_EXPIRED|PASS_TOO_MANY_TRIES)$/);
      }),
      { numRuns: 60 },
    );
    expect(await rows()).toEqual(before);
  });
});
