import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badgeTokenId, nextGridMemberStatus, nextMembershipStatus, parseBadgeToken, GRID_MEMBER_STATUSES, MEMBERSHIP_STATUSES } from '@nuanxin/shared';
import { DB_KINDS, createTestApp, type TestApp } from '../../../test/harness.ts';

describe('badge tokens and state machines', () => {
  it('round-trips any membership id and never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.string({ minLength: 16, maxLength: 16 }), (id, sig) => {
        const safeSig = Buffer.from(sig).toString('base64url').slice(0, 16).padEnd(16, 'A');
        const parsed = parseBadgeToken(`${badgeTokenId(id)}.${safeSig}`);
        expect(parsed?.membershipId).toBe(id.toLowerCase());
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const parsed = parseBadgeToken(text);
        if (parsed) expect(parsed.membershipId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      }),
    );
    // Non-canonical encodings of the same id are refused, so one id has one token.
    const id = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    const token = badgeTokenId(id);
    const last = token.at(-1)!;
    const twin = token.slice(0, -1) + String.fromCharCode(last.charCodeAt(0) + 1);
    expect(parseBadgeToken(`${twin}.${'A'.repeat(16)}`)).toBeNull();
  });

  it('moves only along the machines', () => {
    expect(MEMBERSHIP_STATUSES.filter((s) => nextMembershipStatus(s, 'verify'))).toEqual(['pending']);
    expect(MEMBERSHIP_STATUSES.filter((s) => nextMembershipStatus(s, 'revoke'))).toEqual(['verified']);
    expect(MEMBERSHIP_STATUSES.filter((s) => nextMembershipStatus(s, 'leave'))).toEqual(['pending', 'verified']);
    expect(GRID_MEMBER_STATUSES.filter((s) => nextGridMemberStatus(s, 'appoint'))).toEqual(['applied']);
    expect(GRID_MEMBER_STATUSES.filter((s) => nextGridMemberStatus(s, 'dismiss'))).toEqual(['appointed']);
  });
});

