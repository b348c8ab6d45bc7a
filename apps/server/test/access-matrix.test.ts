import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, isWithin, type Role } from '@nuanxin/shared';
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

/**
 * A valid body for every route that takes one, so the "wrong region" cell reaches the service.
 * A new route with a body fails this test until it gets a sample here.
 */
const SAMPLE_BODIES: Record<string, unknown> = {
  'POST /api/v1/auth/sms-code': { phone: '13912345678' },
  'POST /api/v1/auth/login': { username: 'nobody', password: 'x' },
  'PUT /api/v1/me/profile': { name: '测试', occupation: 'rider', homeCommunityId: '440114001001' },
  'PATCH /api/v1/users/:id/status': { status: 'active' },
};

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
      regions[role] = (await t.request('GET', '/api/v1/me', { token: tokens[role] })).json().regionId;
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
      const url = route.url.replace(':id', outsiderId);
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
        const res = await t.request(route.method, url, { body, token: tokens[role] });
        cells += 1;
        if (!allowed) {
          expect(res.statusCode, `${key} as ${role}`).toBe(403);
          expect(res.json().error.code).toBe('FORBIDDEN');
        } else if (route.access.scope === 'region') {
          // An allowed reader sees nothing outside their own subtree.
          expect(res.statusCode, `${key} as ${role}`).toBe(200);
          for (const regionId of regionIdsIn(res.json())) expect(isWithin(regionId, regions[role]), `${key} as ${role} shows ${regionId}`).toBe(true);
        }
      }

      if (route.access.scope === 'region' && route.url.includes(':id')) {
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
