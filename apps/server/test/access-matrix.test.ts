import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, actingScope, isWithin, type Role } from '@nuanxin/shared';
import { DB_KINDS, createTestApp, type TestApp } from './harness.ts';

/** One demo account per role, all inside 新华街道 (440114001) except the district admin. */
const ACCOUNT: Record<Role, { username?: string; phone?: string }> = {
  worker: { phone: '13900000001' },
  grid_staff: { username: 'grid01' },
  community_admin: { username: 'sanhua' },
  street_admin: { username: 'xinhua' },
  district_admin: { username: 'district' },
  department_handler: { username: 'chengguan' },
  partner_staff: { username: 'barber' },
  station_keeper: { username: 'keeper01' },
};

const CASE_LIMITS = { dispatch: 30, acknowledge: 60, handle: 240, verify: 60 };
const STATION_SAMPLE = { regionId: '440114001001', name: '矩阵测试驿站', type: 'nuanxin', address: '矩阵路1号', lat: 23.4, lng: 113.2, weeklyHours: [[], [], [], [], [], [], []] };

/**
 * A valid body for every route that takes one, so the "wrong region" cell reaches the service.
 * A new route with a body fails this test until it gets a sample here.
 */
const SAMPLE_BODIES: Record<string, unknown> = {
  'POST /api/v1/notices': { regionId: '440114001', kind: 'announcement', title: '矩阵测试通知', body: '矩阵' },
  'PUT /api/v1/notices/:id': { regionId: '440114001', kind: 'announcement', title: '矩阵测试通知', body: '矩阵' },
  'POST /api/v1/notices/:id/move': { action: 'publish' },
  'POST /api/v1/messages/read-all': {},
  'PUT /api/v1/messages/preferences': { preferences: [{ topic: 'case', inApp: true, outbound: false }] },
  'POST /api/v1/auth/sms-code': { phone: '13912345678' },
  'POST /api/v1/auth/login': { username: 'nobody', password: 'x' },
  'PUT /api/v1/me/profile': { name: '测试', occupation: 'rider', homeCommunityId: '440114001001' },
  'PATCH /api/v1/users/:id/status': { status: 'active' },
  'PUT /api/v1/points/me/privacy': { public: true },
  'POST /api/v1/points/rules': { regionId: '440114001', category: 'care', name: '矩阵测试规则', points: 1 },
  'PUT /api/v1/points/rules/:id': { regionId: '440114001', category: 'care', name: '矩阵测试规则', points: 1 },
  'PUT /api/v1/points/settings/:regionId': { redemptionDays: [], expiryYears: 1 },
  'POST /api/v1/points/claims': { ruleId: '00000000-0000-4000-8000-000000000000', note: '矩阵测试', occurredOn: '2026-01-01' },
  'POST /api/v1/points/claims/:id/review': { decision: 'reject' },
  'POST /api/v1/points/awards': { workerId: '00000000-0000-4000-8000-000000000000', ruleId: '00000000-0000-4000-8000-000000000000', note: '矩阵测试' },
  'POST /api/v1/points/awards/batch': { ruleId: '00000000-0000-4000-8000-000000000000', note: '矩阵测试', workerIds: ['00000000-0000-4000-8000-000000000000'] },
  'POST /api/v1/points/transfers/:id/reverse': { reason: '矩阵测试' },
  'POST /api/v1/rewards': { name: '矩阵测试', kind: 'service', pointsPrice: 1, stock: 1 },
  'PUT /api/v1/rewards/:id': { name: '矩阵测试', kind: 'service', pointsPrice: 1, stock: 1 },
  'POST /api/v1/rewards/:id/review': { decision: 'publish' },
  'POST /api/v1/vouchers/fulfil': { code: 'ABCDEFGH' },
  'POST /api/v1/cases/categories': { regionId: '440114', code: 'matrix', name: '矩阵测试', limits: CASE_LIMITS, urgentLimits: CASE_LIMITS },
  'PUT /api/v1/cases/categories/:id': { regionId: '440114', code: 'matrix', name: '矩阵测试', limits: CASE_LIMITS, urgentLimits: CASE_LIMITS },
  'POST /api/v1/cases': { categoryId: '00000000-0000-4000-8000-000000000000', lat: 23.4, lng: 113.2 },
  'POST /api/v1/cases/:id/rate': { stars: 5 },
  'POST /api/v1/cases/:id/reopen': { note: '矩阵测试' },
  'POST /api/v1/cases/:id/accept': {},
  'POST /api/v1/cases/:id/reject': { reason: 'invalid', note: '矩阵测试' },
  'POST /api/v1/cases/:id/merge': { originalId: '00000000-0000-4000-8000-000000000000' },
  'POST /api/v1/cases/:id/dispatch': {},
  'POST /api/v1/cases/:id/acknowledge': {},
  'POST /api/v1/cases/:id/return': { note: '矩阵测试' },
  'POST /api/v1/cases/:id/start': {},
  'POST /api/v1/cases/:id/extension-request': { dueAt: '2030-01-01T00:00:00Z', note: '矩阵测试' },
  'POST /api/v1/cases/:id/extension': { decision: 'refuse' },
  'POST /api/v1/cases/:id/defer': { note: '矩阵测试' },
  'POST /api/v1/cases/:id/resume': {},
  'POST /api/v1/cases/:id/handle': { note: '矩阵测试' },
  'POST /api/v1/cases/:id/verify': {},
  'POST /api/v1/cases/:id/close': { result: 'resolved', outcome: '矩阵测试' },
  'POST /api/v1/cases/:id/rework': { note: '矩阵测试' },
  'POST /api/v1/cases/:id/assign': { assigneeId: null },
  'POST /api/v1/cases/:id/notes': { note: '矩阵测试' },
  'POST /api/v1/cases/:id/replies': { note: '矩阵测试' },
  'POST /api/v1/stations/manage': STATION_SAMPLE,
  'PUT /api/v1/stations/manage/:id': STATION_SAMPLE,
  'PUT /api/v1/stations/manage/:id/offer': { weeklyHours: [[], [], [], [], [], [], []] },
  'POST /api/v1/stations/manage/:id/moves': { move: 'build', reason: '矩阵测试' },
  'POST /api/v1/stations/manage/:id/inspections': { checklistId: '00000000-0000-4000-8000-000000000000', kind: 'acceptance', inspectedOn: '2026-01-01', scores: [{ key: 'a', score: 1 }] },
  'POST /api/v1/stations/checklists': { regionId: '440114', name: '矩阵测试', items: [{ key: 'a', label: '矩阵', weight: 100 }], passMark: 60 },
  'PUT /api/v1/stations/checklists/:id': { regionId: '440114', name: '矩阵测试', items: [{ key: 'a', label: '矩阵', weight: 100 }], passMark: 60 },
  'POST /api/v1/stations/checkins': { stationId: '00000000-0000-4000-8000-000000000000', code: '123456' },
  'POST /api/v1/stations/visits/:id/rating': { stars: 5 },
  'POST /api/v1/stations/:id/sessions': { title: '矩阵测试', capacity: 1, recurrence: 'once', startsOn: '2030-01-03', startTime: '14:00', endTime: '17:00' },
  'POST /api/v1/stations/sessions/:id/bookings': { occursOn: '2030-01-03' },
  'POST /api/v1/stations/bookings/:id/attendance': { attended: true },
  'POST /api/v1/wishes': { kind: 'item', title: '矩阵测试', valueYuan: 10 },
  'POST /api/v1/wishes/:id/cancel': {},
  'POST /api/v1/wishes/:id/confirm': {},
  'POST /api/v1/wishes/:id/thank': { message: '矩阵测试' },
  'POST /api/v1/wishes/:id/claim': {},
  'POST /api/v1/wishes/:id/withdraw': { note: '矩阵测试' },
  'POST /api/v1/wishes/:id/fulfil': { note: '矩阵测试', photoIds: ['00000000-0000-4000-8000-000000000000'] },
  'PUT /api/v1/wishes/settings/:regionId': { valueCapYuan: 200, claimDays: 7 },
  'POST /api/v1/wishes/:id/approve': {},
  'POST /api/v1/wishes/:id/reject': { note: '矩阵测试' },
  'POST /api/v1/wishes/:id/offline': { donorName: '矩阵测试', note: '矩阵测试', photoIds: ['00000000-0000-4000-8000-000000000000'] },
  'POST /api/v1/honors/rounds': { regionId: '440114002', title: '矩阵测试评选', periodKind: 'year', year: 2030, honorees: 1, nominationStartsAt: '2030-01-01T00:00:00Z', nominationEndsAt: '2030-01-02T00:00:00Z', votingStartsAt: '2030-01-03T00:00:00Z', votingEndsAt: '2030-01-04T00:00:00Z' },
  'PUT /api/v1/honors/rounds/:id': { regionId: '440114002', title: '矩阵测试评选', periodKind: 'year', year: 2030, honorees: 1, nominationStartsAt: '2030-01-01T00:00:00Z', nominationEndsAt: '2030-01-02T00:00:00Z', votingStartsAt: '2030-01-03T00:00:00Z', votingEndsAt: '2030-01-04T00:00:00Z' },
  'POST /api/v1/honors/rounds/:id/moves': { move: 'open_nomination' },
  'POST /api/v1/honors/rounds/:id/nominees': { workerId: '00000000-0000-4000-8000-000000000000', reason: '矩阵测试理由' },
  'POST /api/v1/honors/rounds/:id/publish': {},
  'POST /api/v1/honors/rounds/:id/votes': { nomineeId: '00000000-0000-4000-8000-000000000000' },
  'POST /api/v1/stories/manage': { regionId: '440114002001', title: '矩阵测试', body: '矩阵测试' },
  'PUT /api/v1/stories/manage/:id': { regionId: '440114002001', title: '矩阵测试', body: '矩阵测试' },
  'POST /api/v1/stories/manage/:id/moves': { move: 'publish' },
  'POST /api/v1/activities/checkins': { activityId: '00000000-0000-4000-8000-000000000000', code: '123456', mode: 'in' },
  'POST /api/v1/activities/manage': { regionId: '440114002001', kind: 'volunteer', title: '矩阵测试', address: '矩阵路1号', lat: 23.4, lng: 113.2, startsAt: '2030-01-03T06:00:00Z', endsAt: '2030-01-03T08:00:00Z', capacity: 1 },
  'PUT /api/v1/activities/manage/:id': { regionId: '440114002001', kind: 'volunteer', title: '矩阵测试', address: '矩阵路1号', lat: 23.4, lng: 113.2, startsAt: '2030-01-03T06:00:00Z', endsAt: '2030-01-03T08:00:00Z', capacity: 1 },
  'POST /api/v1/activities/manage/:id/moves': { move: 'publish' },
  'POST /api/v1/activities/manage/:id/scan': { pass: 'NXACT:00000000-0000-4000-8000-000000000000:aaaaaaaaaaaaaaaaaaaaaaaa', mode: 'in' },
  'POST /api/v1/activities/signups/:id/confirm': { attended: true },
  'POST /api/v1/activities/manage/:id/messages': { to: 'enrolled', title: '矩阵测试', body: '矩阵测试' },
  'POST /api/v1/partners/applications': { regionId: '440114001001', name: '矩阵测试商家', kind: 'merchant', address: '矩阵路1号', lat: 23.4, lng: 113.2, contactName: '矩阵', contactPhone: '13912345670', benefits: [{ type: 'discount', text: '九折' }] },
  'PUT /api/v1/partners/manage/:id': { address: '矩阵路1号', lat: 23.4, lng: 113.2, contactName: '矩阵', benefits: [] },
  'POST /api/v1/partners/manage/:id/moves': { move: 'approve' },
  'POST /api/v1/partners/donations': { regionId: '440114001001', item: '矩阵测试', quantity: 1, donatedOn: '2026-01-01' },
  'POST /api/v1/pledges': { regionId: '440114001001', title: '矩阵测试', body: '矩阵测试公约正文内容' },
  'POST /api/v1/organizations/memberships': { organizationId: '00000000-0000-4000-8000-000000000000' },
  'POST /api/v1/organizations/memberships/:id/leave': {},
  'POST /api/v1/organizations/grid-members': { note: '矩阵测试' },
  'POST /api/v1/organizations/grid-members/:id/withdraw': {},
  'POST /api/v1/organizations': { regionId: '440114002001', kind: 'volunteer_team', name: '矩阵测试队' },
  'PUT /api/v1/organizations/:id': { regionId: '440114002001', kind: 'volunteer_team', name: '矩阵测试队' },
  'POST /api/v1/organizations/:id/dissolve': { reason: '矩阵测试' },
  'POST /api/v1/organizations/:id/members': { userId: '00000000-0000-4000-8000-000000000000' },
  'POST /api/v1/organizations/memberships/:id/verify': {},
  'POST /api/v1/organizations/memberships/:id/reject': { reason: '矩阵测试' },
  'POST /api/v1/organizations/memberships/:id/revoke': { reason: '矩阵测试' },
  'POST /api/v1/organizations/grid-members/:id/appoint': { gridId: '440114002001001', appointedOn: '2026-01-01', termEndsOn: '2027-01-01' },
  'POST /api/v1/organizations/grid-members/:id/reject': { reason: '矩阵测试' },
  'POST /api/v1/organizations/grid-members/:id/dismiss': { reason: '矩阵测试' },
  'POST /api/v1/guide/places': { kind: 'parking', name: '矩阵测试停车点', lat: 23.4, lng: 113.2 },
  'PUT /api/v1/guide/places/:id': { kind: 'parking', name: '矩阵测试停车点', lat: 23.4, lng: 113.2 },
  'POST /api/v1/guide/places/:id/review': { decision: 'verify' },
  'PUT /api/v1/guide/pass': { deliveryStation: '矩阵测试站' },
  'POST /api/v1/guide/pass/scans': { text: 'NXP-ABCDEFGH-123456' },
  'POST /api/v1/guide/passes/:id/identity': { verified: true },
  'POST /api/v1/guide/passes/:id/revocation': { action: 'revoke', reason: '矩阵测试' },
};