describe.each(DB_KINDS)('organizations on %s', (kind) => {
  let t: TestApp;
  let grid01: string;
  let sanhua: string;
  let xinhua: string;
  let xinya: string;
  let guangtang: string;
  let grid02: string;
  beforeAll(async () => {
    t = await createTestApp(kind);
    const tokens = await Promise.all(['grid01', 'sanhua', 'xinhua', 'xinya', 'guangtang', 'grid02'].map((u) => t.loginStaff(u)));
    [grid01, sanhua, xinhua, xinya, guangtang, grid02] = tokens as [string, string, string, string, string, string];
  });
  afterAll(async () => t?.close());

  const db = () => t.database.db;
  const orgId = async (name: string) => (await db().selectFrom('organizations').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
  const post = (url: string, token: string, body: unknown = {}, key: string = randomUUID()) => t.request('POST', url, { token, body, headers: { 'idempotency-key': key } });
  const declare = (token: string, organizationId: string, extra: Record<string, unknown> = {}, key?: string) =>
    post('/api/v1/organizations/memberships', token, { organizationId, partyStatus: 'probationary', joinedOn: '2024-07-01', ...extra }, key);

  it('a worker declares membership, the branch secretary verifies, the worker shows a badge anyone can check without personal data', async () => {
    const w = await t.newWorker();
    const branch = await orgId('三华社区骑手党支部');
    const key = randomUUID();
    const res = await declare(w.token, branch, {}, key);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'pending', partyStatus: 'probationary', organizationName: '三华社区骑手党支部' });
    // The same Idempotency-Key replays the first answer.
    const again = await declare(w.token, branch, {}, key);
    expect(again.json().id).toBe(res.json().id);
    const id = res.json().id as string;

    const early = await t.request('GET', `/api/v1/organizations/memberships/${id}/badge`, { token: w.token });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('BADGE_NOT_AVAILABLE');

    // grid01 leads this branch: the queue shows the declaration with a masked phone; the read is audited.
    const queue = await t.request('GET', `/api/v1/organizations/memberships?organizationId=${branch}&status=pending`, { token: grid01 });
    expect(queue.statusCode, queue.body).toBe(200);
    const row = queue.json().items.find((m: { id: string }) => m.id === id);
    expect(row.phoneMasked).toMatch(/^1\d\d\*{4}\d{4}$/);
    expect(queue.body).not.toContain(w.phone);

    const verified = await post(`/api/v1/organizations/memberships/${id}/verify`, grid01, { partyStatus: 'formal' });
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json()).toMatchObject({ status: 'verified', partyStatus: 'formal' });
    const twice = await post(`/api/v1/organizations/memberships/${id}/verify`, grid01, {});
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('ORGANIZATION_ILLEGAL_MOVE');

    const badge = await t.request('GET', `/api/v1/organizations/memberships/${id}/badge`, { token: w.token });
    expect(badge.statusCode, badge.body).toBe(200);
    expect(badge.json()).toMatchObject({ name: '测试骑手', organizationName: '三华社区骑手党支部', partyStatus: 'formal' });
    const token = badge.json().token as string;

    const check = await t.request('GET', `/api/v1/organizations/badges/${token}`);
    expect(check.statusCode, check.body).toBe(200);
    expect(check.json()).toMatchObject({ valid: true, maskedName: '测***', organizationName: '三华社区骑手党支部' });
    expect(check.body).not.toContain(w.phone);
    expect(check.body).not.toContain(w.userId);
    expect(check.body).not.toContain('测试骑手');
    expect(Object.keys(check.json()).sort()).toEqual(['kind', 'maskedName', 'organizationName', 'regionName', 'valid', 'verifiedOn']);
    // A forged signature or garbage is simply not found.
    const forged = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    expect((await t.request('GET', `/api/v1/organizations/badges/${forged}`)).statusCode).toBe(404);
    expect((await t.request('GET', '/api/v1/organizations/badges/not-a-token')).statusCode).toBe(404);

    const audits = await db().selectFrom('audit_log').select('action').where('action', 'like', 'organization.%').execute();
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['organization.members.read', 'organization.member.verify']));
    const messages = await db().selectFrom('messages').select(['title', 'topic']).where('user_id', '=', w.userId).execute();
    expect(messages.some((m) => m.topic === 'organization' && m.title.includes('已通过'))).toBe(true);

    // The secretary revokes: the badge stops, and the public check says invalid.
    const revoked = await post(`/api/v1/organizations/memberships/${id}/revoke`, grid01, { reason: '已转出组织关系' });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json().status).toBe('revoked');
    expect((await t.request('GET', `/api/v1/organizations/badges/${token}`)).json()).toMatchObject({ valid: false, verifiedOn: null });
    expect((await t.request('GET', `/api/v1/organizations/memberships/${id}/badge`, { token: w.token })).statusCode).toBe(409);
    const leave = await post(`/api/v1/organizations/memberships/${id}/leave`, w.token);
    expect(leave.statusCode).toBe(409);
    expect(leave.json().error.code).toBe('ORGANIZATION_ILLEGAL_MOVE');
  });

  it('rejects with a reason; one branch at a time; party details required; leaving ends a membership', async () => {
    const w = await t.newWorker();
    const branch = await orgId('三华社区骑手党支部');
    const street = await orgId('新华街道新就业群体流动党员党支部');
    const missing = await post('/api/v1/organizations/memberships', w.token, { organizationId: branch });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('PARTY_DETAILS_REQUIRED');
    const future = await declare(w.token, branch, { joinedOn: '2099-01-01' });
    expect(future.json().error.code).toBe('PARTY_DETAILS_REQUIRED');

    const first = await declare(w.token, branch);
    expect(first.statusCode).toBe(200);
    const second = await declare(w.token, street);
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('ALREADY_MEMBER');

    const noReason = await post(`/api/v1/organizations/memberships/${first.json().id}/reject`, grid01, {});
    expect(noReason.statusCode).toBe(400);
    const rejected = await post(`/api/v1/organizations/memberships/${first.json().id}/reject`, grid01, { reason: '支部无此党员记录' });
    expect(rejected.json()).toMatchObject({ status: 'rejected', reason: '支部无此党员记录' });
    const revokeRejected = await post(`/api/v1/organizations/memberships/${first.json().id}/revoke`, grid01, { reason: '测试撤销' });
    expect(revokeRejected.statusCode).toBe(409);

    // After a rejection the worker may declare again (at the street branch this time), and withdraw.
    const retry = await declare(w.token, street, { partyStatus: 'activist' });
    expect(retry.statusCode, retry.body).toBe(200);
    const left = await post(`/api/v1/organizations/memberships/${retry.json().id}/leave`, w.token);
    expect(left.json().status).toBe('left');

    // A team takes no party details; its leader approves.
    const team = await orgId('三华骑手志愿服务队');
    expect((await post('/api/v1/organizations/memberships', w.token, { organizationId: team, partyStatus: 'formal', joinedOn: '2020-01-01' })).json().error.code).toBe('PARTY_DETAILS_REQUIRED');
    const apply = await post('/api/v1/organizations/memberships', w.token, { organizationId: team, note: '周末有空' });
    expect(apply.statusCode, apply.body).toBe(200);
    expect((await post(`/api/v1/organizations/memberships/${apply.json().id}/verify`, grid01, {})).json().status).toBe('verified');

    const mine = await t.request('GET', '/api/v1/organizations/mine', { token: w.token });
    expect(mine.json().memberships.map((m: { status: string }) => m.status)).toEqual(['verified', 'left', 'rejected']);
  });

  it('only the branch’s own secretary or an admin over it decides', async () => {
    const w = await t.newWorker();
    // A second branch in 三华 that grid01 does not lead.
    const created = await post('/api/v1/organizations', sanhua, { regionId: '440114001001', kind: 'party_branch', name: '三华快递小哥党支部', leaderIds: [], guideIds: [] });
    expect(created.statusCode, created.body).toBe(200);
    const m = await declare(w.token, created.json().id);
    const url = `/api/v1/organizations/memberships/${m.json().id}/verify`;
    const notLeader = await post(url, grid01, {});
    expect(notLeader.statusCode).toBe(403);
    expect(notLeader.json().error.code).toBe('NOT_ORGANIZATION_LEADER');
    for (const other of [grid02, guangtang, xinya]) {
      const res = await post(url, other, {});
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('OUT_OF_SCOPE');
    }
    // The worker cannot verify themself (role) and the queue of grid01 does not show it.
    expect((await post(url, w.token, {})).statusCode).toBe(403);
    const queue = await t.request('GET', '/api/v1/organizations/memberships?status=pending', { token: grid01 });
    expect(queue.json().items.map((i: { id: string }) => i.id)).not.toContain(m.json().id);
    expect((await post(url, xinhua, {})).json().status).toBe('verified');
    const changed = await db().selectFrom('organization_members').select('status').where('id', '=', m.json().id).executeTakeFirstOrThrow();
    expect(changed.status).toBe('verified');
  });

  it('admins create, edit, filter and dissolve organizations inside their region only', async () => {
    const body = { regionId: '440114001001', kind: 'volunteer_team', name: '三华雨天护学队', description: '雨天在校门口维持秩序', leaderIds: [], guideIds: [] };
    const created = await post('/api/v1/organizations', sanhua, body);
    expect(created.statusCode, created.body).toBe(200);
    const dup = await post('/api/v1/organizations', sanhua, body);
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('ORGANIZATION_NAME_TAKEN');
    expect((await post('/api/v1/organizations', guangtang, body)).json().error.code).toBe('OUT_OF_SCOPE');
    expect((await post('/api/v1/organizations', sanhua, { ...body, name: '网格里的队', regionId: '440114001001001' })).json().error.code).toBe('ORGANIZATION_REGION_INVALID');
    expect((await post('/api/v1/organizations', sanhua, { ...body, name: '有指导员的队', guideIds: [created.json().id] })).json().error.code).toBe('ORGANIZATION_STAFF_INVALID');
    const guangtangUser = (await db().selectFrom('users').select('id').where('username', '=', 'guangtang').executeTakeFirstOrThrow()).id;
    expect((await post('/api/v1/organizations', sanhua, { ...body, name: '别区负责人的队', leaderIds: [guangtangUser] })).json().error.code).toBe('ORGANIZATION_STAFF_INVALID');

    const grid01User = (await db().selectFrom('users').select('id').where('username', '=', 'grid01').executeTakeFirstOrThrow()).id;
    const edited = await t.request('PUT', `/api/v1/organizations/${created.json().id}`, { token: sanhua, body: { ...body, description: '雨天护学，欢迎加入', leaderIds: [grid01User] } });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().staff).toEqual([{ userId: grid01User, name: '林小燕', role: 'leader' }]);
    expect((await t.request('PUT', `/api/v1/organizations/${created.json().id}`, { token: sanhua, body: { ...body, kind: 'party_branch' } })).json().error.code).toBe('ORGANIZATION_ILLEGAL_MOVE');

    const list = await t.request('GET', '/api/v1/organizations?kind=volunteer_team&q=护学', { token: sanhua });
    expect(list.json().items.map((o: { name: string }) => o.name)).toEqual(['三华雨天护学队']);
    const mine = await t.request('GET', '/api/v1/organizations?pageSize=100', { token: guangtang });
    expect(mine.json().items.every((o: { regionId: string }) => o.regionId.startsWith('440114002001'))).toBe(true);

    const w = await t.newWorker();
    const joined = await post('/api/v1/organizations/memberships', w.token, { organizationId: created.json().id });
    const dissolved = await post(`/api/v1/organizations/${created.json().id}/dissolve`, sanhua, { reason: '队伍合并' });
    expect(dissolved.statusCode, dissolved.body).toBe(200);
    expect(dissolved.json().status).toBe('dissolved');
    expect((await post(`/api/v1/organizations/${created.json().id}/dissolve`, sanhua, { reason: '队伍合并' })).json().error.code).toBe('ORGANIZATION_ILLEGAL_MOVE');
    const ended = await db().selectFrom('organization_members').select(['status', 'reason']).where('id', '=', joined.json().id).executeTakeFirstOrThrow();
    expect(ended).toEqual({ status: 'rejected', reason: '队伍合并' });
    expect((await post('/api/v1/organizations/memberships', w.token, { organizationId: created.json().id })).json().error.code).toBe('ORGANIZATION_INACTIVE');
  });

  it('leaders add workers of their region as verified members', async () => {
    const w = await t.newWorker();
    const team = await orgId('三华骑手志愿服务队');
    const added = await post(`/api/v1/organizations/${team}/members`, grid01, { userId: w.userId });
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json().status).toBe('verified');
    expect((await post(`/api/v1/organizations/${team}/members`, grid01, { userId: w.userId })).json().error.code).toBe('ALREADY_MEMBER');
    const outsider = await t.newWorker('440114002002');
    expect((await post(`/api/v1/organizations/${team}/members`, grid01, { userId: outsider.userId })).json().error.code).toBe('MEMBER_NOT_ELIGIBLE');
  });

  it('a worker applies as a part-time grid member, the community admin appoints with a certificate, then dismisses', async () => {
    const w = await t.newWorker();
    const key = randomUUID();
    const applied = await post('/api/v1/organizations/grid-members', w.token, { note: '熟悉三华路一带' }, key);
    expect(applied.statusCode, applied.body).toBe(200);
    expect(applied.json()).toMatchObject({ status: 'applied', communityId: '440114001001', phoneMasked: null, userId: null });
    expect((await post('/api/v1/organizations/grid-members', w.token, { note: '熟悉三华路一带' }, key)).json().id).toBe(applied.json().id);
    const twice = await post('/api/v1/organizations/grid-members', w.token, {});
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('GRID_MEMBER_ALREADY_APPLIED');
    const id = applied.json().id as string;
    const appointUrl = `/api/v1/organizations/grid-members/${id}/appoint`;
    const good = { gridId: '440114001001002', appointedOn: '2026-11-01', termEndsOn: '2028-10-31' };

    expect((await post(appointUrl, guangtang, good)).json().error.code).toBe('OUT_OF_SCOPE');
    expect((await post(appointUrl, grid01, good)).statusCode).toBe(403);
    expect((await post(appointUrl, sanhua, { ...good, gridId: '440114002001001' })).json().error.code).toBe('GRID_INVALID');
    expect((await post(appointUrl, sanhua, { ...good, gridId: '440114001001' })).statusCode).toBe(400);
    expect((await post(appointUrl, sanhua, { ...good, termEndsOn: '2026-10-01' })).json().error.code).toBe('CERTIFICATE_TERM_INVALID');
    expect((await post(appointUrl, sanhua, { ...good, certificateNo: '440114001001001-2026-001' })).json().error.code).toBe('CERTIFICATE_NO_TAKEN');

    const list = await t.request('GET', '/api/v1/organizations/grid-members?status=applied', { token: sanhua });
    expect(list.json().items.find((g: { id: string }) => g.id === id).phoneMasked).toMatch(/\*{4}/);

    const appointed = await post(appointUrl, sanhua, good);
    expect(appointed.statusCode, appointed.body).toBe(200);
    expect(appointed.json()).toMatchObject({ status: 'appointed', regionId: '440114001001002', gridName: '第二网格', certificateNo: '440114001001002-2026-001', termEndsOn: '2028-10-31' });
    expect((await post(appointUrl, sanhua, good)).json().error.code).toBe('ORGANIZATION_ILLEGAL_MOVE');
    expect((await post(`/api/v1/organizations/grid-members/${id}/withdraw`, w.token)).json().error.code).toBe('ORGANIZATION_ILLEGAL_MOVE');

    const mine = await t.request('GET', '/api/v1/organizations/mine', { token: w.token });
    expect(mine.json().gridMember).toMatchObject({ status: 'appointed', certificateNo: '440114001001002-2026-001', gridName: '第二网格', communityName: '三华社区' });

    const stats = await t.request('GET', '/api/v1/organizations/stats', { token: xinhua });
    expect(stats.statusCode, stats.body).toBe(200);
    const sanhuaRow = stats.json().rows.find((r: { regionId: string }) => r.regionId === '440114001001');
    expect(sanhuaRow.gridMembers).toBeGreaterThanOrEqual(2);
    expect(stats.json().total.branches).toBeGreaterThanOrEqual(2);
    expect(stats.json().total.pioneerPosts).toBe(1);

    expect((await post(`/api/v1/organizations/grid-members/${id}/dismiss`, guangtang, { reason: '任期内离开' })).json().error.code).toBe('OUT_OF_SCOPE');
    const dismissed = await post(`/api/v1/organizations/grid-members/${id}/dismiss`, sanhua, { reason: '已离开花都' });
    expect(dismissed.json()).toMatchObject({ status: 'dismissed', reason: '已离开花都' });
    expect((await post(`/api/v1/organizations/grid-members/${id}/dismiss`, sanhua, { reason: '已离开花都' })).json().error.code).toBe('ORGANIZATION_ILLEGAL_MOVE');
    const actions = await db().selectFrom('audit_log').select('action').where('entity_id', '=', id).execute();
    expect(actions.map((a) => a.action).sort()).toEqual(['organization.grid_member.appoint', 'organization.grid_member.dismiss']);
    const messages = await db().selectFrom('messages').select('title').where('user_id', '=', w.userId).execute();
    expect(messages.map((m) => m.title)).toEqual(expect.arrayContaining(['您已被聘为兼职网格员']));

    // Applying again after dismissal is allowed; withdrawing that application too.
    const again = await post('/api/v1/organizations/grid-members', w.token, {});
    expect((await post(`/api/v1/organizations/grid-members/${again.json().id}/withdraw`, w.token)).json().status).toBe('withdrawn');
    expect((await post(`/api/v1/organizations/grid-members/${again.json().id}/reject`, sanhua, { reason: '测试' })).json().error.code).toBe('ORGANIZATION_ILLEGAL_MOVE');
  });

  it('two declarations sent at once leave one membership and refuse the other with ALREADY_MEMBER', async () => {
    const w = await t.newWorker();
    const branch = await orgId('三华社区骑手党支部');
    const answers = await Promise.all([declare(w.token, branch), declare(w.token, branch), declare(w.token, branch)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409, 409]);
    expect(answers.filter((a) => a.statusCode === 409).every((a) => a.json().error.code === 'ALREADY_MEMBER')).toBe(true);
    const rows = await db().selectFrom('organization_members').select('id').where('user_id', '=', w.userId).execute();
    expect(rows).toHaveLength(1);
  });

  it('refuses bad input with 4xx and changes nothing', async () => {
    const w = await t.newWorker();
    const before = await db().selectFrom('organization_members').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    for (const body of [{}, { organizationId: 'x' }, { organizationId: randomUUID(), partyStatus: 'boss' }, { organizationId: randomUUID(), photoIds: ['a'] }, { organizationId: randomUUID(), note: '<script>' }, { organizationId: randomUUID(), extra: 1 }]) {
      const res = await post('/api/v1/organizations/memberships', w.token, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    expect((await post('/api/v1/organizations/memberships', w.token, { organizationId: randomUUID() })).statusCode).toBe(404);
    const noKey = await t.request('POST', '/api/v1/organizations/memberships', { token: w.token, body: { organizationId: await orgId('三华骑手志愿服务队') } });
    expect(noKey.json().error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    const after = await db().selectFrom('organization_members').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    for (const q of ['kind=club', 'regionId=abc', 'pageSize=1000', 'page=0']) {
      expect((await t.request('GET', `/api/v1/organizations?${q}`, { token: sanhua })).statusCode).toBe(400);
    }
    expect((await t.request('GET', '/api/v1/organizations?regionId=440114002', { token: sanhua })).json().error.code).toBe('OUT_OF_SCOPE');
  });
});
