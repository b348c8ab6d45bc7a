import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, createTestApp, type TestApp } from '../../../test/harness.ts';
import { codeFor, stepAt } from './checkin-code.ts';
import { actorByUsername, actorOf, bulkWorkers, stationId } from './visits.fixtures.ts';
import { VisitsService } from './visits.service.ts';

const SANHUA = '三华社区暖新驿站';
const GUANGTANG = '广塘社区暖新驿站'; // 新雅街: outside keeper01 and the 三华 admins

describe.each(DB_KINDS)('station check-in, visits and ratings on %s', (kind) => {
  let t: TestApp;
  let keeper: string;
  let station: string;
  beforeAll(async () => {
    t = await createTestApp(kind);
    keeper = await t.loginStaff('keeper01');
    station = await stationId(t.database.db, SANHUA);
  });
  afterAll(async () => t?.close());

  const db = () => t.database.db;
  const currentCode = async () => (await t.request('GET', `/api/v1/stations/${station}/checkin-code`, { token: keeper })).json().code as string;
  const checkin = (token: string, body: unknown, key: string | null = randomUUID()) =>
    t.request('POST', '/api/v1/stations/checkins', { token, body, headers: key ? { 'idempotency-key': key } : {} });
  const count = async (table: 'station_visits' | 'station_ratings') => Number((await db().selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const visitsToday = async () => (await t.request('GET', `/api/v1/stations/${station}/checkin-code`, { token: keeper })).json().visitsToday as number;

  it('the keeper sees a six-digit code and today’s count; a worker checks in once per 2 hours, a rescan answers with that visit', async () => {
    const res = await t.request('GET', `/api/v1/stations/${station}/checkin-code`, { token: keeper });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ stationId: station, stationName: SANHUA, periodSeconds: 30 });
    expect(res.json().code).toMatch(/^\d{6}$/);
    const before = res.json().visitsToday as number;

    const worker = await t.newWorker();
    const key = randomUUID();
    const first = await checkin(worker.token, { stationId: station, code: res.json().code }, key);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ alreadyCheckedIn: false, points: 0, visit: { stationId: station, stationName: SANHUA, stars: null, rateable: true } });
    const again = await checkin(worker.token, { stationId: station, code: await currentCode() });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ alreadyCheckedIn: true, visit: { id: first.json().visit.id } });
    // The same request retried (lost answer) replays the first answer, even once the code changed.
    const replay = await checkin(worker.token, { stationId: station, code: '000000' }, key);
    expect(replay.json()).toEqual(first.json());
    expect(await visitsToday()).toBe(before + 1);
  });

  it('refuses a wrong code, an unknown station, a missing key and malformed bodies, and writes nothing', async () => {
    const worker = await t.newWorker();
    const visits = await count('station_visits');
    const code = await currentCode();
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const refused = await checkin(worker.token, { stationId: station, code: wrong }, randomUUID());
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({ code: 'CHECKIN_CODE_INVALID', message: expect.stringContaining('签到码') });
    expect((await checkin(worker.token, { stationId: randomUUID(), code })).json().error.code).toBe('CHECKIN_CODE_INVALID');
    expect((await checkin(worker.token, { stationId: station, code }, null)).json().error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    for (const body of [{ stationId: station }, { stationId: station, code: '12345' }, { stationId: station, code: 123456 }, { stationId: 'x', code }, { stationId: station, code, extra: 1 }]) {
      const res = await checkin(worker.token, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    expect(await count('station_visits')).toBe(visits);
  });

  it('locks a worker out after ten wrong codes (guessing a million codes is not possible)', async () => {
    const worker = await t.newWorker();
    for (let i = 0; i < 10; i++) await checkin(worker.token, { stationId: station, code: 'abcdef'.replace(/./g, () => String(i % 10)) });
    const res = await checkin(worker.token, { stationId: station, code: await currentCode() });
    expect(res.statusCode).toBe(429);
    expect(res.json().error.code).toBe('CHECKIN_TOO_MANY_TRIES');
  });

  it('with an injected clock: the code rotates every 30 s, the previous one still works, older ones do not; a visit counts again after 2 hours', async () => {
    let now = new Date(Math.ceil(Date.now() / 30_000) * 30_000 + 1_000); // 1 s into a step
    const service = new VisitsService(t.database, t.app.services.points, { clock: () => now });
    const keeperActor = await actorByUsername(db(), 'keeper01');
    const [worker] = await bulkWorkers(db(), 1);
    const shown = await service.currentCode(keeperActor, station);
    now = new Date(now.getTime() + 30_000);
    const next = await service.currentCode(keeperActor, station);
    expect(Date.parse(next.expiresAt) - Date.parse(shown.expiresAt)).toBe(30_000);

    // 31 s after it was shown: the previous step's code is still good.
    const first = await service.checkIn(worker!, randomUUID(), { stationId: station, code: shown.code });
    expect(first.alreadyCheckedIn).toBe(false);
    // 61 s after: expired.
    now = new Date(now.getTime() + 30_000);
    await expect(service.checkIn(worker!, randomUUID(), { stationId: station, code: shown.code })).rejects.toMatchObject({ code: 'CHECKIN_CODE_INVALID' });

    const secret = (await db().selectFrom('station_checkin_secrets').select('secret').where('station_id', '=', station).executeTakeFirstOrThrow()).secret;
    const codeNow = () => codeFor(secret, station, stepAt(now));
    now = new Date(Date.parse(first.visit.visitedAt) + 2 * 3_600_000 - 1_000);
    const within = await service.checkIn(worker!, randomUUID(), { stationId: station, code: codeNow() });
    expect(within).toMatchObject({ alreadyCheckedIn: true, visit: { id: first.visit.id } });
    now = new Date(Date.parse(first.visit.visitedAt) + 2 * 3_600_000);
    const later = await service.checkIn(worker!, randomUUID(), { stationId: station, code: codeNow() });
    expect(later.alreadyCheckedIn).toBe(false);
    expect(later.visit.id).not.toBe(first.visit.id);
    expect(await db().selectFrom('station_visits').select('id').where('worker_id', '=', worker!.userId).execute()).toHaveLength(2);
  });

  it('twenty simultaneous scans by one worker make one visit, counted once in the rollup', async () => {
    const [worker] = await bulkWorkers(db(), 1);
    const before = await visitsToday();
    const service = t.app.services.visits;
    const code = await currentCode();
    const results = await Promise.all(Array.from({ length: 20 }, () => service.checkIn(worker!, randomUUID(), { stationId: station, code })));
    expect(new Set(results.map((r) => r.visit.id)).size).toBe(1);
    expect(results.filter((r) => !r.alreadyCheckedIn)).toHaveLength(1);
    expect(await db().selectFrom('station_visits').select('id').where('worker_id', '=', worker!.userId).execute()).toHaveLength(1);
    expect(await visitsToday()).toBe(before + 1);
  });

  it('pays a check-in when the street has a 驿站签到 rule, once per visit, and never fails the check-in at the cap', async () => {
    await db()
      .insertInto('points_rules')
      .values({ region_id: '440114001', category: 'activity', name: '驿站签到', description: '到驿站扫码签到', kind: 'earn', points: 1, daily_cap: 1, monthly_cap: null, needs_approval: false, claimable: false, suspend_after: null, valid_from: null, valid_to: null, status: 'active' })
      .execute();
    try {
      const worker = await t.newWorker();
      const paid = await checkin(worker.token, { stationId: station, code: await currentCode() });
      expect(paid.json().points).toBe(1);
      // A second station the same day: the daily cap of 1 is reached, the check-in still counts.
      const other = await stationId(db(), '三华工会驿站');
      const otherCode = (await t.request('GET', `/api/v1/stations/${other}/checkin-code`, { token: await t.loginStaff('sanhua') })).json().code;
      const capped = await checkin(worker.token, { stationId: other, code: otherCode });
      expect(capped.statusCode).toBe(200);
      expect(capped.json()).toMatchObject({ alreadyCheckedIn: false, points: 0 });
    } finally {
      await db().updateTable('points_rules').set({ status: 'inactive' }).where('name', '=', '驿站签到').execute();
    }
  });

  it('a visit is rated once by its own worker; the average shows on the station and in nearby results; staff read the feedback', async () => {
    const worker = await t.newWorker();
    const visit = (await checkin(worker.token, { stationId: station, code: await currentCode() })).json().visit;
    const stranger = await t.newWorker();
    const rate = (token: string, body: unknown, id = visit.id) => t.request('POST', `/api/v1/stations/visits/${id}/rating`, { token, body });

    expect((await rate(stranger.token, { stars: 1 })).json().error.code).toBe('NOT_FOUND');
    for (const body of [{ stars: 0 }, { stars: 6 }, { stars: 4.5 }, { stars: 5, feedback: '<script>x</script>' }, { stars: 5, feedback: 'x'.repeat(501) }, {}]) {
      const res = await rate(worker.token, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    const totals = (await db().selectFrom('station_rating_totals').select(['stars_sum', 'ratings']).where('station_id', '=', station).executeTakeFirst()) ?? { stars_sum: 0, ratings: 0 };
    const ratings = await count('station_ratings');
    const rated = await rate(worker.token, { stars: 4, feedback: '空调很凉快，热水也有' });
    expect(rated.statusCode, rated.body).toBe(200);
    expect(rated.json()).toMatchObject({ id: visit.id, stars: 4, rateable: false });
    const twice = await rate(worker.token, { stars: 1 });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('VISIT_NOT_RATEABLE');

    expect(await count('station_ratings')).toBe(ratings + 1);
    // The seeded ratings plus this one: the average over all of them, one decimal.
    const expected = { rating: Math.round(((totals.stars_sum + 4) / (totals.ratings + 1)) * 10) / 10, ratingCount: totals.ratings + 1 };
    expect((await t.request('GET', `/api/v1/stations/${station}`)).json()).toMatchObject(expected);
    const nearby = (await t.request('GET', '/api/v1/stations/nearby?lat=23.4021&lng=113.2149&limit=3')).json().items;
    expect(nearby[0]).toMatchObject({ name: SANHUA, ...expected });
    expect(nearby.every((s: { ratingCount: number }) => Number.isInteger(s.ratingCount))).toBe(true);

    const feedback = await t.request('GET', `/api/v1/stations/${station}/feedback`, { token: keeper });
    expect(feedback.json()).toMatchObject({ ...expected, total: expected.ratingCount });
    expect(feedback.json().items[0]).toMatchObject({ visitId: visit.id, stars: 4, feedback: '空调很凉快，热水也有', workerName: '测**手' });
    expect((await t.request('GET', `/api/v1/stations/${station}/feedback`, { token: await t.loginStaff('xinhua') })).statusCode).toBe(200);
    const mine = (await t.request('GET', `/api/v1/stations/visits/mine?stationId=${station}`, { token: worker.token })).json().items;
    expect(mine).toMatchObject([{ id: visit.id, stars: 4, rateable: false }]);
  });

  it('a visit older than 7 days can no longer be rated', async () => {
    const [worker] = await bulkWorkers(db(), 1);
    const code = await currentCode();
    const visit = (await t.app.services.visits.checkIn(worker!, randomUUID(), { stationId: station, code })).visit;
    const later = new VisitsService(t.database, t.app.services.points, { clock: () => new Date(Date.now() + 8 * 86_400_000) });
    await expect(later.rate(worker!, visit.id, { stars: 5, feedback: '' })).rejects.toMatchObject({ code: 'VISIT_NOT_RATEABLE' });
  });

  it('gives check-ins per day and hour for a range, to the keeper and admins over the station only', async () => {
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const monthAgo = new Date(Date.now() + 8 * 3_600_000 - 30 * 86_400_000).toISOString().slice(0, 10);
    const res = await t.request('GET', `/api/v1/stations/${station}/visits?from=${monthAgo}&to=${today}`, { token: keeper });
    expect(res.statusCode, res.body).toBe(200);
    const days = res.json().days as Array<{ day: string; visits: number; byHour: number[] }>;
    const todayRow = days.find((d) => d.day === today)!;
    expect(todayRow.byHour).toHaveLength(24);
    expect(todayRow.byHour.reduce((a, b) => a + b, 0)).toBe(todayRow.visits);
    expect(res.json().total).toBe(days.reduce((a, d) => a + d.visits, 0));
    // The time of the last check-in is in its China-time hour.
    expect(todayRow.byHour[new Date(Date.now() + 8 * 3_600_000).getUTCHours()]).toBeGreaterThan(0);

    for (const query of ['from=2026-03-01&to=2026-01-01', 'from=2025-01-01&to=2026-01-01', 'from=x&to=2026-01-01', 'from=2026-01-01']) {
      const bad = await t.request('GET', `/api/v1/stations/${station}/visits?${query}`, { token: keeper });
      expect(bad.statusCode, query).toBe(400);
      expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('keeps staff to their stations: the keeper to his own, admins to their region; workers not at all', async () => {
    const far = await stationId(db(), GUANGTANG);
    const range = 'from=2026-01-01&to=2026-01-31';
    for (const url of [`/api/v1/stations/${far}/checkin-code`, `/api/v1/stations/${far}/feedback`, `/api/v1/stations/${far}/visits?${range}`]) {
      for (const who of ['keeper01', 'sanhua', 'xinhua']) {
        const res = await t.request('GET', url, { token: await t.loginStaff(who) });
        expect(res.statusCode, `${url} as ${who}`).toBe(403);
        expect(res.json().error.code).toBe('OUT_OF_SCOPE');
      }
      expect((await t.request('GET', url, { token: await t.loginStaff('district') })).statusCode).toBe(200);
      expect((await t.request('GET', url, { token: (await t.newWorker()).token })).json().error.code).toBe('FORBIDDEN');
    }
    // Another station in his own community is still not the keeper's.
    const neighbour = await stationId(db(), '迎宾大道户外劳动者驿站');
    expect((await t.request('GET', `/api/v1/stations/${neighbour}/checkin-code`, { token: keeper })).json().error.code).toBe('OUT_OF_SCOPE');
    const missing = await t.request('GET', `/api/v1/stations/${randomUUID()}/checkin-code`, { token: keeper });
    expect(missing.json().error.code).toBe('NOT_FOUND');
    // A planned station shows no code (nobody can check in there yet).
    const planned = await stationId(db(), '清布路充电驿站');
    expect((await t.request('GET', `/api/v1/stations/${planned}/checkin-code`, { token: await t.loginStaff('district') })).json().error.code).toBe('STATION_NOT_OPEN');

    const today = await t.request('GET', '/api/v1/stations/visits/today', { token: keeper });
    expect(today.json().items.map((i: { stationName: string }) => i.stationName)).toEqual([SANHUA]);
    const street = (await t.request('GET', '/api/v1/stations/visits/today', { token: await t.loginStaff('xinhua') })).json().items as Array<{ regionId: string }>;
    expect(street.length).toBeGreaterThan(1);
    expect(street.every((i) => i.regionId.startsWith('440114001'))).toBe(true);
  });

  it('the worker’s own visits only', async () => {
    const worker = await t.newWorker();
    expect((await t.request('GET', '/api/v1/stations/visits/mine', { token: worker.token })).json().items).toEqual([]);
    const actor = await actorOf(db(), worker.userId);
    expect(actor.role).toBe('worker');
  });
});