/** A valid query for GET routes that require one, so an allowed reader's answer can be checked. */
const SAMPLE_QUERIES: Record<string, string> = {
  'GET /api/v1/points/leaderboard': '?communityId=440114001001',
  'GET /api/v1/stations/nearby': '?lat=23.4&lng=113.2',
  'GET /api/v1/guide/places/nearby': '?lat=23.4&lng=113.2',
  'GET /api/v1/points/board': '?communityId=440114001001',
  'GET /api/v1/rewards/settlement': '?from=2026-01-01&to=2026-12-31',
  'GET /api/v1/rewards/settlement.xlsx': '?from=2026-01-01&to=2026-12-31',
  'GET /api/v1/dashboard/trend': '?metric=cases.received&bucket=week',
  'GET /api/v1/dashboard/breakdown': '?dimension=community',
  'GET /api/v1/dashboard/export.csv': '?table=community',
  'POST /api/v1/stations/import': '?regionId=440114001001',
  'GET /api/v1/stations/:id/visits': '?from=2026-01-01&to=2026-01-31',
  'GET /api/v1/stations/sessions/:id/bookings': '?occursOn=2030-01-03',
};

/** Catalogues handed down from above (a street's rules reach its communities): ancestors are in scope too. */
const INHERITED = new Set(['GET /api/v1/notices', 'GET /api/v1/points/rules', 'GET /api/v1/points/settings/:regionId', 'GET /api/v1/stations/checklists']);
/** Published offers a rider may use anywhere in their district (riders cross streets): the district is the scope. */
const DISTRICT_WIDE = new Set(['GET /api/v1/rewards']);

