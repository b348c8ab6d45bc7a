import { sql } from 'kysely';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityCheckinLink, parseActivityCheckinLink, parseSignupPass, signupPassText, volunteerMinutes } from '@nuanxin/shared';
import { DB_KINDS, createTestApp, type TestApp } from '../../../test/harness.ts';
import { balanceOf, ruleNamed } from '../../../test/points-fixtures.ts';
import { codeFor, stepAt } from '../stations/checkin-code.ts';
import { actorByUsername, bulkWorkers, stationId } from '../stations/visits.fixtures.ts';
import { ActivitiesService } from './activities.service.ts';

const MIN = 60_000;
const at = (minutesFromNow: number) => new Date(Date.now() + minutesFromNow * MIN).toISOString();

describe('activity QR texts and hours', () => {
  it('round-trips check-in links and passes, and refuses anything else', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.stringMatching(/^\d{6}$/), fc.constantFrom('in' as const, 'out' as const), (id, code, mode) => {
        expect(parseActivityCheckinLink(activityCheckinLink('https://nx.example', id, code, mode))).toEqual({ activityId: id, code, mode });
      }),
    );
    fc.assert(
      fc.property(fc.uuid(), fc.stringMatching(/^[A-Za-z0-9_-]{16,64}$/), (id, token) => {
        expect(parseSignupPass(signupPassText(id, token))).toEqual({ signupId: id.toLowerCase(), token });
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const link = parseActivityCheckinLink(text);
        if (link) expect(link.code).toMatch(/^\d{6}$/);
        const pass = parseSignupPass(text);
        if (pass) expect(text.startsWith('NXACT:')).toBe(true);
      }),
    );
    expect(parseActivityCheckinLink('https://x/stations/checkin?a=00000000-0000-4000-8000-000000000000&c=123456&m=in')).toBeNull();
    expect(parseActivityCheckinLink('/activities/checkin?a=00000000-0000-4000-8000-000000000000&c=123456&m=sideways')).toBeNull();
    expect(parseSignupPass('NXACT:not-a-uuid:aaaaaaaaaaaaaaaaaaaa')).toBeNull();
  });

  it('counts minutes only inside the activity span, and nothing without a check-out', () => {
    const s = new Date('2026-12-01T06:00:00Z');
    const e = new Date('2026-12-01T08:00:00Z');
    expect(volunteerMinutes(new Date('2026-12-01T05:30:00Z'), new Date('2026-12-01T09:00:00Z'), s, e)).toBe(120);
    expect(volunteerMinutes(new Date('2026-12-01T06:30:00Z'), new Date('2026-12-01T07:15:00Z'), s, e)).toBe(45);
    expect(volunteerMinutes(new Date('2026-12-01T06:30:00Z'), null, s, e)).toBe(0);
    expect(volunteerMinutes(new Date('2026-12-01T09:00:00Z'), new Date('2026-12-01T10:00:00Z'), s, e)).toBe(0);
    fc.assert(
      fc.property(fc.integer({ min: -500, max: 500 }), fc.integer({ min: 0, max: 600 }), (inAt, stay) => {
        const m = volunteerMinutes(new Date(s.getTime() + inAt * MIN), new Date(s.getTime() + (inAt + stay) * MIN), s, e);
        expect(m).toBeGreaterThanOrEqual(0);
        expect(m).toBeLessThanOrEqual(Math.min(120, stay));
      }),
    );
  });
});