/** Streams never end: their allowed cells are checked in the domain tests (they would hang here). */
const STREAMS = new Set(['GET /api/v1/cases/stream']);

/** Collects every `regionId` in a JSON answer, to prove a list shows nothing outside the scope. */
function regionIdsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => regionIdsIn(v, out));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'regionId' && typeof v === 'string') out.push(v);
      else regionIdsIn(v, out);
    }
  }
  return out;
}

/** Routes whose :id is a person; their other-region cell uses a worker in 新雅街道. Other domains test their own. */
const PERSON_ROUTES = new Set(['PATCH /api/v1/users/:id/status', 'POST /api/v1/users/:id/revoke-sessions']);

describe.each(DB_KINDS)('access matrix on %s', (kind) => {
  let t: TestApp;
  const tokens = {} as Record<Role, string>;
  const regions = {} as Record<Role, string>;
  let outsiderId: string;

  beforeAll(async () => {
    t = await createTestApp(kind);
    for (const role of ROLES) {
      const account = ACCOUNT[role];
      tokens[role] = account.username ? await t.loginStaff(account.username) : await t.loginPhone(account.phone!);
      regions[role] = actingScope(role, (await t.request('GET', '/api/v1/me', { token: tokens[role] })).json().regionId);
    }
    // A person in 新雅街道: outside every demo account above except the district admin.
    outsiderId = (await t.newWorker('440114002002')).userId;
  });
  afterAll(async () => t?.close());

  it('has a declared rule for every API route, and every cell answers as declared', async () => {
    const api = t.app.routeTable.filter((r) => r.url.startsWith('/api/'));
    expect(api.length).toBeGreaterThan(5);
    let cells = 0;
    for (const route of api) {
      const key = `${route.method} ${route.url}`;
      const url = route.url.replace(':id', outsiderId).replace(':regionId', '440114002') + (SAMPLE_QUERIES[key] ?? '');
      const body = SAMPLE_BODIES[key];
      if (route.method !== 'GET' && route.method !== 'DELETE' && body === undefined && /PUT|PATCH/.test(route.method)) {
        throw new Error(`${key}: add a sample body to SAMPLE_BODIES`);
      }
      if (route.access.who === 'public') continue;

      const anonymous = await t.request(route.method, url, { body });
      expect(anonymous.statusCode, `${key} without login`).toBe(401);
      expect(anonymous.json().error.code).toBe('UNAUTHENTICATED');
      const forged = await t.request(route.method, url, { body, token: 'x'.repeat(43) });
      expect(forged.statusCode, `${key} with a forged token`).toBe(401);
      cells += 2;

      for (const role of ROLES) {
        const allowed = route.access.who === 'authenticated' || route.access.who.includes(role);
        if (allowed && route.method !== 'GET') continue; // writes by allowed roles are covered in the domain tests
        if (allowed && STREAMS.has(key)) continue;
        const res = await t.request(route.method, url, { body, token: tokens[role] });
        cells += 1;
        if (!allowed) {
          expect(res.statusCode, `${key} as ${role}`).toBe(403);
          expect(res.json().error.code).toBe('FORBIDDEN');
        } else if (route.access.scope === 'region' && !route.url.includes(':')) {
          // An allowed reader sees nothing outside their own subtree (or, for catalogues, above it).
          expect(res.statusCode, `${key} as ${role}: ${res.body.slice(0, 200)}`).toBe(200);
          if (!String(res.headers['content-type']).includes('json')) continue;
          for (const regionId of regionIdsIn(res.json())) {
            const visible =
              isWithin(regionId, regions[role]) ||
              (INHERITED.has(key) && isWithin(regions[role], regionId)) ||
              (DISTRICT_WIDE.has(key) && isWithin(regionId, regions[role].slice(0, 6)));
            expect(visible, `${key} as ${role} shows ${regionId}`).toBe(true);
          }
        }
      }

      if (route.access.scope === 'region' && route.url.includes(':id') && PERSON_ROUTES.has(key)) {
        // Wrong region: an allowed role whose region does not contain the target person.
        const role = ROLES.find((r) => (route.access.who as readonly Role[]).includes(r) && !isWithin('440114002002', regions[r]));
        expect(role, `${key} has a role to try from outside`).toBeDefined();
        const res = await t.request(route.method, url, { body, token: tokens[role!] });
        expect(res.statusCode, `${key} from another region`).toBe(403);
        expect(res.json().error.code).toBe('OUT_OF_SCOPE');
        cells += 1;
      }
    }
    console.log(`access matrix (${kind}): ${api.length} routes, ${cells} cells checked`);
  });
});