describe.each(DB_KINDS)('activities on %s', (kind) => {
  let t: TestApp;
  let xinhua: string;
  let sanhua: string;
  let xinya: string;
  let station: string;
  let ruleId: string;
  beforeAll(async () => {
    t = await createTestApp(kind);
    [xinhua, sanhua, xinya] = await Promise.all([t.loginStaff('xinhua'), t.loginStaff('sanhua'), t.loginStaff('xinya')]);
    station = await stationId(t.database.db, '三华社区暖新驿站');
    ruleId = (await ruleNamed(t.database.db, '参加暖新活动')).id;
  });
  afterAll(async () => t?.close());

  const db = () => t.database.db;
  const input = (over: Record<string, unknown> = {}) => ({ regionId: '440114001001', kind: 'volunteer', title: '清洁家园志愿服务', description: '带上手套', stationId: station, startsAt: at(24 * 60), endsAt: at(26 * 60), capacity: 2, pointsRuleId: ruleId, ...over });
  const create = async (token: string, over: Record<string, unknown> = {}) => {
    const res = await t.request('POST', '/api/v1/activities/manage', { token, body: input(over) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().id as string;
  };
  const move = (token: string, id: string, m: string) => t.request('POST', `/api/v1/activities/manage/${id}/moves`, { token, body: { move: m } });
  const published = async (over: Record<string, unknown> = {}) => {
    const id = await create(sanhua, over);
    expect((await move(sanhua, id, 'publish')).statusCode).toBe(200);
    return id;
  };
  const signUp = (token: string, id: string) => t.request('POST', `/api/v1/activities/${id}/signup`, { token });
  /** Moves an activity's span so that it started `minutesAgo` ago and lasts `length` minutes. */
  const startNow = async (id: string, minutesAgo = 10, length = 60) => {
    await db().updateTable('activities').set({ starts_at: new Date(Date.now() - minutesAgo * MIN), ends_at: new Date(Date.now() + (length - minutesAgo) * MIN) }).where('id', '=', id).execute();
  };
  const messagesOf = async (userId: string) => (await sql<{ title: string }>`select title from messages where user_id = ${userId} and topic = 'activity' order by created_at`.execute(db())).rows.map((r) => r.title);

  it('runs draft → published → cancelled and refuses illegal moves with 409 ACTIVITY_ILLEGAL_MOVE', async () => {
    const id = await create(sanhua);
    const worker = await t.newWorker();
    expect((await t.request('GET', `/api/v1/activities/${id}`, { token: worker.token })).statusCode).toBe(404);
    expect((await signUp(worker.token, id)).json().error.code).toBe('NOT_FOUND');
    const finish = await move(sanhua, id, 'finish');
    expect(finish.statusCode).toBe(409);
    expect(finish.json().error).toMatchObject({ code: 'ACTIVITY_ILLEGAL_MOVE', details: { phase: 'draft', move: 'finish' } });
    const pub = await move(sanhua, id, 'publish');
    expect(pub.json()).toMatchObject({ status: 'published', phase: 'upcoming' });
    expect((await move(sanhua, id, 'publish')).json().error.code).toBe('ACTIVITY_ILLEGAL_MOVE');
    expect((await move(sanhua, id, 'finish')).json().error.code).toBe('ACTIVITY_ILLEGAL_MOVE');
    expect((await signUp(worker.token, id)).json()).toMatchObject({ status: 'enrolled' });
    expect((await move(sanhua, id, 'cancel')).json()).toMatchObject({ status: 'cancelled', phase: 'cancelled' });
    expect(await messagesOf(worker.userId)).toContain('活动已取消：清洁家园志愿服务');
    for (const m of ['publish', 'cancel', 'finish']) expect((await move(sanhua, id, m)).statusCode).toBe(409);
    expect((await signUp(await t.newWorker().then((w) => w.token), id)).json().error.code).toBe('ACTIVITY_SIGNUP_CLOSED');
    const actions = await db().selectFrom('audit_log').select('action').where('entity_id', '=', id).orderBy('id').execute();
    expect(actions.map((a) => a.action)).toEqual(['activity.create', 'activity.publish', 'activity.cancel']);

    // Started: cannot be edited or cancelled any more, only finished.
    const running = await published();
    await startNow(running);
    expect((await move(sanhua, running, 'cancel')).json().error.code).toBe('ACTIVITY_ILLEGAL_MOVE');
    expect((await t.request('PUT', `/api/v1/activities/manage/${running}`, { token: sanhua, body: input() })).json().error.code).toBe('ACTIVITY_NOT_EDITABLE');
    expect((await move(sanhua, running, 'finish')).json()).toMatchObject({ status: 'finished', phase: 'finished' });
    // A draft whose start has passed cannot be published.
    const stale = await create(sanhua);
    await startNow(stale);
    expect((await move(sanhua, stale, 'publish')).json().error.code).toBe('ACTIVITY_ILLEGAL_MOVE');
  });

  it('refuses bad activities with 4xx and scopes staff to their subtree', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ endsAt: at(23 * 60) }, 'ACTIVITY_INVALID'],
      [{ stationId: null }, 'ACTIVITY_INVALID'],
      [{ audience: 'occupations', occupations: [] }, 'ACTIVITY_INVALID'],
      [{ pointsRuleId: (await ruleNamed(db(), '报名活动未到场')).id }, 'ACTIVITY_RULE_INVALID'],
      [{ pointsRuleId: '00000000-0000-4000-8000-000000000000' }, 'ACTIVITY_RULE_INVALID'],
      [{ stationId: await stationId(db(), '广塘社区暖新驿站') }, 'ACTIVITY_STATION_INVALID'],
      [{ regionId: '440114002001' }, 'OUT_OF_SCOPE'],
      [{ capacity: 0 }, 'VALIDATION_FAILED'],
      [{ title: '<script>' }, 'VALIDATION_FAILED'],
      [{ kind: 'party' }, 'VALIDATION_FAILED'],
      [{ startsAt: 'tomorrow' }, 'VALIDATION_FAILED'],
    ];
    const before = await db().selectFrom('activities').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    for (const [over, code] of cases) {
      const res = await t.request('POST', '/api/v1/activities/manage', { token: sanhua, body: input(over) });
      expect(res.json().error?.code, JSON.stringify(over)).toBe(code);
      expect(res.statusCode).toBeLessThan(500);
    }
    const after = await db().selectFrom('activities').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    // An address with a position is a place too.
    await create(sanhua, { stationId: null, address: '三华村文化广场', lat: 23.41, lng: 113.22 });
    const id = await create(sanhua);
    expect((await move(xinya, id, 'publish')).json().error.code).toBe('OUT_OF_SCOPE');
    expect((await t.request('GET', `/api/v1/activities/manage/${id}`, { token: xinya })).json().error.code).toBe('OUT_OF_SCOPE');
    expect((await t.request('GET', `/api/v1/activities/manage/${id}`, { token: xinhua })).statusCode).toBe(200);
    const list = (await t.request('GET', '/api/v1/activities/manage?status=draft', { token: xinya })).json();
    expect(list.items.every((a: { regionId: string }) => a.regionId.startsWith('440114002'))).toBe(true);
    const worker = await t.newWorker();
    expect((await t.request('POST', '/api/v1/activities/manage', { token: worker.token, body: input() })).json().error.code).toBe('FORBIDDEN');
    // Workers outside the activity's area, or of another occupation, cannot sign up.
    const other = await t.newWorker('440114002002');
    const pub = await published();
    expect((await signUp(other.token, pub)).json().error.code).toBe('ACTIVITY_NOT_FOR_YOU');
    const drivers = await published({ audience: 'occupations', occupations: ['driver'] });
    expect((await signUp(worker.token, drivers)).json().error.code).toBe('ACTIVITY_NOT_FOR_YOU');
  });

  it('waitlists past capacity and promotes the first waitlisted when a seat frees', async () => {
    const id = await published({ capacity: 2 });
    const w = await Promise.all([1, 2, 3, 4].map(() => t.newWorker()));
    const statuses = [];
    for (const worker of w) statuses.push((await signUp(worker.token, id)).json());
    expect(statuses.map((s) => [s.status, s.position])).toEqual([['enrolled', null], ['enrolled', null], ['waitlisted', 1], ['waitlisted', 2]]);
    expect(statuses[0].pass).toMatch(/^NXACT:/);
    expect(statuses[2].pass).toBeNull();
    // Idempotent: signing up again answers with the same sign-up.
    const again = (await signUp(w[2]!.token, id)).json();
    expect(again).toMatchObject({ id: statuses[2].id, status: 'waitlisted', position: 1 });

    const cancelled = await t.request('POST', `/api/v1/activities/${id}/signup/cancel`, { token: w[0]!.token });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled' });
    const third = (await t.request('GET', `/api/v1/activities/${id}`, { token: w[2]!.token })).json();
    expect(third.mine).toMatchObject({ status: 'enrolled', position: null });
    expect(third).toMatchObject({ enrolled: 2, waitlisted: 1 });
    expect(await messagesOf(w[2]!.userId)).toEqual(['候补成功：清洁家园志愿服务']);
    expect((await t.request('GET', `/api/v1/activities/${id}`, { token: w[3]!.token })).json().mine).toMatchObject({ status: 'waitlisted', position: 1 });

    // A cancelled worker signs up again at the back of the queue.
    expect((await signUp(w[0]!.token, id)).json()).toMatchObject({ status: 'waitlisted', position: 2 });
    // Capacity cannot drop below the seats taken; raising it promotes at once.
    const tooSmall = await t.request('PUT', `/api/v1/activities/manage/${id}`, { token: sanhua, body: input({ capacity: 1 }) });
    expect(tooSmall.json().error).toMatchObject({ code: 'ACTIVITY_CAPACITY_BELOW_ENROLLED', details: { enrolled: 2 } });
    const raised = await t.request('PUT', `/api/v1/activities/manage/${id}`, { token: sanhua, body: input({ capacity: 3 }) });
    expect(raised.json()).toMatchObject({ capacity: 3, enrolled: 3, waitlisted: 1 });
    expect((await t.request('GET', `/api/v1/activities/${id}`, { token: w[3]!.token })).json().mine.status).toBe('enrolled');

    const roster = (await t.request('GET', `/api/v1/activities/manage/${id}`, { token: sanhua })).json();
    expect(roster.stats).toMatchObject({ enrolled: 3, waitlisted: 1, cancelled: 0 });
    expect(roster.roster.map((r: { status: string }) => r.status)).toEqual(['enrolled', 'enrolled', 'enrolled', 'waitlisted']);
    expect(roster.roster[0].phoneMasked).toMatch(/^\d{3}\*{4}\d{4}$/);
    const read = await db().selectFrom('audit_log').select('action').where('entity_id', '=', id).where('action', '=', 'activity.roster.read').execute();
    expect(read.length).toBeGreaterThan(0);

    // Sign-up closes at the start.
    await startNow(id);
    expect((await signUp((await t.newWorker()).token, id)).json().error.code).toBe('ACTIVITY_SIGNUP_CLOSED');
    expect((await t.request('POST', `/api/v1/activities/${id}/signup/cancel`, { token: w[1]!.token })).json().error.code).toBe('ACTIVITY_SIGNUP_CLOSED');
  });

  it('gives a deleted account’s seat to the waitlist, as a cancellation would', async () => {
    const id = await published({ capacity: 1 });
    const [leaving, waiting] = await Promise.all([t.newWorker(), t.newWorker()]);
    expect((await signUp(leaving.token, id)).json().status).toBe('enrolled');
    expect((await signUp(waiting.token, id)).json()).toMatchObject({ status: 'waitlisted', position: 1 });
    expect((await t.request('POST', '/api/v1/me/delete', { token: leaving.token, body: { confirm: '注销' } })).statusCode).toBe(204);
    const after = (await t.request('GET', `/api/v1/activities/${id}`, { token: waiting.token })).json();
    expect(after).toMatchObject({ enrolled: 1, waitlisted: 0 });
    expect(after.mine).toMatchObject({ status: 'enrolled', position: null });
    expect(await messagesOf(waiting.userId)).toEqual(['候补成功：清洁家园志愿服务']);
  });

  it('gives exactly `capacity` seats to concurrent sign-ups and queues the rest in order', async () => {
    const id = await published({ capacity: 3 });
    const workers = await bulkWorkers(db(), 12);
    const service = new ActivitiesService(t.database, t.app.services.points);
    const results = await Promise.all(workers.map((w) => service.signUp(w, id)));
    expect(results.filter((r) => r.status === 'enrolled')).toHaveLength(3);
    const row = await db().selectFrom('activities').select('enrolled').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.enrolled).toBe(3);
    const mine = await Promise.all(workers.map((w) => service.detail(w, id)));
    const positions = mine.filter((m) => m.mine?.status === 'waitlisted').map((m) => m.mine!.position).sort((a, b) => a! - b!);
    expect(positions).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Concurrent cancellations of enrolled workers promote exactly as many.
    const enrolled = workers.filter((_, i) => results[i]!.status === 'enrolled');
    await Promise.all(enrolled.map((w) => service.cancelSignup(w, id)));
    const after = await db().selectFrom('activity_signups').select(['status', sql<number>`count(*)::int`.as('n')]).where('activity_id', '=', id).groupBy('status').execute();
    expect(Object.fromEntries(after.map((r) => [r.status, r.n]))).toEqual({ enrolled: 3, waitlisted: 6, cancelled: 3 });
    expect((await db().selectFrom('activities').select('enrolled').where('id', '=', id).executeTakeFirstOrThrow()).enrolled).toBe(3);
  });

  it('checks in and out by the organiser’s rotating code; forged, expired, wrong-mode and replayed codes are refused', async () => {
    const id = await published({ capacity: 1 });
    const [worker, waiting, stranger] = await Promise.all([t.newWorker(), t.newWorker(), t.newWorker()]);
    await signUp(worker.token, id);
    await signUp(waiting.token, id);
    const code = async (mode: string) => (await t.request('GET', `/api/v1/activities/manage/${id}/code?mode=${mode}`, { token: sanhua })).json();
    const scan = (token: string, c: string, mode: string, activityId = id) => t.request('POST', '/api/v1/activities/checkins', { token, body: { activityId, code: c, mode } });

    // Too early: a valid code, but check-in opens 30 minutes before the start.
    const early = await scan(worker.token, (await code('in')).code, 'in');
    expect(early.json().error.code).toBe('ACTIVITY_CHECKIN_CLOSED');
    await startNow(id);
    const current = await code('in');
    expect(current).toMatchObject({ mode: 'in', periodSeconds: 30, checkedIn: 0 });
    const forged = current.code === '000000' ? '000001' : '000000';
    expect((await scan(worker.token, forged, 'in')).json().error.code).toBe('ACTIVITY_CODE_INVALID');
    const { checkin_secret: secret } = await db().selectFrom('activities').select('checkin_secret').where('id', '=', id).executeTakeFirstOrThrow();
    const expired = codeFor(secret, `activity:${id}:in`, stepAt(new Date()) - 2);
    if (expired !== current.code) expect((await scan(worker.token, expired, 'in')).json().error.code).toBe('ACTIVITY_CODE_INVALID');
    // A check-in code does not check out, nor open another activity.
    expect((await scan(worker.token, current.code, 'out')).json().error.code).toBe('ACTIVITY_CODE_INVALID');
    const other = await published();
    expect((await scan(worker.token, current.code, 'in', other)).json().error.code).toBe('ACTIVITY_CODE_INVALID');
    // Not signed up, or only waitlisted: no check-in.
    expect((await scan(stranger.token, current.code, 'in')).json().error.code).toBe('ACTIVITY_NOT_SIGNED_UP');
    expect((await scan(waiting.token, current.code, 'in')).json().error.code).toBe('ACTIVITY_NOT_SIGNED_UP');
    // Check-out before check-in is refused.
    expect((await scan(worker.token, (await code('out')).code, 'out')).json().error.code).toBe('ACTIVITY_NOT_CHECKED_IN');

    const first = await scan(worker.token, current.code, 'in');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ mode: 'in', already: false, checkedOutAt: null });
    // Replayed: the same code again records nothing new.
    const replay = await scan(worker.token, current.code, 'in');
    expect(replay.json()).toMatchObject({ already: true, checkedInAt: first.json().checkedInAt });
    expect((await code('in')).checkedIn).toBe(1);

    // Checked in 20 minutes before a start 10 minutes ago: only the 10 minutes inside the span count.
    await db().updateTable('activity_attendance').set({ checked_in_at: new Date(Date.now() - 30 * MIN) }).where('signup_id', '=', first.json().signupId).execute();
    const out = await scan(worker.token, (await code('out')).code, 'out');
    expect(out.json()).toMatchObject({ mode: 'out', already: false });
    expect(out.json().minutes).toBeGreaterThanOrEqual(9);
    expect(out.json().minutes).toBeLessThanOrEqual(11);
  });

  it('lets the organiser scan a worker’s personal QR, only for that activity and within scope', async () => {
    const id = await published({ capacity: 5 });
    const worker = await t.newWorker();
    const pass = (await signUp(worker.token, id)).json().pass as string;
    await startNow(id);
    const scan = (token: string, p: string, mode = 'in', activityId = id) => t.request('POST', `/api/v1/activities/manage/${activityId}/scan`, { token, body: { pass: p, mode } });
    const [, signupId, token] = pass.split(':');
    expect((await scan(sanhua, `NXACT:${signupId}:${'x'.repeat(token!.length)}`)).json().error.code).toBe('ACTIVITY_PASS_INVALID');
    expect((await scan(sanhua, 'hello')).json().error.code).toBe('ACTIVITY_PASS_INVALID');
    const other = await published();
    await startNow(other);
    expect((await scan(sanhua, pass, 'in', other)).json().error.code).toBe('ACTIVITY_PASS_INVALID');
    expect((await scan(xinya, pass)).json().error.code).toBe('OUT_OF_SCOPE');
    const grid = await t.loginStaff('grid01');
    const res = await scan(grid, pass);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ already: false, workerName: '测试骑手' });
    expect((await scan(grid, pass)).json().already).toBe(true);
    expect((await scan(grid, pass, 'out')).json().checkedOutAt).not.toBeNull();
    const audits = await db().selectFrom('audit_log').select('action').where('entity_id', '=', signupId!).orderBy('id').execute();
    expect(audits.map((a) => a.action)).toEqual(['activity.check_in', 'activity.check_out']);
  });

  it('confirms hours (adjustable, audited) and awards the activity’s points exactly once', async () => {
    const id = await published({ capacity: 5 });
    const [came, absent, late] = await Promise.all([t.newWorker(), t.newWorker(), t.newWorker()]);
    const ids: Record<string, string> = {};
    for (const [name, w] of Object.entries({ came, absent, late })) ids[name] = (await signUp(w.token, id)).json().id;
    const confirm = (signupId: string, body: Record<string, unknown>) => t.request('POST', `/api/v1/activities/signups/${signupId}/confirm`, { token: sanhua, body });
    expect((await confirm(ids.came!, { attended: true })).json().error.code).toBe('ACTIVITY_NOT_STARTED');
    await startNow(id, 120, 90);
    const pass = (await t.request('GET', `/api/v1/activities/${id}`, { token: came.token })).json().mine.pass;
    await db().insertInto('activity_attendance').values({ signup_id: ids.came!, region_id: '440114001001', activity_id: id, worker_id: came.userId, checked_in_at: new Date(Date.now() - 130 * MIN), checked_in_by: 'worker', checked_out_at: new Date(Date.now() - 60 * MIN), checked_out_by: 'worker', minutes: 60 }).execute();
    expect(pass).toMatch(/^NXACT:/);

    const before = await balanceOf(db(), came.userId);
    const first = await confirm(ids.came!, { attended: true });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ confirmed: true, minutes: 60, points: 5 });
    expect(await balanceOf(db(), came.userId)).toBe(before + 5);
    // Adjusted hours: still one award.
    const adjusted = await confirm(ids.came!, { attended: true, minutes: 90, note: '提前到场布置' });
    expect(adjusted.json()).toMatchObject({ minutes: 90, points: 5 });
    expect(await balanceOf(db(), came.userId)).toBe(before + 5);
    const transfers = await db().selectFrom('points_transfers').select('amount').where('source_type', '=', 'activity_attendance').where('source_id', '=', ids.came!).execute();
    expect(transfers).toHaveLength(1);
    const audit = await db().selectFrom('audit_log').select('detail').where('entity_id', '=', ids.came!).where('action', '=', 'activity.confirm').orderBy('id').execute();
    expect(audit).toHaveLength(2);
    expect(audit[1]!.detail).toMatchObject({ minutes: 90, before: { minutes: 60 }, note: '提前到场布置' });
    // Once paid, attendance cannot be denied.
    expect((await confirm(ids.came!, { attended: false })).json().error.code).toBe('ACTIVITY_ILLEGAL_MOVE');
    // No-show: denied, nothing paid. Forgot to scan: staff confirm with hours.
    expect((await confirm(ids.absent!, { attended: false })).json()).toMatchObject({ confirmed: false, points: 0 });
    expect((await confirm(ids.late!, { attended: true, minutes: 45 })).json()).toMatchObject({ confirmed: true, minutes: 45, points: 5 });
    expect((await confirm(ids.came!, { attended: true, minutes: 5000 })).json().error.code).toBe('VALIDATION_FAILED');
    expect((await t.request('POST', `/api/v1/activities/signups/${ids.came}/confirm`, { token: xinya, body: { attended: true } })).json().error.code).toBe('OUT_OF_SCOPE');

    const mine = (await t.request('GET', '/api/v1/activities/mine', { token: came.token })).json();
    expect(mine).toMatchObject({ totalMinutes: 90, attended: 1 });
    expect(mine.items[0].signup).toMatchObject({ confirmed: true, points: 5, minutes: 90 });
    expect(await messagesOf(came.userId)).toContain('出勤已确认：清洁家园志愿服务');
    const figures = (await t.request('GET', `/api/v1/activities/manage/${id}`, { token: sanhua })).json().stats;
    expect(figures).toMatchObject({ enrolled: 3, attended: 2, confirmed: 2, minutes: 135 });
  });

  it('counts activities held, distinct people covered and hours per region and period', async () => {
    // China days from an hour ago to now: the activities below started half an hour ago, maybe yesterday in Beijing.
    const day = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
    const period = `from=${day(Date.now() - 3_600_000)}&to=${day(Date.now())}`;
    const stats = async (token: string, query = '') => t.request('GET', `/api/v1/activities/stats?${period}${query}`, { token });
    const base = (await stats(xinhua)).json();
    const worker = await t.newWorker();
    const a1 = await published({ kind: 'care_visit', capacity: 5 });
    const a2 = await published({ kind: 'care_visit', capacity: 5 });
    for (const id of [a1, a2]) {
      const s = (await signUp(worker.token, id)).json();
      await startNow(id, 30, 60);
      await db().insertInto('activity_attendance').values({ signup_id: s.id, region_id: '440114001001', activity_id: id, worker_id: worker.userId, checked_in_at: new Date(Date.now() - 20 * MIN), checked_in_by: 'worker' }).execute();
      await t.request('POST', `/api/v1/activities/signups/${s.id}/confirm`, { token: sanhua, body: { attended: true, minutes: 30 } });
    }
    const now = (await stats(xinhua)).json();
    expect(now.regionId).toBe('440114001');
    expect(now.held - base.held).toBe(2);
    expect(now.peopleCovered - base.peopleCovered).toBe(1);
    expect(now.attendances - base.attendances).toBe(2);
    expect(now.minutes - base.minutes).toBe(60);
    const care = now.byKind.find((k: { kind: string }) => k.kind === 'care_visit');
    expect(care.held).toBeGreaterThanOrEqual(2);
    expect((await stats(sanhua, '&regionId=440114002')).json().error.code).toBe('OUT_OF_SCOPE');
    expect((await stats(xinya)).json().held).toBe(0);
    expect((await t.request('GET', '/api/v1/activities/stats?from=2026-12-01&to=2026-01-01', { token: xinhua })).json().error.code).toBe('DASHBOARD_RANGE_INVALID');
  });

  it('sends a bulk message to participants and reminds the enrolled once before the start', async () => {
    const id = await published({ capacity: 1, startsAt: at(60), endsAt: at(120) });
    const [a, b] = await Promise.all([t.newWorker(), t.newWorker()]);
    await signUp(a.token, id);
    await signUp(b.token, id);
    const sent = await t.request('POST', `/api/v1/activities/manage/${id}/messages`, { token: sanhua, body: { to: 'enrolled', title: '集合地点变更', body: '改到驿站门口集合' } });
    expect(sent.json()).toEqual({ sent: 1 });
    expect(await messagesOf(a.userId)).toEqual(['集合地点变更']);
    expect(await messagesOf(b.userId)).toEqual([]);
    expect((await t.request('POST', `/api/v1/activities/manage/${id}/messages`, { token: sanhua, body: { to: 'everyone', title: 'x', body: 'y' } })).json().error.code).toBe('VALIDATION_FAILED');
    expect((await t.request('POST', `/api/v1/activities/manage/${id}/messages`, { token: xinya, body: { to: 'enrolled', title: 'x', body: 'y' } })).json().error.code).toBe('OUT_OF_SCOPE');

    const service = new ActivitiesService(t.database, t.app.services.points);
    const [r1, r2] = await Promise.all([service.remindDue(), service.remindDue()]);
    expect(r1 + r2).toBeGreaterThanOrEqual(1);
    expect(await service.remindDue()).toBe(0);
    expect((await messagesOf(a.userId)).filter((m) => m.startsWith('活动提醒'))).toHaveLength(1);
    expect((await messagesOf(b.userId)).filter((m) => m.startsWith('活动提醒'))).toHaveLength(0);
  });

  it('lists published activities for workers by kind, area and time; staff see their drafts', async () => {
    const id = await published({ kind: 'training', title: '暖新学院：安全骑行课' });
    const draft = await create(sanhua, { kind: 'training', title: '暖新学院：草稿课程' });
    const worker = await t.newWorker();
    const list = (await t.request('GET', '/api/v1/activities?kind=training&upcoming=true', { token: worker.token })).json();
    expect(list.items.map((a: { id: string }) => a.id)).toContain(id);
    expect(list.items.map((a: { id: string }) => a.id)).not.toContain(draft);
    expect(list.items.every((a: { kind: string }) => a.kind === 'training')).toBe(true);
    const search = (await t.request('GET', `/api/v1/activities?q=${encodeURIComponent('安全骑行')}`, { token: worker.token })).json();
    expect(search.items.map((a: { id: string }) => a.id)).toEqual([id]);
    const elsewhere = (await t.request('GET', '/api/v1/activities?regionId=440114002', { token: worker.token })).json();
    expect(elsewhere.items.every((a: { regionId: string }) => a.regionId.startsWith('440114002'))).toBe(true);
    const staff = (await t.request('GET', '/api/v1/activities/manage?kind=training&status=draft', { token: await t.loginStaff('grid01') })).json();
    expect(staff.items.map((a: { id: string }) => a.id)).toContain(draft);
    expect((await actorByUsername(db(), 'grid01')).scopeId).toBe('440114001001');
  });
});
